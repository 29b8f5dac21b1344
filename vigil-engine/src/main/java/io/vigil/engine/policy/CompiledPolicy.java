package io.vigil.engine.policy;

import io.vigil.engine.Limits;
import io.vigil.engine.event.EventType;
import io.vigil.engine.rule.CompiledRule;
import io.vigil.engine.rule.RuleCompileException;
import io.vigil.engine.rule.RuleCompiler;
import io.vigil.engine.rule.RuleDefinition;
import io.vigil.engine.scorecard.CompiledScorecard;
import io.vigil.engine.scorecard.ScorecardDefinition;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A policy document with every enabled rule compiled and indexed by event type. Immutable: the
 * engine swaps whole instances atomically, so a decision sees one version from start to end.
 */
public final class CompiledPolicy {
  private final PolicyDocument document;
  private final Map<EventType, List<CompiledRule>> rulesByType = new EnumMap<>(EventType.class);
  private final ZoneId defaultZone;
  private List<CompiledScorecard> scorecards = List.of();

  private CompiledPolicy(PolicyDocument document, ZoneId defaultZone) {
    this.document = document;
    this.defaultZone = defaultZone;
  }

  /** Compiles every rule (disabled ones too, so that they can be re-enabled safely). */
  public static CompiledPolicy compile(PolicyDocument document, RuleCompiler compiler) {
    if (document.rules().size() > Limits.RULES_PER_POLICY_MAX) {
      throw new RuleCompileException("(policy)", "rules", List.of(new RuleCompileException.Issue(0, 0,
          "a policy holds at most " + Limits.RULES_PER_POLICY_MAX + " rules")));
    }
    ZoneId zone;
    try {
      zone = ZoneId.of(document.defaultTimezone());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("default_timezone must be an IANA time zone");
    }
    CompiledPolicy policy = new CompiledPolicy(document, zone);
    Set<String> ids = new HashSet<>();
    for (EventType t : EventType.values()) policy.rulesByType.put(t, new ArrayList<>());
    for (RuleDefinition rule : document.rules()) {
      CompiledRule compiled = compiler.compile(rule);
      if (!ids.add(rule.id())) {
        throw new RuleCompileException(rule.id(), "id", List.of(new RuleCompileException.Issue(0, 0, "duplicate rule id")));
      }
      if (!rule.enabled()) continue;
      for (EventType t : EventType.values()) if (rule.appliesTo(t)) policy.rulesByType.get(t).add(compiled);
    }
    policy.rulesByType.replaceAll((t, list) -> List.copyOf(list));
    policy.scorecards = compileScorecards(document, compiler);
    return policy;
  }

  private static List<CompiledScorecard> compileScorecards(PolicyDocument document, RuleCompiler compiler) {
    if (document.scorecards().size() > Limits.SCORECARDS_PER_POLICY_MAX) {
      throw new RuleCompileException("(policy)", "scorecards", List.of(new RuleCompileException.Issue(0, 0,
          "a policy holds at most " + Limits.SCORECARDS_PER_POLICY_MAX + " scorecards")));
    }
    Set<String> ids = new HashSet<>();
    List<CompiledScorecard> enabled = new ArrayList<>();
    for (ScorecardDefinition s : document.scorecards()) {
      CompiledScorecard compiled = CompiledScorecard.compile(s, compiler);
      if (!ids.add(s.id())) {
        throw new RuleCompileException(s.id(), "id", List.of(new RuleCompileException.Issue(0, 0, "duplicate scorecard id")));
      }
      if (s.enabled()) enabled.add(compiled);
    }
    return List.copyOf(enabled);
  }

  /** The enabled scorecards, in document order. */
  public List<CompiledScorecard> scorecards() {
    return scorecards;
  }

  public PolicyDocument document() {
    return document;
  }

  public long version() {
    return document.version();
  }

  public ZoneId defaultZone() {
    return defaultZone;
  }

  public List<CompiledRule> rulesFor(EventType type) {
    return rulesByType.get(type);
  }
}
