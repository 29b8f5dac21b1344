package io.vigil.engine.release;

import io.vigil.engine.policy.CompiledPolicy;
import java.util.Objects;

/**
 * A running release as one decision sees it: the candidate policy and the share of accounts it
 * acts on. Immutable: the server swaps whole snapshots, and a decision reads the snapshot once, so
 * it never mixes two percentages or two candidates. {@code gray} false is a shadow release: the
 * candidate runs on every decision and acts on none.
 */
public record ReleaseSnapshot(String releaseId, CompiledPolicy candidate, boolean gray, int percent) {
  public ReleaseSnapshot {
    Objects.requireNonNull(releaseId, "releaseId");
    Objects.requireNonNull(candidate, "candidate");
    if (percent < 0 || percent > 100) throw new IllegalArgumentException("percent must be 0-100");
  }

  /** The side an account's decision is on: always live for a shadow release. */
  public Side sideOf(String accountId) {
    return gray && StableSplit.candidate(accountId, percent) ? Side.CANDIDATE : Side.LIVE;
  }
}
