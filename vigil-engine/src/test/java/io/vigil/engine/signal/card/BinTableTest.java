package io.vigil.engine.signal.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vigil.engine.signal.ReferenceDataException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BinTableTest {
  static final String HEADER = "range_start,range_end,scheme,type,country,issuer\n";
  static BinTable sample;

  @BeforeAll
  static void loadSample() throws Exception {
    try (InputStream in = BinTableTest.class.getResourceAsStream("/reference/bins-sample.csv")) {
      assertThat(in).isNotNull();
      sample = BinTable.load(new InputStreamReader(in, StandardCharsets.UTF_8), "bins-sample.csv");
    }
  }

  static BinTable load(String rows) throws ReferenceDataException {
    return BinTable.load(new StringReader(HEADER + rows), "bins.csv");
  }

  static ReferenceDataException rejected(String rows) {
    ReferenceDataException e = catchThrowableOfType(() -> load(rows), ReferenceDataException.class);
    assertThat(e).as("rejected: %s", rows).isNotNull();
    assertThat(e.component()).isEqualTo("bin_table");
    return e;
  }

  @Test
  void shippedSampleLoads() {
    assertThat(sample.size()).isEqualTo(33);
    assertThat(sample.version()).matches("sha256:[0-9a-f]{16}");
    assertThat(sample.lookup("411100")).isEqualTo(new BinInfo("visa", "debit", "BD", "Sample Bank BD"));
    assertThat(sample.lookup("52000042")).isEqualTo(new BinInfo("mastercard", "debit", "US", "Example National Bank"));
    assertThat(sample.lookup("2221000")).isEqualTo(new BinInfo("mastercard", "debit", "US", "Example Federal Credit Union"));
    assertThat(sample.lookup("374512").scheme()).isEqualTo("amex");
    assertThat(sample.lookup("621050")).isEqualTo(new BinInfo("unionpay", "credit", "BD", "Sample Bank BD"));
    assertThat(sample.lookup("625000").prepaid()).isTrue();
    assertThat(sample.lookup("506150").scheme()).isEqualTo("verve");
    assertThat(sample.lookup("999999")).isNull();
    assertThat(sample.lookup("000000")).isNull();
    assertThat(sample.lookup("411300")).isNull();
  }

  @Test
  void nestedRangeAnswersForTheBinsItFullyCovers() {
    BinInfo outer = new BinInfo("visa", "debit", "BD", "Sample Bank BD");
    BinInfo inner = new BinInfo("visa", "prepaid", "BD", "Sample Prepaid BD");
    // The 8-digit range 41110050..41110059 sits inside 411100..411199.
    assertThat(sample.lookup("41110055")).isEqualTo(inner);
    assertThat(sample.lookup("41110050")).isEqualTo(inner);
    assertThat(sample.lookup("41110059")).isEqualTo(inner);
    assertThat(sample.lookup("4111005")).as("7 digits: 41110050..59, all inner").isEqualTo(inner);
    assertThat(sample.lookup("41110049")).isEqualTo(outer);
    assertThat(sample.lookup("41110060")).isEqualTo(outer);
    assertThat(sample.lookup("4111004")).isEqualTo(outer);
    assertThat(sample.lookup("411100")).as("6 digits: 41110000..99, mostly outer").isEqualTo(outer);
    assertThat(sample.lookup("41119999")).isEqualTo(outer);
    assertThat(sample.lookup("41110055").prepaid()).isTrue();
    // The 8-digit range 54050000..54050099 is exactly what the 6-digit BIN 540500 covers.
    assertThat(sample.lookup("540500")).isEqualTo(new BinInfo("mastercard", "prepaid", "IN", "Demo Prepaid India"));
    assertThat(sample.lookup("540501")).isEqualTo(new BinInfo("mastercard", "credit", "IN", "Demo Bank India"));
  }

  @Test
  void sevenDigitRangeAndShorterQueries() {
    BinInfo gift = new BinInfo("visa", "prepaid", "US", "Example Gift Card Co");
    // 4217000..4217099 is 42170000..42170999.
    assertThat(sample.lookup("421700")).isEqualTo(gift);
    assertThat(sample.lookup("4217099")).isEqualTo(gift);
    assertThat(sample.lookup("42170999")).isEqualTo(gift);
    assertThat(sample.lookup("42171000")).isNull();
    assertThat(sample.lookup("421710")).isNull();
  }

  @Test
  void aShortQueryOnlyPartlyCoveredIsUnknown() throws Exception {
    BinTable table = load("41110050,41110059,visa,prepaid,BD,Sample Prepaid BD\n");
    assertThat(table.lookup("41110055").prepaid()).isTrue();
    assertThat(table.lookup("4111005").prepaid()).isTrue();
    assertThat(table.lookup("411100")).isNull();
    assertThat(table.lookup("4111004")).isNull();
  }

  @Test
  void deepNestingAndAdjacentRanges() throws Exception {
    BinTable table = load("""
        400000,409999,visa,credit,US,Level 1
        410000,419999,visa,debit,US,Neighbour
        401000,401999,visa,credit,GB,Level 2
        4015000,4015999,visa,debit,IN,Level 3
        40155000,40155099,visa,prepaid,SG,Level 4
        40155100,40155199,visa,prepaid,NG,Level 4 sibling
        401600,401699,visa,debit,BD,Level 2 sibling
        """);
    assertThat(table.size()).isEqualTo(7);
    assertThat(table.lookup("40000000").issuer()).isEqualTo("Level 1");
    assertThat(table.lookup("40100000").issuer()).isEqualTo("Level 2");
    assertThat(table.lookup("40150000").issuer()).isEqualTo("Level 3");
    assertThat(table.lookup("40155050").issuer()).isEqualTo("Level 4");
    assertThat(table.lookup("40155150").issuer()).isEqualTo("Level 4 sibling");
    assertThat(table.lookup("40155200").issuer()).isEqualTo("Level 3");
    assertThat(table.lookup("4015520").issuer()).isEqualTo("Level 3");
    assertThat(table.lookup("401550").issuer()).as("6 digits, exactly level 4").isEqualTo("Level 4");
    assertThat(table.lookup("401551").issuer()).as("6 digits, exactly the sibling").isEqualTo("Level 4 sibling");
    assertThat(table.lookup("401552").issuer()).isEqualTo("Level 3");
    assertThat(table.lookup("40159999").issuer()).isEqualTo("Level 3");
    assertThat(table.lookup("40160000").issuer()).isEqualTo("Level 2 sibling");
    assertThat(table.lookup("40170000").issuer()).isEqualTo("Level 2");
    assertThat(table.lookup("40200000").issuer()).isEqualTo("Level 1");
    assertThat(table.lookup("40999999").issuer()).isEqualTo("Level 1");
    assertThat(table.lookup("41000000").issuer()).isEqualTo("Neighbour");
    assertThat(table.lookup("41999999").issuer()).isEqualTo("Neighbour");
    assertThat(table.lookup("42000000")).isNull();
    assertThat(table.lookup("39999999")).isNull();
  }

  @Test
  void crossingRangesAreRejectedNamingBothLines() {
    assertThat(rejected("411100,411199,visa,debit,BD,A\n411150,411250,visa,debit,BD,B\n")).hasMessage(
        "bins.csv line 3: range partially overlaps the range on line 2; ranges must nest or be disjoint");
    // Different bound lengths: 41119990..41120010 crosses 41110000..41119999.
    assertThat(rejected("41119990,41120010,visa,debit,BD,B\n# gap\n411100,411199,visa,debit,BD,A\n"))
        .hasMessageStartingWith("bins.csv line 4: range partially overlaps the range on line 2");
    // Crossing a range that is itself nested.
    assertThat(rejected("400000,409999,visa,credit,US,A\n401000,401999,visa,credit,US,B\n401500,402500,visa,credit,US,C\n"))
        .hasMessageStartingWith("bins.csv line 4: range partially overlaps the range on line 3");
  }

  @Test
  void repeatedRangesAreRejectedEvenWrittenDifferently() {
    assertThat(rejected("411100,411199,visa,debit,BD,A\n41110000,41119999,visa,credit,BD,B\n"))
        .hasMessage("bins.csv line 3: range covers the same BINs as the range on line 2");
    assertThat(rejected("411100,411100,visa,debit,BD,A\n4111000,4111009,visa,credit,BD,B\n"))
        .hasMessageStartingWith("bins.csv line 3: range covers the same BINs");
  }

  @Test
  void nestingDeeperThanTheLimitIsRejected() {
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i <= BinTable.NESTING_DEPTH_MAX; i++) {
      rows.append(40_000_000 + i).append(',').append(49_999_999 - i).append(",visa,debit,US,Level ").append(i).append('\n');
    }
    assertThat(rejected(rows.toString())).hasMessage("bins.csv line 18: ranges nest more than 16 deep");
  }

  @Test
  void badRowsAreRejectedWithTheirLineNumbers() {
    String ok = "411100,411199,visa,debit,BD,Sample Bank BD\n";
    assertThat(rejected(ok + "411200,411299,visa,debit,BD\n")).hasMessageStartingWith("bins.csv line 3: expected 6 fields");
    assertThat(rejected(ok + "41120a,411299,visa,debit,BD,X\n")).hasMessage("bins.csv line 3: range_start must be 6 to 8 digits, found '41120a'");
    assertThat(rejected(ok + "41120,411299,visa,debit,BD,X\n")).hasMessageStartingWith("bins.csv line 3: range_start must be 6 to 8 digits");
    assertThat(rejected(ok + "411200,411299000,visa,debit,BD,X\n")).hasMessageStartingWith("bins.csv line 3: range_end must be 6 to 8 digits");
    assertThat(rejected(ok + "411200,4112999,visa,debit,BD,X\n")).hasMessage("bins.csv line 3: range_start and range_end must have the same number of digits");
    assertThat(rejected(ok + "411299,411200,visa,debit,BD,X\n")).hasMessage("bins.csv line 3: range_start 411299 is after range_end 411200");
    assertThat(rejected(ok + "411200,411299,visacard,debit,BD,X\n")).hasMessageStartingWith("bins.csv line 3: unknown scheme 'visacard'; known: amex, bc_card");
    assertThat(rejected(ok + "411200,411299,visa,charge,BD,X\n")).hasMessage("bins.csv line 3: unknown type 'charge'; known: credit, debit, prepaid");
    assertThat(rejected(ok + "411200,411299,visa,debit,bd,X\n")).hasMessage("bins.csv line 3: country must be two upper-case letters (ISO 3166-1 alpha-2), found 'bd'");
    assertThat(rejected(ok + "411200,411299,visa,debit,BGD,X\n")).hasMessageStartingWith("bins.csv line 3: country must be two upper-case letters");
    assertThat(rejected(ok + "411200,411299,visa,debit,B1,X\n")).hasMessageStartingWith("bins.csv line 3: country must be");
    assertThat(rejected(ok + "411200,411299,visa,debit,BD," + "x".repeat(129) + "\n")).hasMessage("bins.csv line 3: issuer is longer than 128 characters");
    assertThat(rejected(ok + "411200,411299,visa,debit,BD,A\u0000B\n")).hasMessage("bins.csv line 3: issuer contains a control character");
  }

  @Test
  void headerIsRequired() {
    ReferenceDataException e = catchThrowableOfType(
        () -> BinTable.load(new StringReader("411100,411199,visa,debit,BD,X\n"), "bins.csv"), ReferenceDataException.class);
    assertThat(e).hasMessage("bins.csv line 1: expected the header line 'range_start,range_end,scheme,type,country,issuer'");
    e = catchThrowableOfType(() -> BinTable.load(new StringReader("# nothing\n"), "bins.csv"), ReferenceDataException.class);
    assertThat(e).hasMessageStartingWith("bins.csv: empty");
  }

  @Test
  void schemeAndTypeCaseIsFoldedAndIssuerMayBeEmpty() throws Exception {
    BinTable table = load("411100,411199, VISA ,Debit,BD,\n");
    assertThat(table.lookup("411150")).isEqualTo(new BinInfo("visa", "debit", "BD", ""));
    assertThat(load("").size()).isZero();
    assertThat(load("").lookup("411100")).isNull();
  }

  @Test
  void lookupRejectsWhatIsNotABin() {
    for (String bad : List.of("", "41111", "411111111", "41a111", "4111 11", "-41111")) {
      assertThatThrownBy(() -> sample.lookup(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> sample.lookup(null)).isInstanceOf(NullPointerException.class);
  }

  /** Random nested tables checked against a brute-force answer: the narrowest range covering the query. */
  @Test
  void lookupAgreesWithBruteForceOnRandomNestedTables() throws Exception {
    Random random = new Random(20261121L);
    int nestedAnswers = 0;
    int unknownAnswers = 0;
    for (int round = 0; round < 20; round++) {
      List<long[]> ranges = randomNestedRanges(random, 150);
      StringBuilder csv = new StringBuilder();
      for (long[] r : ranges) {
        csv.append(bound(r[0], (int) r[2])).append(',').append(bound(r[1], (int) r[2]))
            .append(",visa,debit,US,R").append(r[3]).append('\n');
      }
      BinTable table = load(csv.toString());
      assertThat(table.size()).isEqualTo(ranges.size());
      for (int q = 0; q < 2_000; q++) {
        int digits = 6 + random.nextInt(3);
        int scale = digits == 6 ? 100 : digits == 7 ? 10 : 1;
        long first = (40_000_000L + random.nextInt(100_000)) / scale * scale;
        String bin = String.valueOf(first / scale);
        long[] best = narrowest(ranges, first, first + scale - 1);
        BinInfo found = table.lookup(bin);
        if (best == null) assertThat(found).as("bin %s", bin).isNull();
        else assertThat(found).as("bin %s", bin).isNotNull().extracting(BinInfo::issuer).isEqualTo("R" + best[3]);
        if (best == null) unknownAnswers++;
        else if (isNested(ranges, best)) nestedAnswers++;
      }
    }
    // The generator must exercise both cases: answers from nested ranges, and gaps.
    assertThat(nestedAnswers).isGreaterThan(1_000);
    assertThat(unknownAnswers).isGreaterThan(1_000);
  }

  static boolean isNested(List<long[]> ranges, long[] inner) {
    for (long[] r : ranges) if (r != inner && r[0] <= inner[0] && inner[1] <= r[1]) return true;
    return false;
  }

  /** Ranges {normalizedStart, normalizedEnd, digits, id} inside 40000000..40099999 that nest or are disjoint. */
  static List<long[]> randomNestedRanges(Random random, int count) {
    List<long[]> ranges = new ArrayList<>();
    for (int attempt = 0; attempt < 20 * count && ranges.size() < count; attempt++) {
      int digits = 6 + random.nextInt(3);
      long scale = digits == 6 ? 100 : digits == 7 ? 10 : 1;
      long widthMax = digits == 6 ? 20 : digits == 7 ? 60 : 400;
      long startPrefix = (40_000_000L + random.nextInt(100_000)) / scale;
      long endPrefix = Math.min(startPrefix + random.nextInt((int) widthMax), 40_099_999L / scale);
      long[] candidate = {startPrefix * scale, endPrefix * scale + scale - 1, digits, ranges.size()};
      if (fits(ranges, candidate)) ranges.add(candidate);
    }
    return ranges;
  }

  static boolean fits(List<long[]> ranges, long[] c) {
    int containing = 0;
    int contained = 0;
    for (long[] r : ranges) {
      boolean disjoint = r[1] < c[0] || c[1] < r[0];
      boolean rHoldsC = r[0] <= c[0] && c[1] <= r[1];
      boolean cHoldsR = c[0] <= r[0] && r[1] <= c[1];
      if (r[0] == c[0] && r[1] == c[1]) return false;
      if (!disjoint && !rHoldsC && !cHoldsR) return false;
      if (rHoldsC) containing++;
      if (cHoldsR) contained++;
    }
    return containing < 6 && contained < 6;
  }

  static long[] narrowest(List<long[]> ranges, long first, long last) {
    long[] best = null;
    for (long[] r : ranges) {
      if (r[0] <= first && last <= r[1] && (best == null || r[1] - r[0] < best[1] - best[0])) best = r;
    }
    return best;
  }

  static String bound(long normalized, int digits) {
    long scale = digits == 6 ? 100 : digits == 7 ? 10 : 1;
    return String.valueOf(normalized / scale);
  }
}
