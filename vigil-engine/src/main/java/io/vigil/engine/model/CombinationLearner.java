package io.vigil.engine.model;

import io.vigil.engine.evaluation.RankingMetrics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Learns the {@link ScoreCombination} from decided events whose labels are known: the live model's
 * probability (scored out of sample: the model was trained before the event), the rules' score and
 * whether a rule forced an action. Three candidates are fitted on the fitting rows:
 * <ul>
 *   <li>{@code model}: the model alone, recalibrated ({@code σ(a + b·logit p)}, b > 0): the model's ranking;</li>
 *   <li>{@code rules}: the rules alone, recalibrated;</li>
 *   <li>{@code logistic}: all three inputs.</li>
 * </ul>
 * The validation rows choose: {@code logistic} or {@code rules} replaces the model only when its
 * average precision beats the model's by more than {@link #AP_GAIN_MIN} and its AUC ROC is no lower;
 * otherwise {@code model}. The margin is there because a validation gain of a few ten-thousandths of
 * AP is noise (one fraud moved a rank or two), and acting on noise can only cost the test weeks: the
 * model alone, recalibrated, ranks exactly as the model, so without a real gain the acting score is
 * the model's ranking. So on the validation rows the chosen score is never below the model on AP or
 * AUC by construction, and never below the rules unless the model itself is. The chosen candidate is
 * then refitted on all rows.
 */
public final class CombinationLearner {
  /** L2 strength of the fits (scikit-learn's C): three inputs and tens of thousands of rows need little. */
  static final double C = 1.0;
  /** Frauds needed on each side (fitting, validation) to learn anything; below it, the model alone. */
  public static final int FRAUDS_MIN = 10;
  /**
   * The validated AP gain (absolute) a candidate needs over the model alone to replace it. On FDH
   * the all-inputs candidate won weekly validation by 0.0001-0.0002 AP and then lost up to 0.001 AUC
   * in the following week; 0.005 is well above that noise and well below any gain worth having.
   */
  public static final double AP_GAIN_MIN = 0.005;

  private CombinationLearner() {}

  /** Labelled, scored events: one entry per event. */
  public record Rows(double[] modelProbability, int[] rulesScore, boolean[] forced, boolean[] fraud) {
    public Rows {
      int n = fraud.length;
      if (modelProbability.length != n || rulesScore.length != n || forced.length != n) throw new IllegalArgumentException("one value per row");
    }

    int size() {
      return fraud.length;
    }

    long frauds() {
      long f = 0;
      for (boolean b : fraud) if (b) f++;
      return f;
    }

    static Rows concat(Rows a, Rows b) {
      int n = a.size(), m = b.size();
      double[] p = new double[n + m];
      int[] r = new int[n + m];
      boolean[] f = new boolean[n + m], y = new boolean[n + m];
      System.arraycopy(a.modelProbability, 0, p, 0, n);
      System.arraycopy(b.modelProbability, 0, p, n, m);
      System.arraycopy(a.rulesScore, 0, r, 0, n);
      System.arraycopy(b.rulesScore, 0, r, n, m);
      System.arraycopy(a.forced, 0, f, 0, n);
      System.arraycopy(b.forced, 0, f, n, m);
      System.arraycopy(a.fraud, 0, y, 0, n);
      System.arraycopy(b.fraud, 0, y, n, m);
      return new Rows(p, r, f, y);
    }
  }

  /** The chosen combination and each candidate's validation AP and AUC ({@code <choice>.ap}, {@code <choice>.auc}). */
  public record Result(ScoreCombination combination, Map<String, Double> validation) {}

  public static Result learn(Rows fitting, Rows validation) {
    return learn(fitting, validation, AP_GAIN_MIN);
  }

  /** As {@link #learn(Rows, Rows)} with another minimum AP gain (0 = any gain). */
  static Result learn(Rows fitting, Rows validation, double apGainMin) {
    if (!(apGainMin >= 0 && apGainMin <= 1)) throw new IllegalArgumentException("apGainMin must be 0-1");
    Map<String, Double> report = new LinkedHashMap<>();
    if (fitting.frauds() < FRAUDS_MIN || validation.frauds() < FRAUDS_MIN
        || fitting.frauds() == fitting.size() || validation.frauds() == validation.size()) {
      return new Result(ScoreCombination.modelAlone(), report);
    }
    Map<String, ScoreCombination> candidates = new LinkedHashMap<>();
    candidates.put("model", fit("model", fitting));
    ScoreCombination rules = fit("rules", fitting);
    if (rules != null) candidates.put("rules", rules);
    candidates.put("logistic", fit("logistic", fitting));
    Map<String, double[]> metrics = new LinkedHashMap<>();
    candidates.forEach((name, c) -> {
      if (c == null) return;
      double[] s = scores(c, validation);
      double[] m = {RankingMetrics.averagePrecision(s, validation.fraud()), RankingMetrics.aucRoc(s, validation.fraud())};
      metrics.put(name, m);
      report.put(name + ".ap", m[0]);
      report.put(name + ".auc", m[1]);
    });
    String chosen = "model";
    double[] model = metrics.get("model");
    if (candidates.get("model") == null) {
      chosen = null; // the model ranks backwards on the fitting rows: fall back to its probability unchanged
      model = metricsOf(ScoreCombination.modelAlone(), validation);
    }
    double[] best = model;
    for (String name : new String[] {"logistic", "rules"}) {
      double[] m = metrics.get(name);
      if (m != null && m[0] > best[0] && m[0] > model[0] + apGainMin && m[1] >= model[1]) {
        chosen = name;
        best = m;
      }
    }
    if (chosen == null) return new Result(ScoreCombination.modelAlone(), report);
    ScoreCombination refit = fit(chosen, Rows.concat(fitting, validation));
    return new Result(refit == null ? candidates.get(chosen) : refit, report);
  }

  private static double[] metricsOf(ScoreCombination c, Rows rows) {
    double[] s = scores(c, rows);
    return new double[] {RankingMetrics.averagePrecision(s, rows.fraud()), RankingMetrics.aucRoc(s, rows.fraud())};
  }

  static double[] scores(ScoreCombination c, Rows rows) {
    double[] s = new double[rows.size()];
    for (int i = 0; i < s.length; i++) s[i] = c.probability(rows.modelProbability()[i], rows.rulesScore()[i], rows.forced()[i]);
    return s;
  }

  /** One candidate fitted on the rows; null when its one input ranks backwards (a non-positive weight). */
  static ScoreCombination fit(String choice, Rows rows) {
    int n = rows.size();
    int d = choice.equals("logistic") ? 3 : 1;
    double[] x = new double[n * d];
    for (int i = 0; i < n; i++) {
      double logit = Model.logit(rows.modelProbability()[i]), rules = rows.rulesScore()[i] / 100.0;
      switch (choice) {
        case "model" -> x[i] = logit;
        case "rules" -> x[i] = rules;
        default -> {
          x[3 * i] = logit;
          x[3 * i + 1] = rules;
          x[3 * i + 2] = rows.forced()[i] ? 1 : 0;
        }
      }
    }
    LogisticRegression lr = LogisticRegression.fit(x, rows.fraud(), d, C);
    return switch (choice) {
      case "model" -> lr.weight(0) > 0 ? new ScoreCombination("model", lr.intercept(), lr.weight(0), 0, 0) : null;
      case "rules" -> lr.weight(0) > 0 ? new ScoreCombination("rules", lr.intercept(), 0, lr.weight(0), 0) : null;
      default -> new ScoreCombination("logistic", lr.intercept(), lr.weight(0), lr.weight(1), lr.weight(2));
    };
  }
}
