package io.vigil.server.cases;

import java.util.Locale;

/** Why a decision joined a case. */
public enum CaseOrigin {
  /** The decision's action was REVIEW. */
  REVIEW,
  /** The decision's action was HOLD: the held payment waits for people. */
  HOLD,
  /** The payment system reported the decision's challenge failed (the holder could not prove it was them). */
  CHALLENGE_FAILED,
  /** A reversal request on the decision was answered {@code review}. */
  REVERSAL_REVIEW,
  /** Drawn for a person to check although it was allowed: the false-negative side. */
  SAMPLE,
  /** The holder appealed the decision through the payment system. */
  APPEAL,
  /** The decision is evidence of a transaction-monitoring alert on the account (a pattern over days). */
  ALERT;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The origin with this wire name, or null. */
  public static CaseOrigin ofWire(String wire) {
    for (CaseOrigin o : values()) {
      if (o.wire().equals(wire)) return o;
    }
    return null;
  }
}
