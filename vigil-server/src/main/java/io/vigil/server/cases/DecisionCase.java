package io.vigil.server.cases;

/** A case that holds a decision: why the decision joined it, when, and where the case stands. */
public record DecisionCase(String decisionId, CaseOrigin origin, long addedAtMillis, CaseStanding standing) {}
