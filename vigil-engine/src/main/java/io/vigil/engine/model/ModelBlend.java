package io.vigil.engine.model;

import io.vigil.engine.policy.Action;
import io.vigil.engine.policy.Decision;
import io.vigil.engine.policy.PolicyDocument;
import io.vigil.engine.policy.Reason;
import io.vigil.engine.policy.Thresholds;

/**
 * D4: the blended risk score, {@code round(rules_weight × rules_score + model_weight × 100 × p)}, with
 * the weights of the policy document (default 50/50 once a model is live; configuration, not code).
 * Without a live model the rules score stands alone, as before.
 *
 * <p>The action is the engine's action raised to what the blended score reaches under the event
 * type's thresholds, except that an engine decision settled by an allow-list entry or a restriction
 * stays as it is (the same precedence as the engine). Only the champion's probability enters; the
 * challenger's is carried along for comparison.
 */
public final class ModelBlend {
  private ModelBlend() {}

  /** The blended score and action of one decision. */
  public record Blended(int score, Action action, int rulesScore, ModelRegistry.Scores model) {}

  public static int score(int rulesScore, double modelProbability, double rulesWeight, double modelWeight) {
    if (rulesScore < 0 || rulesScore > 100) throw new IllegalArgumentException("rules score must be 0-100");
    if (Double.isNaN(modelProbability)) return rulesScore;
    if (modelProbability < 0 || modelProbability > 1) throw new IllegalArgumentException("probability must be 0-1");
    long s = Math.round(rulesWeight * rulesScore + modelWeight * 100.0 * modelProbability);
    return (int) Math.max(0, Math.min(100, s));
  }

  public static Blended apply(Decision decision, ModelRegistry.Scores scores, PolicyDocument policy, Thresholds thresholds) {
    int s = score(decision.rulesScore(), scores.probability(), policy.rulesWeight(), policy.modelWeight());
    Action action = decision.action();
    if (!settledByOverride(decision) && action != Action.HOLD) action = thresholds.action(s).atLeast(action);
    return new Blended(s, action, decision.rulesScore(), scores);
  }

  private static boolean settledByOverride(Decision decision) {
    if (decision.reasons().isEmpty()) return false;
    Reason first = decision.reasons().get(0);
    return first.ruleId().startsWith("list.allow.") || first.ruleId().startsWith("restriction.");
  }
}
