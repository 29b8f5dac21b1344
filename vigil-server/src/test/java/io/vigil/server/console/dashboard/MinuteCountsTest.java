package io.vigil.server.console.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.engine.policy.Action;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dashboard's counters: ranges, steps, the ring's reuse of slots, percentiles, rule days, rates. */
class MinuteCountsTest {
  private static final long T0 = 1_773_151_200_000L; // 2026-03-10T14:00:00Z, a minute and hour boundary
  private static final long MIN = MinuteCounts.MINUTE_MILLIS;

  @Test
  void aRangeSumsItsMinutesByActionAndStep() {
    MinuteCounts c = new MinuteCounts();
    c.add(T0, Action.ALLOW, 5, 1_000_000, 1);
    c.add(T0 + 30_000, Action.DENY, 95, 2_000_000, 2);
    c.add(T0 + 3 * MIN, Action.REVIEW, 55, -1, 1);
    c.add(T0 + 10 * MIN, Action.HOLD, 100, -1, 4);

    MinuteCounts.Window w = c.read(T0, T0 + 10 * MIN, 2);
    assertThat(w.total()).as("the minute at the range's end is outside it").isEqualTo(4);
    assertThat(w.of(Action.ALLOW)).isEqualTo(1);
    assertThat(w.of(Action.DENY)).isEqualTo(2);
    assertThat(w.series()[Action.DENY.ordinal()]).containsExactly(2, 0, 0, 0, 0);
    assertThat(w.series()[Action.REVIEW.ordinal()]).containsExactly(0, 1, 0, 0, 0);
    assertThat(w.scoreBins()[0]).isEqualTo(1);
    assertThat(w.scoreBins()[9]).isEqualTo(2);
    assertThat(w.scoreBins()[5]).isEqualTo(1);

    MinuteCounts.Window later = c.read(T0 + 10 * MIN, T0 + 11 * MIN, 1);
    assertThat(later.of(Action.HOLD)).isEqualTo(4);
    assertThat(later.scoreBins()[9]).as("a score of 100 is in the last bin").isEqualTo(4);
  }

  @Test
  void aSlotTakenByANewerMinuteForgetsTheOlderOneAndRefusesOlderCounts() {
    MinuteCounts c = new MinuteCounts();
    c.add(T0, Action.ALLOW, 0, -1, 3);
    long lap = MinuteCounts.MINUTES * MIN;
    c.add(T0 + lap, Action.DENY, 0, -1, 1);
    assertThat(c.read(T0, T0 + MIN, 1).total()).as("the old minute left the ring").isZero();
    assertThat(c.read(T0 + lap, T0 + lap + MIN, 1).of(Action.DENY)).isEqualTo(1);
    c.add(T0, Action.ALLOW, 0, -1, 5);
    assertThat(c.read(T0 + lap, T0 + lap + MIN, 1).total()).as("a count older than the slot's minute is dropped").isEqualTo(1);
    assertThatThrownBy(() -> c.read(T0, T0 + lap + MIN, 60)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void percentilesAreTheUpperBoundOfTheBinHoldingTheRank() {
    MinuteCounts c = new MinuteCounts();
    for (int i = 0; i < 98; i++) c.add(T0, Action.ALLOW, 0, 1_000_000, 1); // 1 ms
    c.add(T0, Action.ALLOW, 0, 50_000_000, 1); // 50 ms
    c.add(T0, Action.ALLOW, 0, 400_000_000, 1); // 400 ms
    long[] bins = c.read(T0, T0 + MIN, 1).latencyBins();
    double p50 = MinuteCounts.percentileMillis(bins, 0.5);
    double p99 = MinuteCounts.percentileMillis(bins, 0.99);
    assertThat(p50).isBetween(1.0, 1.0 * Math.pow(2, 0.25));
    assertThat(p99).isBetween(50.0, 50.0 * Math.pow(2, 0.25));
    assertThat(MinuteCounts.percentileMillis(bins, 1.0)).isBetween(400.0, 400.0 * Math.pow(2, 0.25));
    assertThat(MinuteCounts.percentileMillis(new long[MinuteCounts.LATENCY_BINS], 0.5)).isNaN();
    assertThat(MinuteCounts.latencyBin(1)).isZero();
    assertThat(MinuteCounts.latencyBin(Long.MAX_VALUE)).isEqualTo(MinuteCounts.LATENCY_BINS - 1);
  }

  @Test
  void rulesAreCountedPerUtcDayAndBounded() {
    MinuteCounts c = new MinuteCounts();
    long day = Math.floorDiv(T0, MinuteCounts.DAY_MILLIS);
    c.addRule(T0, "velocity", 2);
    c.addRule(T0 + MIN, "velocity", 1);
    c.addRule(T0 - MinuteCounts.DAY_MILLIS, "velocity", 7);
    assertThat(c.rulesOn(day)).isEqualTo(Map.of("velocity", 3L));
    assertThat(c.rulesOn(day - 1)).isEqualTo(Map.of("velocity", 7L));
    assertThat(c.rulesOn(day - 2)).isEmpty();
    for (int i = 0; i < MinuteCounts.RULE_IDS_PER_DAY_MAX + 5; i++) c.addRule(T0, "r" + i, 1);
    Map<String, Long> today = c.rulesOn(day);
    assertThat(today).hasSize(MinuteCounts.RULE_IDS_PER_DAY_MAX + 1);
    assertThat(today.get(MinuteCounts.OTHER_RULES)).isEqualTo(6);
    c.addRule(T0 + MinuteCounts.DAYS * MinuteCounts.DAY_MILLIS, "later", 1);
    assertThat(c.rulesOn(day)).as("eight days on, the day's slot is reused").isEmpty();
  }

  @Test
  void ratesAndRuleRowsAreFormattedAgainstTheirTargets() {
    assertThat(DashboardStats.percent(1, 8)).isEqualTo("12.5 %");
    assertThat(DashboardStats.percent(0, 0)).isEqualTo("–");
    assertThat(DashboardStats.metClass(true)).isEqualTo("stat met");
    assertThat(DashboardStats.metClass(false)).isEqualTo("stat breach");
    DashboardStats.RuleRow row = DashboardStats.rule("velocity", 14, 70);
    assertThat(row.baseline()).isEqualTo("10.0");
    assertThat(row.change()).isEqualTo("+40 %");
    assertThat(DashboardStats.rule("fresh", 3, 0).change()).isEqualTo("new");
  }

  @Test
  void theChartDataHasOnePointPerStepInRatesPerMinute() {
    MinuteCounts c = new MinuteCounts();
    c.add(T0, Action.ALLOW, 10, -1, 30);
    MinuteCounts.Window w = c.read(T0, T0 + 24 * 60 * MIN, DashboardRange.H24.stepMinutes);
    Map<String, Object> data = DashboardController.chartData(DashboardRange.H24, w);
    assertThat((java.util.List<?>) data.get("times")).hasSize(144);
    assertThat(((java.util.List<?>) ((Map<?, ?>) data.get("per_minute")).get("ALLOW")).get(0)).isEqualTo(3.0);
    assertThat(data.get("total")).isEqualTo(30L);
    assertThat(DashboardController.range("nonsense")).isEqualTo(DashboardRange.DEFAULT);
    assertThat(DashboardController.range("7d")).isEqualTo(DashboardRange.D7);
  }

  @Test
  void aWeekIsReadInChunksAndEveryMinuteLandsInItsBucketOnceWhileWritersGoOn() throws Exception {
    MinuteCounts c = new MinuteCounts();
    long from = T0 - 7 * MinuteCounts.DAY_MILLIS + 17 * MIN; // not on a chunk's or an hour's boundary
    for (long m = 0; m < 7 * 24 * 60; m += 7) c.add(from + m * MIN, Action.ALLOW, 5, -1, 1);
    // A writer keeps adding to a minute outside the range while the reads run: it never waits for a whole read.
    Thread writer = new Thread(() -> {
      for (int i = 0; i < 200_000; i++) c.add(T0 + 60 * MIN, Action.DENY, 95, 1_000, 1);
    });
    writer.start();
    MinuteCounts.Window w = c.read(from, T0 + 17 * MIN, 60);
    writer.join();
    long expected = (7 * 24 * 60 + 6) / 7;
    assertThat(w.total()).isEqualTo(expected);
    assertThat(w.of(Action.DENY)).as("outside the range").isZero();
    assertThat(w.series()[Action.ALLOW.ordinal()]).hasSize(7 * 24);
    long sum = 0;
    for (int b = 0; b < w.series()[0].length; b++) {
      long inBucket = 0;
      for (long m = b * 60L; m < (b + 1) * 60L; m++) if (m % 7 == 0) inBucket++;
      assertThat(w.series()[Action.ALLOW.ordinal()][b]).as("bucket %d", b).isEqualTo(inBucket);
      sum += inBucket;
    }
    assertThat(sum).isEqualTo(expected);
    assertThat(c.read(T0 + 60 * MIN, T0 + 61 * MIN, 1).of(Action.DENY)).as("no write lost").isEqualTo(200_000);
  }
}
