package io.vigil.eval;

import io.vigil.engine.evaluation.InterceptionMetrics;
import io.vigil.engine.policy.Action;
import io.vigil.engine.policy.Thresholds;

/**
 * Challenge, review and deny thresholds for one event type, chosen from scored events whose truth
 * is known (the validation weeks) for an operator's target:
 * <ol>
 *   <li><b>challenge</b> (where interception starts): the lowest score whose interceptions
 *       ({@code score ≥ challenge}) hold at most {@code falseInterceptionMax} legitimate events.
 *       Interception only grows as the threshold falls, so this is the highest interception the
 *       target allows on these events;</li>
 *   <li><b>deny</b>: the lowest score ≥ challenge whose events hold at most {@code denyFalseMax}
 *       legitimate ones (100 when none does);</li>
 *   <li><b>review</b>: the lowest score in [challenge, deny] whose review band [review, deny) holds at
 *       most {@code reviewMax} of all events; the events below it and above challenge are challenged.</li>
 * </ol>
 * Risk levels follow the actions (medium = challenge, high = review, critical = deny). The rates
 * of the proposal on the same events are its expected rates; a replay measures them on later weeks.
 */
final class ThresholdProposal {
  /** The operator's target. */
  record Target(double reviewMax, double falseInterceptionMax, double denyFalseMax) {
    Target {
      for (double v : new double[] {reviewMax, falseInterceptionMax, denyFalseMax}) {
        if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException("targets are shares, 0-1");
      }
    }
  }

  /** The proposal and its rates on the events it was chosen on; {@code met} tells whether any threshold met the false-interception target. */
  record Proposal(Thresholds thresholds, InterceptionMetrics expected, boolean met) {}

  private ThresholdProposal() {}

  static Proposal propose(int[] scores, boolean[] fraud, Target target, String challengeKind) {
    int n = scores.length;
    if (fraud.length != n) throw new IllegalArgumentException("one label per score");
    if (n == 0) throw new IllegalArgumentException("no events to choose thresholds on");
    long[] events = new long[102], legit = new long[102]; // per score, then suffix sums: events with score ≥ s
    for (int i = 0; i < n; i++) {
      int s = Math.max(0, Math.min(100, scores[i]));
      events[s]++;
      if (!fraud[i]) legit[s]++;
    }
    for (int s = 99; s >= 0; s--) {
      events[s] += events[s + 1];
      legit[s] += legit[s + 1];
    }
    int challenge = -1;
    for (int s = 1; s <= 100; s++) {
      if (events[s] > 0 && legit[s] <= target.falseInterceptionMax() * events[s]) {
        challenge = s;
        break;
      }
    }
    boolean met = challenge > 0;
    if (!met) challenge = 100;
    int deny = 100;
    for (int s = challenge; s <= 100; s++) {
      if (events[s] > 0 && legit[s] <= target.denyFalseMax() * events[s]) {
        deny = s;
        break;
      }
    }
    int review = deny;
    for (int s = challenge; s <= deny; s++) {
      if (events[s] - events[deny] <= target.reviewMax() * n) {
        review = s;
        break;
      }
    }
    Thresholds t = new Thresholds(challenge, review, deny, challenge, review, deny, challengeKind);
    return new Proposal(t, rates(t, scores, fraud), met);
  }

  /** What thresholds do to scored events (forced actions aside). */
  static InterceptionMetrics rates(Thresholds t, int[] scores, boolean[] fraud) {
    Action[] actions = new Action[scores.length];
    for (int i = 0; i < scores.length; i++) actions[i] = t.action(scores[i]);
    return InterceptionMetrics.of(actions, fraud);
  }
}
