package io.vigil.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.engine.evaluation.RankingMetrics;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The handbook baselines: their features on a hand-checked stream, and models that learn a known signal. */
class HandbookBaselinesTest {
  static final long DAY = ReplayOptions.DAY_MILLIS;
  static final long T0 = FdhSliceSmokeTest.millis("2018-04-02"); // a Monday

  static void add(ReplayData d, long t, int customer, int terminal, double amount, boolean fraud) {
    int i = d.add();
    d.timeMillis[i] = t;
    d.account[i] = customer;
    d.merchant[i] = terminal;
    d.amountMajor[i] = (float) amount;
    d.truth[i] = fraud;
  }

  @Test
  void theFifteenFeaturesFollowTheHandbooksWindows() {
    ReplayData d = new ReplayData(1, 16, false);
    add(d, T0 + 3 * 3_600_000L, 0, 0, 10, true);            // Monday 03:00: night
    add(d, T0 + 12 * 3_600_000L, 0, 0, 30, false);          // same day
    add(d, T0 + 2 * DAY, 0, 1, 50, false);                   // 2 days later
    add(d, T0 + 8 * DAY + 12 * 3_600_000L, 1, 0, 20, false); // 8.5 days later, Tuesday, another customer, terminal 0
    add(d, T0 + 13 * DAY, 0, 0, 40, false);                  // Sunday
    double[] x = HandbookBaselines.features(d, 7 * DAY);
    int f = HandbookBaselines.F;
    assertThat(x[2]).isEqualTo(1);         // night
    assertThat(x[f + 2]).isEqualTo(0);     // noon
    assertThat(x[4 * f + 1]).isEqualTo(1); // Sunday: weekend
    // Row 2 (day 2): customer 0's 1-day window holds only itself; 7 days hold all three.
    assertThat(x[2 * f + 3]).isEqualTo(1);
    assertThat(x[2 * f + 4]).isEqualTo(50);
    assertThat(x[2 * f + 5]).isEqualTo(3);
    assertThat(x[2 * f + 6]).isCloseTo(30, within(1e-9));
    // Row 1: two of customer 0's transactions in the day.
    assertThat(x[f + 3]).isEqualTo(2);
    assertThat(x[f + 4]).isEqualTo(20);
    // Row 3 (day 8.5) on terminal 0: its 1-day delayed window (day 0.5, day 1.5] excludes row 1 (at day 0.5 exactly);
    // 7 days hold rows 0 and 1, one fraud.
    assertThat(x[3 * f + 9]).isEqualTo(0);
    assertThat(x[3 * f + 10]).isEqualTo(0);
    assertThat(x[3 * f + 11]).isEqualTo(2);
    assertThat(x[3 * f + 12]).isEqualTo(0.5);
    // Row 0: nothing on the terminal a week before: no count, risk 0.
    assertThat(x[9]).isEqualTo(0);
    assertThat(x[10]).isEqualTo(0);
    // Row 4 (day 13) on terminal 0: (day 5 .. day 6] is empty for 1 day; 30 days hold rows 0 and 1 (row 3 is only 4.5 days old).
    assertThat(x[4 * f + 9]).isEqualTo(0);
    assertThat(x[4 * f + 13]).isEqualTo(2);
    assertThat(x[4 * f + 14]).isEqualTo(0.5);
  }

  @Test
  void bothBaselinesLearnAFraudSignalAndScoreOnlyTheirTestWeeks() {
    Random r = new Random(4);
    ReplayData d = new ReplayData(1, 1 << 16, false);
    int terminals = 300;
    boolean[] bad = new boolean[terminals];
    for (int k = 0; k < 30; k++) bad[r.nextInt(terminals)] = true;
    long t = T0;
    for (int i = 0; i < 60_000; i++) {
      t += 60_000; // a minute apart: 6 weeks
      int terminal = r.nextInt(terminals);
      double amount = Math.exp(r.nextGaussian() * 0.5 + 3.5);
      boolean fraud = amount > 80 || (bad[terminal] && r.nextDouble() < 0.3);
      add(d, t, r.nextInt(2_000), terminal, amount, fraud);
    }
    long testWeek = T0 + 28 * DAY;
    HandbookBaselines b = HandbookBaselines.compute(d, 7 * DAY, List.of(testWeek), 7 * DAY);
    assertThat(b.trainedWeeks).containsExactly("2018-04-30");
    int first = d.lowerBound(testWeek), end = d.lowerBound(testWeek + 7 * DAY);
    assertThat(b.logistic[first - 1]).isNaN();
    assertThat(b.forest[end]).isNaN();
    double[] lr = new double[end - first], rf = new double[end - first];
    boolean[] y = new boolean[end - first];
    for (int i = first; i < end; i++) {
      lr[i - first] = b.logistic[i];
      rf[i - first] = b.forest[i];
      y[i - first] = d.truth[i];
    }
    assertThat(RankingMetrics.aucRoc(lr, y)).isGreaterThan(0.8);
    assertThat(RankingMetrics.aucRoc(rf, y)).isGreaterThan(0.9);
    assertThat(RankingMetrics.averagePrecision(rf, y)).isGreaterThan(0.7);
  }
}
