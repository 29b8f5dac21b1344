package io.vigil.server.policy.release;

/** How a candidate policy meets live traffic before it is promoted. */
public enum ReleaseMode {
  /** Runs on every decision beside the live policy; recorded, never acted on. */
  SHADOW,
  /** Acts on the share of accounts whose stable hash falls under the release percentage. */
  GRAY
}
