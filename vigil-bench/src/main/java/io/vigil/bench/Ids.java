package io.vigil.bench;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * Random identifiers that can never look like a card number: a run of digits is capped at
 * {@link #DIGIT_RUN_MAX}, far below the 13 digits the server's card-number check starts at, and
 * prefixes end in a letter or underscore (a hyphen between digits would join two runs).
 */
final class Ids {
  static final int DIGIT_RUN_MAX = 8;
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final char[] HEX_LETTERS = "abcdef".toCharArray();

  private Ids() {}

  /** prefix + {@code chars} lower-case hex characters, with no more than 8 digits in a row. */
  static String hex(SplittableRandom random, String prefix, int chars) {
    StringBuilder sb = new StringBuilder(prefix.length() + chars).append(prefix);
    int digitRun = 0;
    for (int i = 0; i < chars; i++) {
      char c = digitRun >= DIGIT_RUN_MAX ? HEX_LETTERS[random.nextInt(HEX_LETTERS.length)] : HEX[random.nextInt(16)];
      digitRun = c <= '9' ? digitRun + 1 : 0;
      sb.append(c);
    }
    return sb.toString();
  }

  /** {@code count} random decimal digits (for phone numbers, BINs and last-4s only). */
  static String digits(SplittableRandom random, int count) {
    StringBuilder sb = new StringBuilder(count);
    for (int i = 0; i < count; i++) sb.append((char) ('0' + random.nextInt(10)));
    return sb.toString();
  }

  /** Eight random lower-case letters: unique enough per run, and never part of a digit run. */
  static String newRunId() {
    SecureRandom random = new SecureRandom();
    char[] id = new char[8];
    for (int i = 0; i < id.length; i++) id[i] = (char) ('a' + random.nextInt(26));
    return new String(id);
  }

  /** Longest run of consecutive ASCII digits in {@code s}. */
  static int longestDigitRun(CharSequence s) {
    int longest = 0;
    int run = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      run = c >= '0' && c <= '9' ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    return longest;
  }
}
