package io.vigil.engine.policy;

import java.util.Locale;

/** Coarse risk for people and reports: low, medium, high, critical. */
public enum RiskLevel {
  LOW,
  MEDIUM,
  HIGH,
  CRITICAL;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public RiskLevel atLeast(RiskLevel other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
