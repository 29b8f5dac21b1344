package io.vigil.eval;

import io.vigil.engine.evaluation.InterceptionMetrics;
import io.vigil.engine.policy.Action;
import io.vigil.engine.policy.Thresholds;
import java.util.Arrays;

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
 *
 * <p><b>For the model that will act on them</b> ({@link #forModel}). Thresholds read off the
 * validation weeks are in the score scale of the models that scored those weeks; every retraining
 * brings a model calibrated a little differently, and a threshold that held 5 % false interceptions
 * on the old scores does not hold it on the new ones. So the proposal travels as <em>traffic
 * shares</em>: each threshold becomes the share of validation events at or above it, and is
 * translated to the score at which the model that will act has that share of its own recent
 * (unlabelled, out-of-sample) traffic at or above it. A safety margin is chosen on validation too:
 * the false-interception and deny targets are tightened by the largest factor in {@link #MARGINS}
 * for which thresholds chosen on the older validation week, translated the same way to the newer
 * week's model, met the target on that newer week.
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

  /** The factors tried on the false-interception and deny targets, loosest first. */
  static final double[] MARGINS = {1.0, 0.8, 0.6, 0.4, 0.2};

  /**
   * A proposal for the model that will act: {@code thresholds} in its score scale, {@code validation}
   * the same operating point in the validation weeks' scale, {@code expected} its rates there, and
   * {@code margin} the factor applied to the false-interception and deny targets.
   */
  record ModelProposal(Thresholds thresholds, Thresholds validation, InterceptionMetrics expected, boolean met, double margin) {}

  private ThresholdProposal() {}

  /**
   * Thresholds for the model that will act on them, from two validation weeks (older, newer: scored by
   * the models live then, truth known) and that model's own scores of recent traffic.
   */
  static ModelProposal forModel(int[] olderScores, boolean[] olderFraud, int[] newerScores, boolean[] newerFraud, int[] recentScores,
      Target target, String challengeKind) {
    if (recentScores.length == 0) throw new IllegalArgumentException("no recent scores of the acting model");
    double margin = MARGINS[MARGINS.length - 1];
    if (olderScores.length > 0 && newerScores.length > 0) {
      for (double k : MARGINS) {
        Proposal onOlder = propose(olderScores, olderFraud, tightened(target, k), challengeKind);
        Thresholds moved = translate(onOlder.thresholds(), olderScores, newerScores);
        InterceptionMetrics check = rates(moved, newerScores, newerFraud);
        if (check.falseInterceptionRate() <= target.falseInterceptionMax() && check.reviewRate() <= target.reviewMax()) {
          margin = k;
          break;
        }
      }
    }
    int[] scores = concat(olderScores, newerScores);
    boolean[] fraud = concat(olderFraud, newerFraud);
    Proposal p = propose(scores, fraud, tightened(target, margin), challengeKind);
    return new ModelProposal(translate(p.thresholds(), scores, recentScores), p.thresholds(), p.expected(), p.met(), margin);
  }

  static Target tightened(Target t, double factor) {
    return new Target(t.reviewMax(), t.falseInterceptionMax() * factor, t.denyFalseMax() * factor);
  }

  /**
   * The thresholds in another model's scale: each becomes the lowest score at which {@code to} has
   * no larger a share of its events at or above it than {@code from} has at or above the original
   * (100 stays 100 when no event of {@code from} reaches it).
   */
  static Thresholds translate(Thresholds t, int[] from, int[] to) {
    long[] atOrAboveFrom = atOrAbove(from), atOrAboveTo = atOrAbove(to);
    int c = atShare(t.challenge(), atOrAboveFrom, from.length, atOrAboveTo, to.length);
    int r = Math.max(c, atShare(t.review(), atOrAboveFrom, from.length, atOrAboveTo, to.length));
    int d = Math.max(r, atShare(t.deny(), atOrAboveFrom, from.length, atOrAboveTo, to.length));
    return new Thresholds(c, r, d, c, r, d, t.challengeKind());
  }

  private static int atShare(int threshold, long[] atOrAboveFrom, int nFrom, long[] atOrAboveTo, int nTo) {
    double share = (double) atOrAboveFrom[threshold] / nFrom;
    if (atOrAboveFrom[threshold] == 0) return 100;
    for (int s = 1; s <= 100; s++) {
      if ((double) atOrAboveTo[s] / nTo <= share) return s;
    }
    return 100;
  }

  private static long[] atOrAbove(int[] scores) {
    long[] c = new long[102];
    for (int v : scores) c[Math.max(0, Math.min(100, v))]++;
    for (int s = 99; s >= 0; s--) c[s] += c[s + 1];
    return c;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static boolean[] concat(boolean[] a, boolean[] b) {
    boolean[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

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
