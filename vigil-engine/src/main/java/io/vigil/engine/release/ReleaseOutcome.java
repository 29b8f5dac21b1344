package io.vigil.engine.release;

/**
 * How a release met one decision: the side that acted, the two policy versions, and what the
 * other side would have decided ({@link Counterfactual}).
 */
public record ReleaseOutcome(String releaseId, Side side, long livePolicyVersion, long candidatePolicyVersion,
    Counterfactual other) {

  /** The version of the policy that acted. */
  public long actingPolicyVersion() {
    return side == Side.CANDIDATE ? candidatePolicyVersion : livePolicyVersion;
  }
}
