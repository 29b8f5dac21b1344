package io.vigil.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.engine.policy.Action;
import java.util.List;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {
  @Test
  void aucCountsPairsAndHalvesTies() {
    // Positives 0.9 and 0.4; negatives 0.8, 0.4, 0.1. Pairs: (0.9 > all 3) = 3; (0.4 vs 0.8) = 0,
    // (0.4 vs 0.4) = 0.5, (0.4 vs 0.1) = 1 → 4.5 of 6.
    double[] s = {0.9, 0.8, 0.4, 0.4, 0.1};
    boolean[] y = {true, false, true, false, false};
    assertThat(RankingMetrics.aucRoc(s, y)).isCloseTo(0.75, within(1e-12));
    assertThat(RankingMetrics.aucRoc(new double[] {1, 2}, new boolean[] {false, true})).isEqualTo(1.0);
    assertThat(RankingMetrics.aucRoc(new double[] {1, 2}, new boolean[] {true, true})).isNaN();
  }

  @Test
  void averagePrecisionMatchesTheStepwiseDefinition() {
    // Ranked: 0.9 (P), 0.8 (N), 0.7 (P), 0.1 (N). Recall steps at ranks 1 and 3:
    // AP = 0.5 × 1/1 + 0.5 × 2/3 = 0.8333…
    double[] s = {0.1, 0.7, 0.8, 0.9};
    boolean[] y = {false, true, false, true};
    assertThat(RankingMetrics.averagePrecision(s, y)).isCloseTo(0.5 + 0.5 * 2 / 3.0, within(1e-12));
    // A tie group counts as one threshold: {0.5: P, N} then {0.2: P} → 0.5 × 1/2 + 0.5 × 2/3.
    assertThat(RankingMetrics.averagePrecision(new double[] {0.5, 0.5, 0.2}, new boolean[] {true, false, true}))
        .isCloseTo(0.25 + 1 / 3.0, within(1e-12));
  }

  @Test
  void recallAtFixedFalsePositiveRates() {
    // 4 negatives: FPR steps of 0.25. Ranked: P, N, P, N, N, P, N.
    double[] s = {7, 6, 5, 4, 3, 2, 1};
    boolean[] y = {true, false, true, false, false, true, false};
    assertThat(RankingMetrics.recallAtFpr(s, y, 0.0)).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(RankingMetrics.recallAtFpr(s, y, 0.25)).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(RankingMetrics.recallAtFpr(s, y, 0.74)).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(RankingMetrics.recallAtFpr(s, y, 0.75)).isEqualTo(1.0);
  }

  @Test
  void cardPrecisionRanksCardsByTheirMaxScorePerDayAndDropsDetectedCards() {
    // Day 0: card 1 (max 0.9, fraud), card 2 (0.8, legit), card 3 (0.7, fraud). k = 2 → {1, 2}: 1 hit → 0.5.
    // Day 1: card 1 is already detected and dropped; card 3 (0.95, fraud), card 4 (0.2, legit) → {3, 4}: 1 hit → 0.5.
    // Day 2: card 5 only (legit) → 0 of k = 2 → 0.0.  Mean = 1/3.
    long[] day = {0, 0, 0, 0, 1, 1, 1, 2};
    long[] card = {1, 1, 2, 3, 1, 3, 4, 5};
    double[] score = {0.1, 0.9, 0.8, 0.7, 0.99, 0.95, 0.2, 0.6};
    boolean[] fraud = {false, true, false, true, true, true, false, false};
    CardPrecision.Result r = CardPrecision.atK(day, card, score, fraud, 2);
    assertThat(r.perDay()).containsExactly(0.5, 0.5, 0.0);
    assertThat(r.mean()).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(r.days()).isEqualTo(List.of(0L, 1L, 2L));
  }

  @Test
  void interceptionAndFalseInterceptionRates() {
    Action[] a = {Action.DENY, Action.REVIEW, Action.ALLOW, Action.CHALLENGE, Action.ALLOW, Action.REVIEW};
    boolean[] fraud = {true, false, true, true, false, false};
    InterceptionMetrics m = InterceptionMetrics.of(a, fraud);
    assertThat(m.interceptionRate()).isCloseTo(2 / 3.0, within(1e-12)); // fraud at 0 and 3 stopped, 2 allowed
    assertThat(m.reviewRate()).isCloseTo(2 / 6.0, within(1e-12));
    assertThat(m.denyRate()).isCloseTo(1 / 6.0, within(1e-12));
    assertThat(m.falseInterceptionRate()).isCloseTo(2 / 4.0, within(1e-12)); // of 4 intercepted, 1 and 5 legit
    assertThat(m.legitimateInterceptedRate()).isCloseTo(2 / 3.0, within(1e-12));
  }
}
