package io.vigil.engine.signal.card;

import io.vigil.engine.signal.ReferenceDataException;
import io.vigil.engine.signal.ReferenceLines;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Card facts by BIN, from a CSV file of BIN ranges:
 *
 * <pre>
 * range_start,range_end,scheme,type,country,issuer
 * 411100,411199,visa,debit,BD,Sample Bank BD
 * </pre>
 *
 * <h2>Ranges</h2>
 * Bounds have 6 to 8 digits, both of the same length. A range covers every BIN of 6 to 8 digits
 * that starts with a prefix in [start, end]: it is normalized to 8 digits by padding the start
 * with 0s and the end with 9s ({@code 411100,411199} becomes [41110000, 41119999]). Ranges may
 * nest, and then the narrowest one containing a BIN answers; ranges that cross (overlap without
 * one containing the other) or repeat are rejected, naming both lines.
 *
 * <h2>Lookup</h2>
 * At load time the ranges are sorted by (start ascending, end descending) and swept once with an
 * explicit stack of open ranges, at most {@link #NESTING_DEPTH_MAX} deep. The sweep cuts them into
 * disjoint segments, each owned by the innermost range covering it, and records each range's
 * parent. A lookup binary-searches the segments ({@code log2(4,000,000) = 22} steps at the row
 * cap), then climbs to the first enclosing range that covers the whole query: a 6-digit BIN is the
 * 100 8-digit BINs it starts, and a nested 8-digit range covering only some of them does not
 * answer for it.
 *
 * <p>Immutable and thread-safe once loaded; a lookup allocates nothing.
 */
public final class BinTable {
  /** Rows accepted. Commercial BIN databases have a few hundred thousand ranges. */
  public static final int ROWS_MAX = 2_000_000;

  public static final int BIN_DIGITS_MIN = 6;
  public static final int BIN_DIGITS_MAX = 8;

  /** Ranges open inside one another; real tables nest 2 or 3 deep (6-, 7- and 8-digit ranges). */
  public static final int NESTING_DEPTH_MAX = 16;

  /** Longest issuer name. */
  public static final int ISSUER_CHARS_MAX = 128;

  /** Longest line: bounds, scheme, type, country, the longest issuer, commas and some spaces. */
  static final int LINE_CHARS_MAX = 256;

  /** Lines read, comments included. */
  static final long LINES_MAX = 2L * ROWS_MAX;

  /** Card schemes accepted in the scheme column (lower case; the file may use any case). */
  public static final Set<String> SCHEMES = Set.of(
      "visa", "mastercard", "amex", "unionpay", "discover", "jcb", "diners", "maestro", "rupay",
      "mir", "elo", "hipercard", "troy", "verve", "interac", "cartes_bancaires", "bc_card", "uatp");

  /** Card types accepted in the type column (lower case; the file may use any case). */
  public static final Set<String> CARD_TYPES = Set.of("debit", "credit", "prepaid");

  static final String HEADER = "range_start,range_end,scheme,type,country,issuer";
  static final String COMPONENT = "bin_table";

  private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000};

  static {
    assert BIN_DIGITS_MAX - BIN_DIGITS_MIN < POWERS_OF_TEN.length;
    assert BIN_DIGITS_MAX <= 9 : "normalized bounds must fit an int";
    assert 2L * ROWS_MAX < Integer.MAX_VALUE : "segment arrays are indexed by int";
  }

  /** One row as read, bounds normalized to 8 digits. */
  private record Row(int start, int end, BinInfo info, long line) {}

  /** Per range in sorted order: normalized end, enclosing range (-1 for none), answer. */
  private final int[] rangeEnd;
  private final int[] rangeParent;
  private final BinInfo[] rangeInfo;
  /** Disjoint segments in ascending order, and the innermost range owning each. */
  private final int[] segmentStart;
  private final int[] segmentEnd;
  private final int[] segmentRange;
  private final int segmentCount;
  private final String version;

  private BinTable(List<Row> sorted, Sweep sweep, String version) {
    int n = sorted.size();
    this.rangeEnd = new int[n];
    this.rangeInfo = new BinInfo[n];
    for (int i = 0; i < n; i++) {
      rangeEnd[i] = sorted.get(i).end();
      rangeInfo[i] = sorted.get(i).info();
    }
    this.rangeParent = sweep.parent;
    this.segmentStart = sweep.segmentStart;
    this.segmentEnd = sweep.segmentEnd;
    this.segmentRange = sweep.segmentRange;
    this.segmentCount = sweep.segmentCount;
    this.version = version;
    assert segmentCount <= 2 * n;
  }

  /**
   * Reads and checks the whole table; the caller closes the reader.
   *
   * @param sourceName the file name used in error messages
   * @throws ReferenceDataException naming the source and line(s) of the first problem found
   */
  public static BinTable load(Reader reader, String sourceName) throws ReferenceDataException {
    ReferenceLines lines = new ReferenceLines(reader, COMPONENT, sourceName, LINE_CHARS_MAX, LINES_MAX);
    String header = lines.nextDataLine();
    if (header == null) throw lines.fileError("empty; expected the header line '" + HEADER + "'");
    if (!header.equals(HEADER)) throw lines.error("expected the header line '" + HEADER + "'");
    List<Row> rows = new ArrayList<>();
    Map<BinInfo, BinInfo> shared = new HashMap<>();
    for (int row = 0; row <= ROWS_MAX; row++) {
      String line = lines.nextDataLine();
      if (line == null) break;
      if (row == ROWS_MAX) throw lines.error("more than " + ROWS_MAX + " rows");
      rows.add(parseRow(line, lines, shared));
    }
    rows.sort(Comparator.comparingInt(Row::start).thenComparing(Comparator.comparingInt(Row::end).reversed()));
    Sweep sweep = Sweep.run(rows, sourceName);
    return new BinTable(rows, sweep, "sha256:" + lines.version());
  }

  private static Row parseRow(String line, ReferenceLines lines, Map<BinInfo, BinInfo> shared)
      throws ReferenceDataException {
    String[] f = line.split(",", -1);
    if (f.length != 6) throw lines.error("expected 6 fields (" + HEADER + "), found " + f.length);
    String start = f[0].strip();
    String end = f[1].strip();
    checkBound("range_start", start, lines);
    checkBound("range_end", end, lines);
    if (start.length() != end.length()) {
      throw lines.error("range_start and range_end must have the same number of digits");
    }
    if (start.compareTo(end) > 0) throw lines.error("range_start " + start + " is after range_end " + end);
    String scheme = f[2].strip().toLowerCase(Locale.ROOT);
    if (!SCHEMES.contains(scheme)) throw lines.error("unknown scheme '" + f[2].strip() + "'; known: " + sorted(SCHEMES));
    String type = f[3].strip().toLowerCase(Locale.ROOT);
    if (!CARD_TYPES.contains(type)) throw lines.error("unknown type '" + f[3].strip() + "'; known: " + sorted(CARD_TYPES));
    String country = f[4].strip();
    if (!isCountryCode(country)) {
      throw lines.error("country must be two upper-case letters (ISO 3166-1 alpha-2), found '" + country + "'");
    }
    String issuer = checkIssuer(f[5].strip(), lines);
    BinInfo info = shared.computeIfAbsent(new BinInfo(scheme, type, country, issuer), i -> i);
    return new Row(normalize(start, '0'), normalize(end, '9'), info, lines.lineNumber());
  }

  private static void checkBound(String name, String value, ReferenceLines lines) throws ReferenceDataException {
    if (value.length() < BIN_DIGITS_MIN || value.length() > BIN_DIGITS_MAX || !allDigits(value)) {
      throw lines.error(name + " must be " + BIN_DIGITS_MIN + " to " + BIN_DIGITS_MAX + " digits, found '" + value + "'");
    }
  }

  private static String checkIssuer(String issuer, ReferenceLines lines) throws ReferenceDataException {
    if (issuer.length() > ISSUER_CHARS_MAX) throw lines.error("issuer is longer than " + ISSUER_CHARS_MAX + " characters");
    for (int i = 0; i < issuer.length(); i++) {
      if (Character.isISOControl(issuer.charAt(i))) throw lines.error("issuer contains a control character");
    }
    return issuer;
  }

  private static boolean isCountryCode(String s) {
    return s.length() == 2 && s.charAt(0) >= 'A' && s.charAt(0) <= 'Z' && s.charAt(1) >= 'A' && s.charAt(1) <= 'Z';
  }

  private static String sorted(Set<String> words) {
    return String.join(", ", words.stream().sorted().toList());
  }

  /** Pads a 6-8 digit bound to 8 digits with {@code pad} and returns its value. */
  private static int normalize(String bound, char pad) {
    assert bound.length() >= BIN_DIGITS_MIN && bound.length() <= BIN_DIGITS_MAX;
    int value = Integer.parseInt(bound);
    int missing = BIN_DIGITS_MAX - bound.length();
    int scale = POWERS_OF_TEN[missing];
    return pad == '0' ? value * scale : value * scale + scale - 1;
  }

  /**
   * The narrowest range containing every 8-digit BIN that starts with {@code bin}, or null when
   * none does.
   *
   * @param bin 6 to 8 ASCII digits
   * @throws IllegalArgumentException when {@code bin} is not 6 to 8 digits
   */
  public BinInfo lookup(String bin) {
    Objects.requireNonNull(bin, "bin");
    if (bin.length() < BIN_DIGITS_MIN || bin.length() > BIN_DIGITS_MAX || !allDigits(bin)) {
      throw new IllegalArgumentException("a BIN is " + BIN_DIGITS_MIN + " to " + BIN_DIGITS_MAX + " digits");
    }
    int scale = POWERS_OF_TEN[BIN_DIGITS_MAX - bin.length()];
    int first = Integer.parseInt(bin) * scale;
    int last = first + scale - 1;
    int segment = segmentAtOrBefore(first);
    if (segment < 0 || segmentEnd[segment] < first) return null;
    int range = segmentRange[segment];
    for (int depth = 0; depth < NESTING_DEPTH_MAX && range >= 0; depth++) {
      if (rangeEnd[range] >= last) return rangeInfo[range];
      range = rangeParent[range];
    }
    return null;
  }

  /** Index of the last segment starting at or before {@code value}, or -1. */
  private int segmentAtOrBefore(int value) {
    int low = 0;
    int high = segmentCount - 1;
    // Binary search: at most 32 halvings of an int range.
    for (int step = 0; step < 32 && low <= high; step++) {
      int mid = (low + high) >>> 1;
      if (segmentStart[mid] <= value) low = mid + 1;
      else high = mid - 1;
    }
    assert low > high;
    return high;
  }

  private static boolean allDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return false;
    }
    return true;
  }

  /** Ranges (rows) in the table. */
  public int size() {
    return rangeEnd.length;
  }

  /** A hash of the file's content (16 hex digits); changes whenever a line changes. */
  public String version() {
    return version;
  }

  /** The load-time sweep that checks nesting and cuts the sorted ranges into disjoint segments. */
  private static final class Sweep {
    final int[] parent;
    final int[] segmentStart;
    final int[] segmentEnd;
    final int[] segmentRange;
    int segmentCount;
    /** Next value not yet assigned to a segment. */
    private int cursor;

    private Sweep(int ranges) {
      parent = new int[ranges];
      segmentStart = new int[2 * ranges];
      segmentEnd = new int[2 * ranges];
      segmentRange = new int[2 * ranges];
    }

    static Sweep run(List<Row> sorted, String sourceName) throws ReferenceDataException {
      Sweep sweep = new Sweep(sorted.size());
      int[] open = new int[NESTING_DEPTH_MAX];
      int depth = 0;
      for (int i = 0; i < sorted.size(); i++) {
        Row row = sorted.get(i);
        while (depth > 0 && sorted.get(open[depth - 1]).end() < row.start()) {
          depth--;
          sweep.close(open[depth], sorted.get(open[depth]).end());
        }
        sweep.parent[i] = -1;
        if (depth > 0) {
          int enclosing = open[depth - 1];
          checkNests(sorted.get(enclosing), row, sourceName);
          sweep.emit(enclosing, row.start() - 1);
          sweep.parent[i] = enclosing;
        }
        if (depth == NESTING_DEPTH_MAX) {
          throw new ReferenceDataException(COMPONENT, sourceName + " line " + row.line()
              + ": ranges nest more than " + NESTING_DEPTH_MAX + " deep");
        }
        open[depth++] = i;
        sweep.cursor = row.start();
      }
      while (depth > 0) {
        depth--;
        sweep.close(open[depth], sorted.get(open[depth]).end());
      }
      return sweep;
    }

    /** Gives [cursor, end] to {@code range} and moves the cursor past it. */
    private void close(int range, int end) {
      emit(range, end);
      cursor = end + 1;
    }

    /** Gives [cursor, end] to {@code range} when that is not empty. */
    private void emit(int range, int end) {
      if (cursor > end) return;
      assert segmentCount == 0 || segmentEnd[segmentCount - 1] < cursor : "segments are disjoint and ascending";
      segmentStart[segmentCount] = cursor;
      segmentEnd[segmentCount] = end;
      segmentRange[segmentCount] = range;
      segmentCount++;
    }

    /** {@code inner} starts inside {@code outer}; it must also end inside it, and not be equal. */
    private static void checkNests(Row outer, Row inner, String sourceName) throws ReferenceDataException {
      assert outer.start() <= inner.start() && inner.start() <= outer.end();
      long first = Math.min(outer.line(), inner.line());
      long second = Math.max(outer.line(), inner.line());
      if (outer.start() == inner.start() && outer.end() == inner.end()) {
        throw new ReferenceDataException(COMPONENT, sourceName + " line " + second
            + ": range covers the same BINs as the range on line " + first);
      }
      if (inner.end() > outer.end()) {
        throw new ReferenceDataException(COMPONENT, sourceName + " line " + second
            + ": range partially overlaps the range on line " + first + "; ranges must nest or be disjoint");
      }
    }
  }
}
