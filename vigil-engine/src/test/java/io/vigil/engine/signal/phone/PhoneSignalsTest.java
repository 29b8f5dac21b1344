package io.vigil.engine.signal.phone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the real libphonenumber (metadata and carrier data) on documentation-style numbers. */
class PhoneSignalsTest {
  static OperatorPrefixTable shippedTable;

  @BeforeAll
  static void loadTable() throws Exception {
    shippedTable = OperatorPrefixTableTest.shipped();
  }

  final PhoneSignals signals = new PhoneSignals(shippedTable, 1_000);

  @Test
  void everyBangladeshiMobilePrefixIsRecognised() {
    String[][] cases = {
        {"+8801312345678", "Grameenphone"}, {"+8801412345678", "Banglalink"}, {"+8801512345678", "Teletalk"},
        {"+8801612345678", "Airtel"}, {"+8801712345678", "Grameenphone"}, {"+8801812345678", "Robi"},
        {"+8801912345678", "Banglalink"}};
    for (String[] c : cases) {
      assertThat(signals.describe(c[0])).as(c[0]).isEqualTo(new PhoneInfo(true, "BD", "mobile", c[1]));
    }
  }

  @Test
  void carrierDataIsTheFallbackAfterThePrefixTable() {
    PhoneSignals carrierOnly = new PhoneSignals(OperatorPrefixTable.empty(), 100);
    assertThat(carrierOnly.describe("+8801712345678").operator()).isEqualTo("Grameenphone");
    assertThat(carrierOnly.describe("+8801912345678").operator()).isEqualTo("Banglalink");
    // carrier 2.6 still gives 016 to Robi (Airtel merged into Robi); the shipped table says Airtel.
    assertThat(carrierOnly.describe("+8801612345678").operator()).isEqualTo("Robi");
    assertThat(signals.describe("+8801612345678").operator()).isEqualTo("Airtel");
    // Another country, from carrier data alone.
    assertThat(signals.describe("+919876543210")).isEqualTo(new PhoneInfo(true, "IN", "mobile", "Airtel"));
  }

  @Test
  void withoutCarrierFallbackOnlyTheTableNamesOperators() {
    PhoneSignals tableOnly = new PhoneSignals(shippedTable, 100, false);
    assertThat(tableOnly.describe("+8801712345678").operator()).isEqualTo("Grameenphone");
    assertThat(tableOnly.describe("+919876543210")).isEqualTo(new PhoneInfo(true, "IN", "mobile", ""));
  }

  @Test
  void regionsAndNumberTypes() {
    assertThat(signals.describe("+14155552671")).isEqualTo(new PhoneInfo(true, "US", "fixed_line_or_mobile", ""));
    assertThat(signals.describe("+18005550199")).isEqualTo(new PhoneInfo(true, "US", "toll_free", ""));
    assertThat(signals.describe("+442071838750")).isEqualTo(new PhoneInfo(true, "GB", "fixed_line", ""));
    assertThat(signals.describe("+6591234567")).satisfies(i -> {
      assertThat(i.region()).isEqualTo("SG");
      assertThat(i.numberType()).isEqualTo("mobile");
    });
    assertThat(signals.describe("+2348031234567")).satisfies(i -> {
      assertThat(i.region()).isEqualTo("NG");
      assertThat(i.numberType()).isEqualTo("mobile");
    });
    // Universal international freephone (+800): valid, but no country.
    assertThat(signals.describe("+80012345678")).isEqualTo(new PhoneInfo(true, "", "toll_free", ""));
  }

  @Test
  void invalidNumbersAreReportedNotThrown() {
    // Too short for Bangladesh: parsed, invalid, no type and no operator even though 17 is listed.
    assertThat(signals.describe("+88017123")).isEqualTo(new PhoneInfo(false, "BD", "unknown", ""));
    // A number range Bangladesh does not use.
    assertThat(signals.describe("+8802912345678").valid()).isFalse();
    // A US number with an area code that cannot start with 1.
    assertThat(signals.describe("+11234567890")).satisfies(i -> {
      assertThat(i.valid()).isFalse();
      assertThat(i.numberType()).isEqualTo("unknown");
      assertThat(i.operator()).isEmpty();
    });
    // No such country calling code.
    assertThat(signals.describe("+999123456789")).isEqualTo(PhoneInfo.UNPARSABLE);
  }

  @Test
  void inputThatIsNotE164IsUnparsableAndNotCached() {
    for (String bad : List.of("", "+", "8801712345678", "+08801712345678", "+880 1712345678", "+880-17-1234",
        "+8801712345678901", "++8801712345678", "+88017l2345678")) {
      assertThat(signals.describe(bad)).as(bad).isSameAs(PhoneInfo.UNPARSABLE);
      assertThat(signals.describeUncached(bad)).as(bad).isSameAs(PhoneInfo.UNPARSABLE);
    }
    signals.cleanUp();
    assertThat(signals.cachedEntries()).isZero();
    assertThatThrownBy(() -> signals.describe(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void answersAreCachedAndTheCacheIsBounded() {
    PhoneInfo first = signals.describe("+8801712345678");
    assertThat(signals.describe("+8801712345678")).isSameAs(first);
    assertThat(signals.describeUncached("+8801712345678")).isEqualTo(first).isNotSameAs(first);

    PhoneSignals small = new PhoneSignals(shippedTable, 10);
    for (int i = 0; i < 500; i++) small.describe("+88017" + (10_000_000 + i));
    small.cleanUp();
    assertThat(small.cachedEntries()).isLessThanOrEqualTo(10);
    assertThat(small.describe("+8801710000001")).isEqualTo(new PhoneInfo(true, "BD", "mobile", "Grameenphone"));
  }

  @Test
  void concurrentCallersGetTheSameAnswers() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<PhoneInfo>>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(pool.submit(() -> {
          List<PhoneInfo> seen = new ArrayList<>();
          for (int i = 0; i < 200; i++) seen.add(signals.describe("+88019" + (12_345_000 + i % 50)));
          return seen;
        }));
      }
      for (Future<List<PhoneInfo>> f : futures) {
        assertThat(f.get(30, TimeUnit.SECONDS)).hasSize(200)
            .allSatisfy(i -> assertThat(i).isEqualTo(new PhoneInfo(true, "BD", "mobile", "Banglalink")));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void cacheSizeIsBounded() {
    assertThatThrownBy(() -> new PhoneSignals(shippedTable, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PhoneSignals(shippedTable, PhoneSignals.CACHE_ENTRIES_MAX + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PhoneSignals(null, 10)).isInstanceOf(NullPointerException.class);
  }
}
