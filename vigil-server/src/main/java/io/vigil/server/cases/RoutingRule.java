package io.vigil.server.cases;

import java.util.Set;

/**
 * One condition that sends a case to a queue. Every part given must hold; a part left empty (or
 * null) holds for any case, so the empty rule catches everything.
 *
 * @param amountMinorMin the decision's amount must be at least this (minor units of its currency); null: any
 * @param rules at least one of these rule ids fired
 */
public record RoutingRule(Set<String> eventTypes, Set<CaseOrigin> origins, Set<String> riskLevels, Long amountMinorMin,
    Set<String> rules) {
  /** The most values a part of a rule may list. */
  public static final int VALUES_MAX = 100;

  public RoutingRule {
    eventTypes = Set.copyOf(eventTypes);
    origins = Set.copyOf(origins);
    riskLevels = Set.copyOf(riskLevels);
    rules = Set.copyOf(rules);
  }

  public boolean matches(CaseTrigger t) {
    if (!eventTypes.isEmpty() && (t.eventType() == null || !eventTypes.contains(t.eventType()))) return false;
    if (!origins.isEmpty() && !origins.contains(t.origin())) return false;
    if (!riskLevels.isEmpty() && (t.riskLevel() == null || !riskLevels.contains(t.riskLevel()))) return false;
    if (amountMinorMin != null && (t.amountMinor() == null || t.amountMinor() < amountMinorMin)) return false;
    if (!rules.isEmpty() && rules.stream().noneMatch(t.ruleIds()::contains)) return false;
    return true;
  }
}
