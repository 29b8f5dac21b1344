package io.vigil.engine.policy;

import io.vigil.engine.event.EventType;
import io.vigil.engine.rule.RuleDefinition;
import io.vigil.engine.scorecard.ScorecardDefinition;
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
 * @param scorecards weighted admission scores (L2); disabled ones are kept but not run
 */
public record PolicyDocument(
    long version,
    List<RuleDefinition> rules,
    Thresholds defaultThresholds,
    Map<EventType, Thresholds> thresholdsByType,
    double rulesWeight,
    double modelWeight,
    String defaultTimezone,
    List<ScorecardDefinition> scorecards) {

  public PolicyDocument {
    rules = List.copyOf(rules);
    scorecards = List.copyOf(scorecards);
    thresholdsByType = Map.copyOf(thresholdsByType);
    if (rulesWeight < 0 || modelWeight < 0 || Math.abs(rulesWeight + modelWeight - 1.0) > 1e-9) {
      throw new IllegalArgumentException("rules_weight and model_weight must be ≥ 0 and sum to 1");
    }
  }

  /** A document without scorecards. */
  public PolicyDocument(long version, List<RuleDefinition> rules, Thresholds defaultThresholds,
      Map<EventType, Thresholds> thresholdsByType, double rulesWeight, double modelWeight, String defaultTimezone) {
    this(version, rules, defaultThresholds, thresholdsByType, rulesWeight, modelWeight, defaultTimezone, List.of());
  }

  public Thresholds thresholdsFor(EventType type) {
    return thresholdsByType.getOrDefault(type, defaultThresholds);
  }

  public PolicyDocument withRules(long newVersion, List<RuleDefinition> newRules) {
    return new PolicyDocument(newVersion, newRules, defaultThresholds, thresholdsByType, rulesWeight, modelWeight,
        defaultTimezone, scorecards);
  }

  public PolicyDocument withScorecards(long newVersion, List<ScorecardDefinition> newScorecards) {
    return new PolicyDocument(newVersion, rules, defaultThresholds, thresholdsByType, rulesWeight, modelWeight,
        defaultTimezone, newScorecards);
  }
}
