package io.vigil.engine.model;

/**
 * D4: the blended risk score, {@code round(rules_weight × rules_score + model_weight × 100 × p)}, with
 * the weights of the policy document (default 50/50; configuration, not code). Without a live model
 * (p is NaN) the rules score stands alone. {@code Engine.decide} applies it before the thresholds;
 * only the live model's probability enters, never the shadow's.
 */
public final class ModelBlend {
  private ModelBlend() {}

  public static int score(int rulesScore, double modelProbability, double rulesWeight, double modelWeight) {
    if (rulesScore < 0 || rulesScore > 100) throw new IllegalArgumentException("rules score must be 0-100");
    if (Double.isNaN(modelProbability)) return rulesScore;
    if (modelProbability < 0 || modelProbability > 1) throw new IllegalArgumentException("probability must be 0-1");
    long s = Math.round(rulesWeight * rulesScore + modelWeight * 100.0 * modelProbability);
    return (int) Math.max(0, Math.min(100, s));
  }
}
