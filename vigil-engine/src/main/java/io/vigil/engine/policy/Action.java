package io.vigil.engine.policy;

/**
 * Decision actions, in increasing severity. HOLD waits for the approvals a large amount needs (P2);
 * only DENY is more severe.
 */
public enum Action {
  ALLOW,
  CHALLENGE,
  REVIEW,
  HOLD,
  DENY;

  public Action atLeast(Action other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
