package io.vigil.engine.policy;

/**
 * What repeated failed challenges lead to (D3), part of the versioned policy: {@code failuresToLock}
 * failures of one account within {@code windowMillis} freeze it for {@code lockMillis} (a
 * restriction with source {@code challenges}). Failures also feed the rules as
 * {@code account.challenge_failures_1h} and {@code account.challenge_failures_24h}.
 *
 * @param failuresToLock 0 turns the freeze off
 */
public record ChallengePolicy(int failuresToLock, long windowMillis, long lockMillis) {
  public static final int FAILURES_MAX = 100;
  public static final long WINDOW_MILLIS_MAX = 7L * 86_400_000L;
  public static final long LOCK_MILLIS_MAX = 30L * 86_400_000L;

  public ChallengePolicy {
    if (failuresToLock < 0 || failuresToLock > FAILURES_MAX) throw new IllegalArgumentException("failures_to_lock is 0 to " + FAILURES_MAX);
    if (windowMillis < 60_000 || windowMillis > WINDOW_MILLIS_MAX) throw new IllegalArgumentException("window is 1 minute to 7 days");
    if (lockMillis < 60_000 || lockMillis > LOCK_MILLIS_MAX) throw new IllegalArgumentException("lock is 1 minute to 30 days");
  }

  /** Three failures within an hour freeze the account for 24 hours. */
  public static ChallengePolicy defaults() {
    return new ChallengePolicy(3, 3_600_000L, 86_400_000L);
  }
}
