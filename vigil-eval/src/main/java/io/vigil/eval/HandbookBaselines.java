package io.vigil.eval;

import io.vigil.engine.model.FeatureSchema;
import io.vigil.engine.model.LightGbmModel;
import io.vigil.engine.model.LightGbmTrainer;
import io.vigil.engine.model.LogisticRegression;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The handbook's baselines computed on the file being evaluated, with the handbook's protocol:
 * its 15 features, a training week whose labels are all known, a gap of the label delay, then the
 * test week. Each test week [W, W + 7 d) gets its own models, trained on [W − delay − 7 d, W − delay).
 *
 * <p>The 15 features (chapter 3.3; the handbook's column names, in lower case), from the past only: the amount; weekend; night (hour ≤ 6); per
 * customer the number and mean amount of transactions over the last 1, 7 and 30 days (current one
 * included); per terminal the number of transactions and the fraud ratio over 1, 7 and 30 days
 * ending {@code delay} before the transaction (the labels of later ones are not known yet). The
 * terminal windows read the truth column with that delay, as the handbook does: the baselines are
 * the handbook's, not Vigil's.
 *
 * <p>Models: logistic regression on standardised features (scikit-learn's default C = 1; fitted by
 * {@link LogisticRegression}), and a random forest: LightGBM in random-forest mode, 100 fully grown
 * trees, each on 63.2 % of the rows, √15 ≈ 4 features tried per split (scikit-learn's default forest
 * grows its 100 trees on bootstrap samples with exact splits; LightGBM bins each feature in 255
 * quantiles and samples without replacement, so the forests are alike, not identical).
 */
final class HandbookBaselines {
  static final FeatureSchema SCHEMA = FeatureSchema.of("handbook@1", List.of("tx_amount", "tx_during_weekend", "tx_during_night",
      "customer_id_nb_tx_1day_window", "customer_id_avg_amount_1day_window", "customer_id_nb_tx_7day_window",
      "customer_id_avg_amount_7day_window", "customer_id_nb_tx_30day_window", "customer_id_avg_amount_30day_window",
      "terminal_id_nb_tx_1day_window", "terminal_id_risk_1day_window", "terminal_id_nb_tx_7day_window",
      "terminal_id_risk_7day_window", "terminal_id_nb_tx_30day_window", "terminal_id_risk_30day_window"));
  static final int F = 15;
  private static final int[] WINDOW_DAYS = {1, 7, 30};
  private static final long DAY = ReplayOptions.DAY_MILLIS;

  /** The baselines' scores per replay row (NaN where no baseline was trained for the row's week). */
  final float[] logistic;
  final float[] forest;
  final List<String> trainedWeeks = new ArrayList<>();

  private HandbookBaselines(int rows) {
    logistic = new float[rows];
    forest = new float[rows];
    java.util.Arrays.fill(logistic, Float.NaN);
    java.util.Arrays.fill(forest, Float.NaN);
  }

  /** Trains and scores the baselines for every test week [from, from + period) starting at {@code weekStarts}. */
  static HandbookBaselines compute(ReplayData d, long delayMillis, List<Long> weekStarts, long periodMillis) {
    double[] x = features(d, delayMillis);
    HandbookBaselines b = new HandbookBaselines(d.size);
    for (long from : weekStarts) {
      int trainFirst = d.lowerBound(from - delayMillis - 7 * DAY), trainEnd = d.lowerBound(from - delayMillis);
      int testFirst = d.lowerBound(from), testEnd = d.lowerBound(from + periodMillis);
      if (testEnd <= testFirst) continue;
      int n = trainEnd - trainFirst, frauds = 0;
      for (int i = trainFirst; i < trainEnd; i++) if (d.truth[i]) frauds++;
      if (n < Retrainer.TRAIN_ROWS_MIN || frauds < Retrainer.TRAIN_POSITIVES_MIN) continue;
      double[] train = java.util.Arrays.copyOfRange(x, trainFirst * F, trainEnd * F);
      boolean[] y = java.util.Arrays.copyOfRange(d.truth, trainFirst, trainEnd);
      double[] test = java.util.Arrays.copyOfRange(x, testFirst * F, testEnd * F);
      double[] lr = logisticScores(train, y, test);
      double[] rf = forestScores(train, y, test, from);
      for (int i = testFirst; i < testEnd; i++) {
        b.logistic[i] = (float) lr[i - testFirst];
        b.forest[i] = (float) rf[i - testFirst];
      }
      b.trainedWeeks.add(Evaluation.date(from));
    }
    return b;
  }

  /** Logistic regression on features standardised with the training rows' mean and deviation. */
  static double[] logisticScores(double[] train, boolean[] y, double[] test) {
    double[] mean = new double[F], sd = new double[F];
    int n = y.length;
    for (int i = 0; i < n; i++) for (int j = 0; j < F; j++) mean[j] += train[i * F + j] / n;
    for (int i = 0; i < n; i++) for (int j = 0; j < F; j++) sd[j] += Math.pow(train[i * F + j] - mean[j], 2) / n;
    for (int j = 0; j < F; j++) sd[j] = sd[j] > 0 ? Math.sqrt(sd[j]) : 1;
    LogisticRegression lr = LogisticRegression.fit(standardise(train, mean, sd), y, F, 1.0);
    double[] z = standardise(test, mean, sd);
    double[] out = new double[test.length / F];
    double[] row = new double[F];
    for (int i = 0; i < out.length; i++) {
      System.arraycopy(z, i * F, row, 0, F);
      out[i] = lr.probability(row);
    }
    return out;
  }

  private static double[] standardise(double[] x, double[] mean, double[] sd) {
    double[] z = new double[x.length];
    for (int i = 0; i < x.length; i++) z[i] = (x[i] - mean[i % F]) / sd[i % F];
    return z;
  }

  /** LightGBM's random-forest mode with scikit-learn's forest defaults where LightGBM has them. */
  static Map<String, String> forestParams() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("boosting", "rf");
    p.put("bagging_fraction", "0.632");
    p.put("bagging_freq", "1");
    p.put("feature_fraction", "1.0");
    p.put("feature_fraction_bynode", "0.27"); // 4 of 15 features per split (√15)
    p.put("num_leaves", "4096");
    p.put("max_depth", "-1");
    p.put("min_data_in_leaf", "1");
    p.put("min_sum_hessian_in_leaf", "1e-10");
    p.put("lambda_l2", "0");
    p.put("learning_rate", "1.0");
    p.put("max_bin", "255");
    p.put("rounds", "100");
    return p;
  }

  static double[] forestScores(double[] train, boolean[] y, double[] test, long trainedAtMillis) {
    float[] labels = new float[y.length];
    for (int i = 0; i < y.length; i++) labels[i] = y[i] ? 1f : 0f;
    LightGbmTrainer.TrainingSet set = new LightGbmTrainer.TrainingSet(SCHEMA, train, labels, trainedAtMillis, trainedAtMillis);
    try (LightGbmModel forest = LightGbmTrainer.train(set, forestParams(), "handbook-rf", trainedAtMillis)) {
      return forest.margins(test, test.length / F);
    }
  }

  /** The 15 features of every row, row-major. */
  static double[] features(ReplayData d, long delayMillis) {
    int n = d.size;
    double[] x = new double[n * F];
    for (int i = 0; i < n; i++) {
      ZonedDateTime t = Instant.ofEpochMilli(d.timeMillis[i]).atZone(ZoneOffset.UTC);
      x[i * F] = d.amountMajor[i];
      x[i * F + 1] = t.getDayOfWeek() == DayOfWeek.SATURDAY || t.getDayOfWeek() == DayOfWeek.SUNDAY ? 1 : 0;
      x[i * F + 2] = t.getHour() <= 6 ? 1 : 0;
    }
    for (int[] rows : groups(d.account, n)) customerWindows(d, rows, x);
    for (int[] rows : groups(d.merchant, n)) terminalWindows(d, rows, x, delayMillis);
    return x;
  }

  /** Row indices per key (keys ≥ 0), each list in time order. */
  private static List<int[]> groups(int[] key, int n) {
    int max = -1;
    for (int i = 0; i < n; i++) max = Math.max(max, key[i]);
    int[] count = new int[max + 1];
    for (int i = 0; i < n; i++) if (key[i] >= 0) count[key[i]]++;
    int[][] lists = new int[max + 1][];
    for (int k = 0; k <= max; k++) lists[k] = new int[count[k]];
    int[] fill = new int[max + 1];
    for (int i = 0; i < n; i++) if (key[i] >= 0) lists[key[i]][fill[key[i]]++] = i;
    return List.of(lists);
  }

  /** Number and mean amount over (t − N days, t], the current transaction included. */
  private static void customerWindows(ReplayData d, int[] rows, double[] x) {
    for (int w = 0; w < WINDOW_DAYS.length; w++) {
      long span = WINDOW_DAYS[w] * DAY;
      int lo = 0;
      double sum = 0;
      for (int k = 0; k < rows.length; k++) {
        int i = rows[k];
        sum += d.amountMajor[i];
        while (d.timeMillis[rows[lo]] <= d.timeMillis[i] - span) sum -= d.amountMajor[rows[lo++]];
        int count = k - lo + 1;
        x[i * F + 3 + 2 * w] = count;
        x[i * F + 4 + 2 * w] = sum / count;
      }
    }
  }

  /** Number of transactions and fraud ratio over (t − delay − N days, t − delay] (0 without transactions). */
  private static void terminalWindows(ReplayData d, int[] rows, double[] x, long delayMillis) {
    for (int w = 0; w < WINDOW_DAYS.length; w++) {
      long span = WINDOW_DAYS[w] * DAY;
      int lo = 0, hi = 0, frauds = 0;
      for (int k = 0; k < rows.length; k++) {
        long t = d.timeMillis[rows[k]];
        while (hi < rows.length && d.timeMillis[rows[hi]] <= t - delayMillis) {
          if (d.truth[rows[hi]]) frauds++;
          hi++;
        }
        while (lo < hi && d.timeMillis[rows[lo]] <= t - delayMillis - span) {
          if (d.truth[rows[lo]]) frauds--;
          lo++;
        }
        int count = hi - lo;
        x[rows[k] * F + 9 + 2 * w] = count;
        x[rows[k] * F + 10 + 2 * w] = count == 0 ? 0 : (double) frauds / count;
      }
    }
  }
}
