package io.vigil.engine.event;

/**
 * Finds primary account numbers (card numbers) in text so that Vigil can refuse them.
 *
 * <p>Text is split into runs of digit groups, where a single space or hyphen separates groups.
 * A candidate is either one unseparated group of 13 to 19 digits, or consecutive groups laid out
 * the way cards are printed: groups of four ending in a group of one to four
 * ("4111 1111 1111 1111", 13 to 19 digits in all), or the 4-6-5 and 4-6-4 layouts of 15- and
 * 14-digit cards, unless glued to an identifier on both sides; its first digit must be one a card
 * of that length can start with (see {@link #isCandidate}). A candidate is a card number when it passes the Luhn check and is not one
 * repeated digit (zero padding passes Luhn). Other groupings — a UUID's 8-4-4-4-12, dates,
 * phone-like 3-3-4 — are not card layouts, so identifiers made of digit groups are not mistaken
 * for cards.
 */
public final class PanDetector {
  private static final int PAN_DIGITS_MIN = 13;
  private static final int PAN_DIGITS_MAX = 19;
  /** Groups examined per run; a card has at most five, so longer runs are checked in windows. */
  private static final int GROUPS_MAX = 64;

  private PanDetector() {}

  /** True when {@code text} contains a card number. */
  public static boolean containsPan(CharSequence text) {
    if (digitCount(text) < PAN_DIGITS_MIN) return false; // most strings: one cheap pass
    int[] groupStart = new int[GROUPS_MAX];
    int[] groupEnd = new int[GROUPS_MAX];
    int length = text.length();
    int i = 0;
    while (i < length) {
      if (!isDigit(text.charAt(i))) {
        i++;
        continue;
      }
      int groups = 0;
      int end = i;
      while (true) {
        int start = end;
        while (end < length && isDigit(text.charAt(end))) end++;
        groupStart[groups] = start;
        groupEnd[groups] = end;
        groups++;
        boolean separatorThenDigit = end + 1 < length && (text.charAt(end) == ' ' || text.charAt(end) == '-')
            && isDigit(text.charAt(end + 1));
        if (!separatorThenDigit || groups == GROUPS_MAX) break;
        end++;
      }
      if (anyCardInRun(text, groupStart, groupEnd, groups)) return true;
      i = end;
    }
    return false;
  }

  /** The whole run in a card layout, or any one of its groups on its own. */
  private static boolean anyCardInRun(CharSequence text, int[] starts, int[] ends, int groups) {
    int digits = 0;
    for (int g = 0; g < groups; g++) digits += ends[g] - starts[g];
    if (groups > 1 && groups <= 5 && isCandidate(text, starts[0], digits) && standsApart(text, starts[0], ends[groups - 1])
        && cardLayout(starts, ends, 0, groups - 1) && luhnValid(text, starts[0], ends[groups - 1])) {
      return true;
    }
    for (int g = 0; g < groups; g++) {
      if (isCandidate(text, starts[g], ends[g] - starts[g]) && luhnValid(text, starts[g], ends[g])) return true;
    }
    return false;
  }

  /**
   * A grouped number glued to an identifier on both sides — a letter or digit, directly or across
   * a hyphen, as in a UUID's "…082f-3413-4785-9973-342e…" — is part of that identifier, not a
   * printed card number. Glued on one side only ("acc-4111-…") it still counts.
   */
  private static boolean standsApart(CharSequence text, int start, int end) {
    boolean gluedLeft = start > 0 && (Character.isLetterOrDigit(text.charAt(start - 1))
        || (text.charAt(start - 1) == '-' && start > 1 && Character.isLetterOrDigit(text.charAt(start - 2))));
    boolean gluedRight = end < text.length() && (Character.isLetterOrDigit(text.charAt(end))
        || (text.charAt(end) == '-' && end + 1 < text.length() && Character.isLetterOrDigit(text.charAt(end + 1))));
    return !(gluedLeft && gluedRight);
  }

  /**
   * 13 to 19 digits with a first digit some card can have: no card number starts with 0, only
   * 15-digit UATP cards start with 1, and only Visa issued 13-digit numbers (starting with 4).
   * This keeps epoch timestamps in milliseconds and microseconds, nanoseconds until 2033, and
   * snowflake ids (all starting with 1) from being refused as cards.
   */
  private static boolean isCandidate(CharSequence text, int start, int digits) {
    if (digits < PAN_DIGITS_MIN || digits > PAN_DIGITS_MAX) return false;
    char first = text.charAt(start);
    if (first == '0') return false;
    if (first == '1') return digits == 15;
    return digits != 13 || first == '4';
  }

  /** One unseparated group, 4-4-…-4-(1..4), 4-6-5 or 4-6-4. */
  private static boolean cardLayout(int[] starts, int[] ends, int first, int last) {
    if (first == last) return true;
    boolean fours = true;
    for (int g = first; g < last; g++) fours &= ends[g] - starts[g] == 4;
    int lastLength = ends[last] - starts[last];
    if (fours && lastLength >= 1 && lastLength <= 4) return true;
    return last == first + 2 && ends[first] - starts[first] == 4 && ends[first + 1] - starts[first + 1] == 6
        && (lastLength == 5 || lastLength == 4);
  }

  private static int digitCount(CharSequence text) {
    int n = 0;
    for (int i = 0, length = text.length(); i < length; i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') n++;
    }
    return n;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Luhn over the digits of text[start, end), skipping separators; false for one repeated digit. */
  static boolean luhnValid(CharSequence text, int start, int end) {
    int sum = 0;
    boolean doubleIt = false;
    char first = 0;
    boolean allSame = true;
    for (int i = end - 1; i >= start; i--) {
      char c = text.charAt(i);
      if (!isDigit(c)) continue;
      if (first == 0) first = c;
      else if (c != first) allSame = false;
      int d = c - '0';
      if (doubleIt) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
      doubleIt = !doubleIt;
    }
    return !allSame && sum % 10 == 0;
  }
}
