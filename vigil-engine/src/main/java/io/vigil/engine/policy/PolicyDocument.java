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
 * @param holds large-amount holds (P2), the highest threshold exceeded applies
 * @param limits single-transaction and cumulative limits (L3); every applicable one is checked
 * @param challenges what repeated failed challenges lead to
 */
public record PolicyDocument(
    long version,
    List<RuleDefinition> rules,
    Thresholds defaultThresholds,
    Map<EventType, Thresholds> thresholdsByType,
    double rulesWeight,
    double modelWeight,
    String defaultTimezone,
    List<ScorecardDefinition> scorecards,
    List<HoldPolicy> holds,
    List<io.vigil.engine.limit.LimitDefinition> limits,
    ChallengePolicy challenges) {

  /** Hold policies in one document. */
  public static final int HOLDS_MAX = 8;

  public PolicyDocument {
    rules = List.copyOf(rules);
    scorecards = List.copyOf(scorecards);
    holds = List.copyOf(holds);
    limits = List.copyOf(limits);
    if (limits.size() > io.vigil.engine.limit.LimitDefinition.PER_POLICY_MAX) {
      throw new IllegalArgumentException("a policy holds at most " + io.vigil.engine.limit.LimitDefinition.PER_POLICY_MAX + " limits");
    }
    if (limits.stream().map(io.vigil.engine.limit.LimitDefinition::id).distinct().count() != limits.size()) {
      throw new IllegalArgumentException("limit ids must be unique");
    }
    java.util.Objects.requireNonNull(challenges, "challenges");
    if (holds.size() > HOLDS_MAX) throw new IllegalArgumentException("a policy holds at most " + HOLDS_MAX + " hold policies");
    if (holds.stream().map(HoldPolicy::id).distinct().count() != holds.size()) {
      throw new IllegalArgumentException("hold ids must be unique");
    }
    thresholdsByType = Map.copyOf(thresholdsByType);
    if (rulesWeight < 0 || modelWeight < 0 || Math.abs(rulesWeight + modelWeight - 1.0) > 1e-9) {
      throw new IllegalArgumentException("rules_weight and model_weight must be ≥ 0 and sum to 1");
    }
  }

  /** A document without scorecards. */
  public PolicyDocument(long version, List<RuleDefinition> rules, Thresholds defaultThresholds,
      Map<EventType, Thresholds> thresholdsByType, double rulesWeight, double modelWeight, String defaultTimezone) {
    this(version, rules, defaultThresholds, thresholdsByType, rulesWeight, modelWeight, defaultTimezone, List.of(), List.of());
  }

  /** A document without limits, with the default challenge policy. */
  public PolicyDocument(long version, List<RuleDefinition> rules, Thresholds defaultThresholds,
      Map<EventType, Thresholds> thresholdsByType, double rulesWeight, double modelWeight, String defaultTimezone,
      List<ScorecardDefinition> scorecards, List<HoldPolicy> holds) {
    this(version, rules, defaultThresholds, thresholdsByType, rulesWeight, modelWeight, defaultTimezone, scorecards, holds,
        List.of(), ChallengePolicy.defaults());
  }

  /**
   * The hold for an event moving this amount (major units of the base currency): of the policies
   * whose threshold it exceeds, the one with the highest threshold; null when none applies.
   */
  public HoldPolicy holdFor(double amountBaseMajor) {
    HoldPolicy best = null;
    for (HoldPolicy h : holds) {
      if (amountBaseMajor > h.amountMajorOver() && (best == null || h.amountMajorOver() > best.amountMajorOver())) best = h;
    }
    return best;
  }

  public Thresholds thresholdsFor(EventType type) {
    return thresholdsByType.getOrDefault(type, defaultThresholds);
  }

  public PolicyDocument withRules(long newVersion, List<RuleDefinition> newRules) {
    return new PolicyDocument(newVersion, newRules, defaultThresholds, thresholdsByType, rulesWeight, modelWeight,
        defaultTimezone, scorecards, holds, limits, challenges);
  }

  public PolicyDocument withScorecards(long newVersion, List<ScorecardDefinition> newScorecards) {
    return new PolicyDocument(newVersion, rules, defaultThresholds, thresholdsByType, rulesWeight, modelWeight,
        defaultTimezone, newScorecards, holds, limits, challenges);
  }

  public PolicyDocument withHolds(long newVersion, List<HoldPolicy> newHolds) {
    return new PolicyDocument(newVersion, rules, defaultThresholds, thresholdsByType, rulesWeight, modelWeight,
        defaultTimezone, scorecards, newHolds, limits, challenges);
  }

  public PolicyDocument withLimits(long newVersion, List<io.vigil.engine.limit.LimitDefinition> newLimits) {
    return new PolicyDocument(newVersion, rules, defaultThresholds, thresholdsByType, rulesWeight, modelWeight,
        defaultTimezone, scorecards, holds, newLimits, challenges);
  }

  public PolicyDocument withWeights(long newVersion, double newRulesWeight, double newModelWeight) {
    return new PolicyDocument(newVersion, rules, defaultThresholds, thresholdsByType, newRulesWeight, newModelWeight,
        defaultTimezone, scorecards, holds, limits, challenges);
  }

  public PolicyDocument withChallenges(long newVersion, ChallengePolicy newChallenges) {
    return new PolicyDocument(newVersion, rules, defaultThresholds, thresholdsByType, rulesWeight, modelWeight,
        defaultTimezone, scorecards, holds, limits, newChallenges);
  }

  public PolicyDocument withThresholds(long newVersion, Thresholds newDefaults, Map<EventType, Thresholds> newByType) {
    return new PolicyDocument(newVersion, rules, newDefaults, newByType, rulesWeight, modelWeight,
        defaultTimezone, scorecards, holds, limits, challenges);
  }
}
