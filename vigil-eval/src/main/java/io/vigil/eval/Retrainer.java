package io.vigil.eval;

import io.vigil.engine.evaluation.RankingMetrics;
import io.vigil.engine.label.LabelStore;
import io.vigil.engine.label.Verdict;
import io.vigil.engine.model.CombinationLearner;
import io.vigil.engine.model.FeatureSchema;
import io.vigil.engine.model.LightGbmModel;
import io.vigil.engine.model.LightGbmTrainer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds training sets from the replay's stored vectors and the labels known at a time, and picks
 * LightGBM parameters prequentially (the handbook's chapter 5): for fold f the model is trained as it
 * would have been at {@code T_f = T − delay − (f + 1) × validation window} (labels known at T_f) and
 * validated on the following window, whose labels are all known at T. The test period after T is
 * never looked at.
 */
final class Retrainer {
  /** Fewer labelled rows or frauds than this: no model is trained (the previous one stays). */
  static final int TRAIN_ROWS_MIN = 1_000;
  static final int TRAIN_POSITIVES_MIN = 10;

  /**
   * The grid: explicit, small, the same at every retraining. Each entry is LightGBM parameters plus
   * how many days of history to train on (14 = the handbook's one labelled week; 28 = three). The
   * replay uses the entries whose history fits {@code --train-lookback-days} (14 by default: the
   * protocol's one labelled week). The parameter sets were chosen on the validation weeks
   * 2018-06-20 .. 2018-07-25 (all labelled before the test start) with {@code --sweep}; the
   * prequential folds then pick between them at every retraining. See docs/evaluation.md.
   */
  record Candidate(Map<String, String> params, int lookbackDays) {}

  static final List<Candidate> GRID = List.of(
      new Candidate(params("0.05", "31", "50", "200"), 14),
      new Candidate(params("0.05", "63", "50", "200"), 14),
      new Candidate(params("0.05", "31", "50", "200"), 28),
      new Candidate(params("0.05", "63", "50", "200"), 28));

  /** The grid entries whose history is at most {@code maxLookbackDays}; never empty (the first entry stays). */
  static List<Candidate> grid(long maxLookbackDays) {
    List<Candidate> out = new ArrayList<>();
    for (Candidate c : GRID) if (c.lookbackDays() <= maxLookbackDays) out.add(c);
    return out.isEmpty() ? List.of(GRID.get(0)) : List.copyOf(out);
  }

  private static Map<String, String> params(String learningRate, String leaves, String minData, String rounds) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("learning_rate", learningRate);
    p.put("num_leaves", leaves);
    p.put("min_data_in_leaf", minData);
    p.put("rounds", rounds);
    return p;
  }

  record Selection(int chosen, List<Double> validationAp, int folds) {}

  private final ReplayData data;
  private final LabelStore labels;
  private final FeatureSchema schema;
  private final List<Candidate> grid;

  Retrainer(ReplayData data, LabelStore labels, FeatureSchema schema, List<Candidate> grid) {
    this.data = data;
    this.labels = labels;
    this.schema = schema;
    this.grid = grid;
  }

  List<Candidate> grid() {
    return grid;
  }

  /** Rows with event time in [from, to) whose verdict is known at asOf; null below the minimums. */
  LightGbmTrainer.TrainingSet trainingSet(long fromMillis, long toMillis, long asOfMillis) {
    int first = data.lowerBound(fromMillis), end = data.lowerBound(toMillis);
    int f = data.featureCount;
    double[] x = new double[Math.max(0, end - first) * f];
    float[] y = new float[Math.max(0, end - first)];
    int n = 0, positives = 0;
    for (int i = first; i < end; i++) {
      Verdict v = labels.verdict(data.eventId[i], asOfMillis);
      if (v == null || v == Verdict.NONE) continue;
      for (int j = 0; j < f; j++) x[n * f + j] = data.features[i * f + j];
      y[n] = v == Verdict.FRAUD ? 1f : 0f;
      if (v == Verdict.FRAUD) positives++;
      n++;
    }
    if (n < TRAIN_ROWS_MIN || positives < TRAIN_POSITIVES_MIN) return null;
    return new LightGbmTrainer.TrainingSet(schema, java.util.Arrays.copyOf(x, n * f), java.util.Arrays.copyOf(y, n), fromMillis, toMillis);
  }

  /**
   * The score combination for a model trained at T: fitted on the events of
   * [T − delay − 2·window, T − delay − window) and chosen on those of [T − delay − window, T − delay),
   * both as the models live then scored them (out of sample) and with the verdicts known at T.
   */
  CombinationLearner.Result combination(long tMillis, long delayMillis, long windowMillis) {
    long validationFrom = tMillis - delayMillis - windowMillis;
    return CombinationLearner.learn(combinationRows(validationFrom - windowMillis, validationFrom, tMillis),
        combinationRows(validationFrom, validationFrom + windowMillis, tMillis));
  }

  private CombinationLearner.Rows combinationRows(long fromMillis, long toMillis, long asOfMillis) {
    int first = data.lowerBound(fromMillis), end = data.lowerBound(toMillis);
    int n = Math.max(0, end - first), k = 0;
    double[] p = new double[n];
    int[] rules = new int[n];
    boolean[] forced = new boolean[n], fraud = new boolean[n];
    for (int i = first; i < end; i++) {
      if (Float.isNaN(data.probability[i])) continue;
      Verdict v = labels.verdict(data.eventId[i], asOfMillis);
      if (v == null || v == Verdict.NONE) continue;
      p[k] = data.probability[i];
      rules[k] = data.rulesScore[i];
      forced[k] = data.forced[i];
      fraud[k] = v == Verdict.FRAUD;
      k++;
    }
    return new CombinationLearner.Rows(java.util.Arrays.copyOf(p, k), java.util.Arrays.copyOf(rules, k),
        java.util.Arrays.copyOf(forced, k), java.util.Arrays.copyOf(fraud, k));
  }

  /** Mean validation AP of each grid entry over the folds that have enough labelled data. */
  Selection select(long tMillis, long delayMillis, long windowMillis, int folds) {
    List<double[]> apPerCandidate = new ArrayList<>();
    for (int c = 0; c < grid.size(); c++) apPerCandidate.add(new double[] {0, 0});
    int usedFolds = 0;
    for (int f = 0; f < folds; f++) {
      long tf = tMillis - delayMillis - (f + 1) * windowMillis;
      LightGbmTrainer.TrainingSet[] train = new LightGbmTrainer.TrainingSet[grid.size()];
      boolean complete = true;
      for (int c = 0; c < grid.size(); c++) {
        train[c] = trainingSet(tf - grid.get(c).lookbackDays() * ReplayOptions.DAY_MILLIS, tf, tf);
        complete &= train[c] != null;
      }
      if (!complete) continue;
      int vFirst = data.lowerBound(tf), vEnd = data.lowerBound(tf + windowMillis);
      List<Integer> rows = new ArrayList<>();
      List<Boolean> truth = new ArrayList<>();
      for (int i = vFirst; i < vEnd; i++) {
        Verdict v = labels.verdict(data.eventId[i], tMillis);
        if (v == null || v == Verdict.NONE) continue;
        rows.add(i);
        truth.add(v == Verdict.FRAUD);
      }
      if (rows.size() < TRAIN_ROWS_MIN) continue;
      double[] matrix = new double[rows.size() * data.featureCount];
      boolean[] y = new boolean[rows.size()];
      for (int r = 0; r < rows.size(); r++) {
        int i = rows.get(r);
        for (int j = 0; j < data.featureCount; j++) matrix[r * data.featureCount + j] = data.features[i * data.featureCount + j];
        y[r] = truth.get(r);
      }
      usedFolds++;
      for (int c = 0; c < grid.size(); c++) {
        try (LightGbmModel m = LightGbmTrainer.train(train[c], grid.get(c).params(), "fold", tf)) {
          double ap = RankingMetrics.averagePrecision(m.margins(matrix, rows.size()), y);
          apPerCandidate.get(c)[0] += Double.isNaN(ap) ? 0 : ap;
          apPerCandidate.get(c)[1] += 1;
        }
      }
    }
    int best = 0;
    List<Double> means = new ArrayList<>();
    for (int c = 0; c < grid.size(); c++) {
      double[] s = apPerCandidate.get(c);
      double mean = s[1] == 0 ? Double.NaN : s[0] / s[1];
      means.add(mean);
      if (!Double.isNaN(mean) && (Double.isNaN(means.get(best)) || mean > means.get(best))) best = c;
    }
    return new Selection(best, means, usedFolds);
  }

  static String modelId(long tMillis) {
    return "lgbm-" + Instant.ofEpochMilli(tMillis).toString().replace(":", "").replace("-", "");
  }
}
