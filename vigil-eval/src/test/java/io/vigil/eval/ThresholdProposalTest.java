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

  /** The same events as {@link #synthetic}, scored by a model that is more confident: every score raised by {@code shift}. */
  static int[] shifted(int[] scores, int shift) {
    int[] out = new int[scores.length];
    for (int i = 0; i < out.length; i++) out[i] = Math.min(100, scores[i] + shift);
    return out;
  }

  @Test
  void thresholdsTravelToTheActingModelsScaleAsTrafficShares() {
    Object[] older = synthetic(100_000, 3), newer = synthetic(100_000, 4), recent = synthetic(100_000, 5), week = synthetic(100_000, 6);
    ThresholdProposal.Target target = new ThresholdProposal.Target(0.05, 0.05, 0.01);
    // The validation weeks were scored by the old model; the week ahead, and the recent traffic, by a new one 15 points hotter.
    ThresholdProposal.ModelProposal p = ThresholdProposal.forModel((int[]) older[0], (boolean[]) older[1], (int[]) newer[0],
        (boolean[]) newer[1], shifted((int[]) recent[0], 15), target, "sms_otp");
    int[] weekScores = shifted((int[]) week[0], 15);
    boolean[] weekFraud = (boolean[]) week[1];
    InterceptionMetrics reached = ThresholdProposal.rates(p.thresholds(), weekScores, weekFraud);
    InterceptionMetrics untranslated = ThresholdProposal.rates(p.validation(), weekScores, weekFraud);
    assertThat(p.thresholds().challenge()).isGreaterThan(p.validation().challenge());
    assertThat(untranslated.falseInterceptionRate()).as("old-scale thresholds on the new model's scores").isGreaterThan(0.05);
    assertThat(reached.falseInterceptionRate()).isLessThanOrEqualTo(0.05);
    assertThat(reached.reviewRate()).isLessThanOrEqualTo(0.05);
    assertThat(reached.interceptionRate()).isGreaterThan(0.3);
    assertThat(p.margin()).isIn(0.2, 0.4, 0.6, 0.8, 1.0);
    assertThat(p.expected().falseInterceptionRate()).isLessThanOrEqualTo(0.05 * p.margin());
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
