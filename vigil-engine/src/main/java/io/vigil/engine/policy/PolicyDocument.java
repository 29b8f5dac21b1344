package io.vigil.engine.policy;

import io.vigil.engine.event.EventType;
import io.vigil.engine.rule.RuleDefinition;
import java.util.List;
import java.util.Map;

/**
 * A complete, immutable policy: the rules, the per-type thresholds, the blend weights and the
 * default time zone. Every change produces a new document with a new version number; decisions
 * record the version they used.
 *
 * @param rulesWeight weight of the rules score in the blend
 * @param modelWeight weight of the model score (0 until a model is deployed); weights sum to 1
 * @param defaultTimezone the account time zone when the event carries none (IANA id)
 */
public record PolicyDocument(
    long version,
    List<RuleDefinition> rules,
    Thresholds defaultThresholds,
    Map<EventType, Thresholds> thresholdsByType,
    double rulesWeight,
    double modelWeight,
    String defaultTimezone) {

  public PolicyDocument {
    rules = List.copyOf(rules);
    thresholdsByType = Map.copyOf(thresholdsByType);
    if (rulesWeight < 0 || modelWeight < 0 || Math.abs(rulesWeight + modelWeight - 1.0) > 1e-9) {
      throw new IllegalArgumentException("rules_weight and model_weight must be ≥ 0 and sum to 1");
    }
  }

  public Thresholds thresholdsFor(EventType type) {
    return thresholdsByType.getOrDefault(type, defaultThresholds);
  }

  public PolicyDocument withRules(long newVersion, List<RuleDefinition> newRules) {
    return new PolicyDocument(newVersion, newRules, defaultThresholds, thresholdsByType, rulesWeight, modelWeight, defaultTimezone);
  }
}
