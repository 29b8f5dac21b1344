package io.vigil.engine.evaluation;

import java.util.Arrays;

/**
 * Threshold-free ranking metrics of fraud scores against true labels, computed exactly (ties in the
 * score count as one threshold, as scikit-learn does), in O(n log n).
 *
 * <ul>
 *   <li>{@link #aucRoc}: the probability that a random fraud scores above a random legitimate event,
 *       ties counting one half (Mann-Whitney U / (P × N)).</li>
 *   <li>{@link #averagePrecision}: Σ_k (R_k − R_{k−1}) · P_k over the distinct score thresholds,
 *       highest first (scikit-learn's {@code average_precision_score}, no interpolation).</li>
 *   <li>{@link #recallAtFpr}: the highest recall reached at a threshold whose false-positive rate
 *       is at most the given one.</li>
 * </ul>
 * All return NaN when the labels hold no fraud or no legitimate event.
 */
public final class RankingMetrics {
  private RankingMetrics() {}

  public static double aucRoc(double[] scores, boolean[] fraud) {
    int[] order = descending(scores, fraud);
    long positives = count(fraud), negatives = fraud.length - positives;
    if (positives == 0 || negatives == 0) return Double.NaN;
    // Walk from the top; for each tie group, positives in it beat all negatives below and tie with those in it.
    double wins = 0;
    long negativesAbove = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      long p = 0, n = 0;
      while (j < order.length && scores[order[j]] == scores[order[i]]) {
        if (fraud[order[j]]) p++;
        else n++;
        j++;
      }
      long negativesBelow = negatives - negativesAbove - n;
      wins += p * (negativesBelow + 0.5 * n);
      negativesAbove += n;
      i = j;
    }
    return wins / ((double) positives * negatives);
  }

  public static double averagePrecision(double[] scores, boolean[] fraud) {
    int[] order = descending(scores, fraud);
    long positives = count(fraud);
    if (positives == 0 || positives == fraud.length) return Double.NaN;
    double ap = 0;
    long tp = 0, seen = 0, previousTp = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j < order.length && scores[order[j]] == scores[order[i]]) {
        if (fraud[order[j]]) tp++;
        seen++;
        j++;
      }
      ap += (double) (tp - previousTp) / positives * ((double) tp / seen);
      previousTp = tp;
      i = j;
    }
    return ap;
  }

  public static double recallAtFpr(double[] scores, boolean[] fraud, double fprMax) {
    if (!(fprMax >= 0 && fprMax <= 1)) throw new IllegalArgumentException("fpr must be 0-1");
    int[] order = descending(scores, fraud);
    long positives = count(fraud), negatives = fraud.length - positives;
    if (positives == 0 || negatives == 0) return Double.NaN;
    long tp = 0, fp = 0;
    double best = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j < order.length && scores[order[j]] == scores[order[i]]) {
        if (fraud[order[j]]) tp++;
        else fp++;
        j++;
      }
      if ((double) fp / negatives > fprMax) break;
      best = (double) tp / positives;
      i = j;
    }
    return best;
  }

  static long count(boolean[] flags) {
    long n = 0;
    for (boolean f : flags) if (f) n++;
    return n;
  }

  /** Indices by descending score. */
  private static int[] descending(double[] scores, boolean[] fraud) {
    if (scores.length != fraud.length) throw new IllegalArgumentException("one label per score");
    for (double s : scores) if (Double.isNaN(s)) throw new IllegalArgumentException("scores must not be NaN");
    return sortIndex(scores);
  }

  private static int[] sortIndex(double[] scores) {
    // A boxed sort: fine at evaluation sizes (a few million rows, once per report).
    Integer[] idx = new Integer[scores.length];
    for (int i = 0; i < idx.length; i++) idx[i] = i;
    Arrays.sort(idx, (a, b) -> Double.compare(scores[b], scores[a]));
    int[] out = new int[idx.length];
    for (int i = 0; i < out.length; i++) out[i] = idx[i];
    return out;
  }
}
