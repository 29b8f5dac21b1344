package io.vigil.engine.signal.phone;

import io.vigil.engine.signal.ReferenceDataException;
import io.vigil.engine.signal.ReferenceLines;
import java.io.Reader;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Mobile operators by number prefix, from a CSV file the operator of Vigil maintains:
 *
 * <pre>
 * # comment
 * calling_code,prefix,operator
 * 880,17,Grameenphone
 * </pre>
 *
 * <p>{@code prefix} is matched against the national significant number, the digits after the
 * country calling code without any trunk prefix (Bangladesh's {@code 017} is written {@code 17}).
 * The longest matching prefix wins. A (calling code, prefix) pair may appear once.
 *
 * <p>Immutable and thread-safe once loaded. A lookup tries at most {@link #PREFIX_DIGITS_MAX}
 * hash probes.
 */
public final class OperatorPrefixTable {
  /** Rows accepted; national plans have hundreds of mobile prefixes, not hundreds of thousands. */
  public static final int ROWS_MAX = 100_000;

  /** Longest prefix; national significant numbers have at most 17 digits (ITU-T E.164). */
  public static final int PREFIX_DIGITS_MAX = 12;

  /** Longest operator name. */
  public static final int OPERATOR_CHARS_MAX = 64;

  /** Largest country calling code (they have 1 to 3 digits). */
  public static final int CALLING_CODE_MAX = 999;

  /** Longest line: three fields and two commas. */
  static final int LINE_CHARS_MAX = 3 + PREFIX_DIGITS_MAX + OPERATOR_CHARS_MAX + 2 + 64;

  /** Lines read, comments included. */
  static final long LINES_MAX = 2L * ROWS_MAX;

  static final String HEADER = "calling_code,prefix,operator";
  static final String COMPONENT = "phone_operators";

  static {
    // The key packs the prefix value in 40 bits and its length in 8: 10^12 < 2^40.
    assert PREFIX_DIGITS_MAX <= 12;
    assert CALLING_CODE_MAX < (1 << 15);
  }

  private final Map<Long, String> operators;
  private final int prefixDigitsLongest;
  private final String version;

  private OperatorPrefixTable(Map<Long, String> operators, int prefixDigitsLongest, String version) {
    this.operators = Map.copyOf(operators);
    this.prefixDigitsLongest = prefixDigitsLongest;
    this.version = version;
  }

  /** A table with no rows: every lookup answers "". */
  public static OperatorPrefixTable empty() {
    return new OperatorPrefixTable(Map.of(), 0, "empty");
  }

  /**
   * Reads the whole table; the caller closes the reader.
   *
   * @param sourceName the file name used in error messages
   * @throws ReferenceDataException naming the source and line of the first unusable line
   */
  public static OperatorPrefixTable load(Reader reader, String sourceName) throws ReferenceDataException {
    ReferenceLines lines = new ReferenceLines(reader, COMPONENT, sourceName, LINE_CHARS_MAX, LINES_MAX);
    String header = lines.nextDataLine();
    if (header == null) throw lines.fileError("empty; expected the header line '" + HEADER + "'");
    if (!header.equals(HEADER)) throw lines.error("expected the header line '" + HEADER + "'");
    Map<Long, String> operators = new HashMap<>();
    Map<Long, Long> lineOf = new HashMap<>();
    Map<String, String> names = new HashMap<>();
    int longest = 0;
    for (int row = 0; row <= ROWS_MAX; row++) {
      String line = lines.nextDataLine();
      if (line == null) {
        return new OperatorPrefixTable(operators, longest, "sha256:" + lines.version());
      }
      if (row == ROWS_MAX) throw lines.error("more than " + ROWS_MAX + " rows");
      String[] fields = line.split(",", -1);
      if (fields.length != 3) throw lines.error("expected 3 fields (" + HEADER + "), found " + fields.length);
      int callingCode = parseCallingCode(fields[0].strip(), lines);
      String prefix = fields[1].strip();
      checkPrefix(prefix, lines);
      String operator = checkOperator(fields[2].strip(), lines);
      long key = key(callingCode, prefix, prefix.length());
      Long previous = lineOf.putIfAbsent(key, lines.lineNumber());
      if (previous != null) {
        throw lines.error("calling code " + callingCode + " prefix " + prefix + " already appears on line " + previous);
      }
      operators.put(key, names.computeIfAbsent(operator, n -> n));
      longest = Math.max(longest, prefix.length());
    }
    throw new AssertionError("the loop returns or throws by row ROWS_MAX");
  }

  private static int parseCallingCode(String text, ReferenceLines lines) throws ReferenceDataException {
    if (text.isEmpty() || text.length() > 3 || !allDigits(text) || text.charAt(0) == '0') {
      throw lines.error("calling_code must be 1 to 3 digits without a leading 0 or '+', found '" + text + "'");
    }
    int code = Integer.parseInt(text);
    assert code >= 1 && code <= CALLING_CODE_MAX;
    return code;
  }

  private static void checkPrefix(String prefix, ReferenceLines lines) throws ReferenceDataException {
    if (prefix.isEmpty() || prefix.length() > PREFIX_DIGITS_MAX || !allDigits(prefix)) {
      throw lines.error("prefix must be 1 to " + PREFIX_DIGITS_MAX + " digits, found '" + prefix + "'");
    }
  }

  private static String checkOperator(String operator, ReferenceLines lines) throws ReferenceDataException {
    if (operator.isEmpty()) throw lines.error("operator is empty");
    if (operator.length() > OPERATOR_CHARS_MAX) {
      throw lines.error("operator is longer than " + OPERATOR_CHARS_MAX + " characters");
    }
    for (int i = 0; i < operator.length(); i++) {
      if (Character.isISOControl(operator.charAt(i))) throw lines.error("operator contains a control character");
    }
    return operator;
  }

  /**
   * The operator whose prefix is the longest one starting {@code nationalNumber}, or "" when none.
   *
   * @param callingCode the country calling code, e.g. 880
   * @param nationalNumber the national significant number, digits only, e.g. "1712345678"
   */
  public String operatorFor(int callingCode, String nationalNumber) {
    Objects.requireNonNull(nationalNumber, "nationalNumber");
    if (callingCode < 1 || callingCode > CALLING_CODE_MAX) return "";
    int digits = Math.min(prefixDigitsLongest, nationalNumber.length());
    if (digits == 0 || !allDigits(nationalNumber, digits)) return "";
    for (int length = digits; length >= 1; length--) {
      String hit = operators.get(key(callingCode, nationalNumber, length));
      if (hit != null) return hit;
    }
    return "";
  }

  /** Packs (calling code, prefix length, prefix value) into one long; {@code digits} are ASCII digits. */
  private static long key(int callingCode, String digits, int length) {
    assert length >= 1 && length <= PREFIX_DIGITS_MAX;
    assert length <= digits.length();
    long value = 0;
    for (int i = 0; i < length; i++) value = value * 10 + (digits.charAt(i) - '0');
    return ((long) callingCode << 48) | ((long) length << 40) | value;
  }

  private static boolean allDigits(String s) {
    return allDigits(s, s.length());
  }

  /** True when the first {@code count} characters of {@code s} are ASCII digits. */
  private static boolean allDigits(String s, int count) {
    assert count <= s.length();
    for (int i = 0; i < count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return false;
    }
    return true;
  }

  /** Rows in the table. */
  public int size() {
    return operators.size();
  }

  /** A hash of the file's content (16 hex digits), or "empty"; changes whenever a line changes. */
  public String version() {
    return version;
  }
}
