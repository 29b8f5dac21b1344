package io.vigil.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.evaluation.InterceptionMetrics;
import io.vigil.engine.policy.Thresholds;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Thresholds from evidence: the target is met on the events they were chosen on, with the most interception it allows. */
class ThresholdProposalTest {
  /** 1 % fraud; frauds score high more often than legitimate events, with overlap. */
  static Object[] synthetic(int n, long seed) {
    Random r = new Random(seed);
    int[] scores = new int[n];
    boolean[] fraud = new boolean[n];
    for (int i = 0; i < n; i++) {
      fraud[i] = r.nextDouble() < 0.01;
      double z = fraud[i] ? 70 + 25 * r.nextGaussian() : 5 + 12 * Math.abs(r.nextGaussian());
      scores[i] = (int) Math.max(0, Math.min(100, Math.round(z)));
    }
    return new Object[] {scores, fraud};
  }

  @Test
  void theProposalMeetsTheTargetWithTheHighestInterceptionItAllows() {
    Object[] s = synthetic(200_000, 1);
    int[] scores = (int[]) s[0];
    boolean[] fraud = (boolean[]) s[1];
    ThresholdProposal.Target target = new ThresholdProposal.Target(0.05, 0.05, 0.01);
    ThresholdProposal.Proposal p = ThresholdProposal.propose(scores, fraud, target, "sms_otp");
    InterceptionMetrics e = p.expected();
    assertThat(p.met()).isTrue();
    assertThat(e.falseInterceptionRate()).isLessThanOrEqualTo(0.05);
    assertThat(e.reviewRate()).isLessThanOrEqualTo(0.05);
    assertThat(e.interceptionRate()).isGreaterThan(0.5);
    Thresholds t = p.thresholds();
    assertThat(t.challenge()).isLessThanOrEqualTo(t.review()).isGreaterThan(1);
    assertThat(t.review()).isLessThanOrEqualTo(t.deny());
    // One point lower intercepts more but breaks the false-interception target: nothing better was left.
    Thresholds lower = new Thresholds(t.challenge() - 1, t.challenge() - 1, t.deny(), 1, 1, 1, "sms_otp");
    InterceptionMetrics l = ThresholdProposal.rates(lower, scores, fraud);
    assertThat(l.interceptionRate()).isGreaterThanOrEqualTo(e.interceptionRate());
    assertThat(l.falseInterceptionRate()).isGreaterThan(0.05);
    // Denials are the surest band.
    Thresholds denyOnly = new Thresholds(t.deny(), t.deny(), t.deny(), 1, 1, 1, "sms_otp");
    assertThat(ThresholdProposal.rates(denyOnly, scores, fraud).falseInterceptionRate()).isLessThanOrEqualTo(0.01);
  }

  @Test
  void aTightReviewBudgetMovesEventsFromReviewToChallenge() {
    Object[] s = synthetic(200_000, 2);
    int[] scores = (int[]) s[0];
    boolean[] fraud = (boolean[]) s[1];
    ThresholdProposal.Proposal loose = ThresholdProposal.propose(scores, fraud, new ThresholdProposal.Target(0.05, 0.05, 0.01), "sms_otp");
    ThresholdProposal.Proposal tight = ThresholdProposal.propose(scores, fraud, new ThresholdProposal.Target(0.001, 0.05, 0.01), "sms_otp");
    assertThat(tight.expected().reviewRate()).isLessThanOrEqualTo(0.001);
    assertThat(tight.thresholds().review()).isGreaterThanOrEqualTo(loose.thresholds().review());
    assertThat(tight.expected().interceptionRate()).isEqualTo(loose.expected().interceptionRate());
  }

  @Test
  void aTargetNothingMeetsIsReported() {
    int[] scores = {50, 50, 50, 50};
    boolean[] fraud = {true, false, false, false};
    ThresholdProposal.Proposal p = ThresholdProposal.propose(scores, fraud, new ThresholdProposal.Target(0.05, 0.05, 0.01), "sms_otp");
    assertThat(p.met()).isFalse();
    assertThat(p.thresholds().challenge()).isEqualTo(100);
  }
}
