package io.vigil.engine.policy;

/**
 * Score cut-offs for one event type (scores are 0–100). An action applies from its threshold up:
 * score ≥ deny → DENY, else ≥ review → REVIEW, else ≥ challenge → CHALLENGE, else ALLOW. Risk
 * levels likewise from medium, high and critical. {@code challengeKind} is the step-up used when
 * the score alone asks for a challenge.
 */
public record Thresholds(int challenge, int review, int deny, int medium, int high, int critical, String challengeKind) {
  public Thresholds {
    if (!(0 < challenge && challenge <= review && review <= deny && deny <= 100)) {
      throw new IllegalArgumentException("thresholds need 0 < challenge ≤ review ≤ deny ≤ 100");
    }
    if (!(0 < medium && medium <= high && high <= critical && critical <= 100)) {
      throw new IllegalArgumentException("risk levels need 0 < medium ≤ high ≤ critical ≤ 100");
    }
    if (challengeKind == null || challengeKind.isBlank()) throw new IllegalArgumentException("challenge kind is required");
  }

  public Action action(int score) {
    if (score >= deny) return Action.DENY;
    if (score >= review) return Action.REVIEW;
    if (score >= challenge) return Action.CHALLENGE;
    return Action.ALLOW;
  }

  public RiskLevel level(int score) {
    if (score >= critical) return RiskLevel.CRITICAL;
    if (score >= high) return RiskLevel.HIGH;
    if (score >= medium) return RiskLevel.MEDIUM;
    return RiskLevel.LOW;
  }
}
