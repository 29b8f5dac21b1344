package io.vigil.engine.policy;

import java.util.List;

/**
 * The engine's answer for one event. {@code challengeKind} is set only when the action is
 * CHALLENGE, {@code hold} only when it is HOLD. {@code ruleErrors} lists rules that failed to evaluate
 * (they did not fire). {@code limits} lists the limits that applied to a money-out event, with what
 * remains after it. {@code restrict} lists the restrictions firing rules set on the account.
 * {@code model} holds the feature vector and the models' scores of a money movement (null otherwise).
 */
public record Decision(
    Action action,
    int score,
    int rulesScore,
    RiskLevel riskLevel,
    List<Reason> reasons,
    String challengeKind,
    long policyVersion,
    long referenceVersion,
    List<RuleError> ruleErrors,
    Hold hold,
    List<io.vigil.engine.limit.LimitUsage> limits,
    List<Restrict> restrict,
    io.vigil.engine.model.ModelOutcome model) {

  /** A restriction a firing rule asks for: the pipeline stores it with the decision and applies it to the next events. */
  public record Restrict(String ruleId, io.vigil.engine.restriction.RestrictionKind kind, long expiresAtMillis, String reason) {}

  public record RuleError(String ruleId, String message) {}

  /** What a HOLD waits for; null for every other action. */
  public record Hold(HoldPolicy policy, long deadlineMillis) {}
}
