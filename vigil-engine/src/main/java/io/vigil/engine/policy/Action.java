package io.vigil.engine.policy;

/** Decision actions, in increasing severity. */
public enum Action {
  ALLOW,
  CHALLENGE,
  REVIEW,
  DENY;

  public Action atLeast(Action other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
