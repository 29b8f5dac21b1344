package io.vigil.engine.event;

/**
 * Finds primary account numbers (card numbers) in text so that Vigil can refuse them.
 *
 * <p>A candidate is a maximal run of 13 to 19 digits, where single spaces or hyphens may separate
 * groups of digits ("4111 1111 1111 1111" counts as one run). A candidate is a card number when
 * it passes the Luhn check. Longer runs are not card numbers (they are usually identifiers), and
 * runs of one repeated digit are ignored (zero padding passes Luhn).
 */
public final class PanDetector {
  private static final int PAN_DIGITS_MIN = 13;
  private static final int PAN_DIGITS_MAX = 19;

  private PanDetector() {}

  /** True when {@code text} contains a Luhn-valid run of 13 to 19 digits. */
  public static boolean containsPan(CharSequence text) {
    int length = text.length();
    int i = 0;
    while (i < length) {
      if (!isDigit(text.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      int digits = 0;
      int end = i;
      while (end < length) {
        char c = text.charAt(end);
        if (isDigit(c)) {
          digits++;
          end++;
        } else if ((c == ' ' || c == '-') && end + 1 < length && isDigit(text.charAt(end + 1))) {
          end++;
        } else {
          break;
        }
      }
      if (digits >= PAN_DIGITS_MIN && digits <= PAN_DIGITS_MAX && luhnValid(text, start, end)) {
        return true;
      }
      i = end;
    }
    return false;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Luhn over the digits of text[start, end), skipping separators. */
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
