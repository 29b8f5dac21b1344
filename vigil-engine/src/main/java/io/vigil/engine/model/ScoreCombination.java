package io.vigil.engine.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The learned score the engine acts on: a logistic model over the live model's log-odds, the rules'
 * score and whether a rule forced an action,
 * {@code q = σ(intercept + modelLogit × logit(p) + rules × rulesScore / 100 + forced × [forced])},
 * and the decision score {@code round(100 × q)} that the thresholds compare. It replaces the fixed
 * blend ({@link ModelBlend}) when the live model's artifact carries one (its parameters
 * {@code combination.*}); a model without them leaves the policy's blend weights in force.
 *
 * <p>It is learned off the decision path ({@link CombinationLearner}) on events the previous models
 * scored out of sample, and chosen on validation weeks only. With {@code rules = forced = 0} and
 * {@code modelLogit > 0} it is the model alone, recalibrated (Platt scaling): the same ranking as the
 * model. At decision time it costs three multiply-adds, one log and one exp.
 *
 * @param choice what the validation chose: {@code model} (model alone, calibrated), {@code rules}
 *     (rules alone, calibrated) or {@code logistic} (all inputs)
 */
public record ScoreCombination(String choice, double intercept, double modelLogit, double rules, double forced) {
  /** Artifact parameters of a combination start with this. */
  public static final String PARAM_PREFIX = "combination.";
  /** Largest absolute coefficient accepted: beyond it a coefficient is a fitting accident. */
  public static final double COEFFICIENT_MAX = 1_000;

  public ScoreCombination {
    if (!"model".equals(choice) && !"rules".equals(choice) && !"logistic".equals(choice)) {
      throw new IllegalArgumentException("combination choice must be model, rules or logistic");
    }
    for (double c : new double[] {intercept, modelLogit, rules, forced}) {
      if (!Double.isFinite(c) || Math.abs(c) > COEFFICIENT_MAX) throw new IllegalArgumentException("combination coefficients must be finite, |c| ≤ " + COEFFICIENT_MAX);
    }
  }

  /** The model's probability unchanged (the combination before any evidence). */
  public static ScoreCombination modelAlone() {
    return new ScoreCombination("model", 0, 1, 0, 0);
  }

  /** The combined probability of fraud, 0-1. Without a model probability (NaN) the model's term is left out. */
  public double probability(double modelProbability, int rulesScore, boolean forcedAction) {
    double z = intercept + rules * rulesScore / 100.0 + (forcedAction ? forced : 0);
    if (!Double.isNaN(modelProbability)) z += modelLogit * Model.logit(modelProbability);
    return Model.sigmoid(z);
  }

  /** The 0-100 decision score of a combined probability. */
  public static int score(double probability) {
    return (int) Math.max(0, Math.min(100, Math.round(100 * probability)));
  }

  /** The artifact parameters that carry this combination. */
  public Map<String, String> toParams() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(PARAM_PREFIX + "choice", choice);
    p.put(PARAM_PREFIX + "intercept", Double.toString(intercept));
    p.put(PARAM_PREFIX + "model_logit", Double.toString(modelLogit));
    p.put(PARAM_PREFIX + "rules", Double.toString(rules));
    p.put(PARAM_PREFIX + "forced", Double.toString(forced));
    return p;
  }

  /** The combination an artifact's parameters carry, or null when they carry none. */
  public static ScoreCombination fromParams(Map<String, String> params) {
    String choice = params.get(PARAM_PREFIX + "choice");
    if (choice == null) return null;
    try {
      return new ScoreCombination(choice, number(params, "intercept"), number(params, "model_logit"), number(params, "rules"),
          number(params, "forced"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("artifact parameter " + PARAM_PREFIX + "* is not a number: " + e.getMessage());
    }
  }

  private static double number(Map<String, String> params, String key) {
    String v = params.get(PARAM_PREFIX + key);
    if (v == null) throw new IllegalArgumentException("artifact lacks parameter " + PARAM_PREFIX + key);
    return Double.parseDouble(v);
  }
}
