package io.vigil.server.operator;

import io.vigil.server.operator.Operator.Status;

/**
 * Counts failed sign-ins (wrong password, wrong second-factor code): {@code failuresMax} of them
 * within {@code windowSeconds} lock the account for {@code lockSeconds}; the {@code lockoutsMax}-th
 * lock in a row lasts until an administrator unlocks the account. A successful sign-in clears the
 * counters. A pure function of the account and the time.
 */
public final class LockoutPolicy {
  private final int failuresMax;
  private final long windowMillis;
  private final long lockMillis;
  private final int lockoutsMax;

  public LockoutPolicy(OperatorProperties.Lockout settings) {
    this.failuresMax = settings.failuresMax();
    this.windowMillis = settings.windowSeconds() * 1000;
    this.lockMillis = settings.lockSeconds() * 1000;
    this.lockoutsMax = settings.lockoutsMax();
    if (failuresMax < 1 || lockoutsMax < 1) throw new IllegalArgumentException("failuresMax and lockoutsMax are at least 1");
    if (windowMillis <= 0 || lockMillis <= 0) throw new IllegalArgumentException("windows are positive");
  }

  /** The account after one more failure at nowMillis. */
  public Operator afterFailure(Operator o, long nowMillis) {
    if (o.status() == Status.DISABLED) return o;
    boolean windowOpen = o.failedLogins() > 0 && nowMillis - o.firstFailureAtMillis() < windowMillis;
    int failed = windowOpen ? o.failedLogins() + 1 : 1;
    long first = windowOpen ? o.firstFailureAtMillis() : nowMillis;
    if (failed < failuresMax) {
      Status status = o.status() == Status.LOCKED && !o.lockedAt(nowMillis) ? Status.ACTIVE : o.status();
      return o.withFailures(status, failed, first, o.lockouts(), status == Status.LOCKED ? o.lockedUntilMillis() : 0, nowMillis);
    }
    int lockouts = o.lockouts() + 1;
    long until = lockouts >= lockoutsMax ? Operator.LOCKED_UNTIL_UNLOCKED : nowMillis + lockMillis;
    assert until > nowMillis;
    return o.withFailures(Status.LOCKED, 0, 0, lockouts, until, nowMillis);
  }

  /** The account after a complete sign-in: counters cleared, an ended temporary lock lifted. */
  public Operator afterSuccess(Operator o, long nowMillis) {
    if (o.lockedAt(nowMillis)) throw new IllegalStateException("a locked account cannot sign in");
    Status status = o.status() == Status.LOCKED ? Status.ACTIVE : o.status();
    return o.withFailures(status, 0, 0, 0, 0, nowMillis);
  }

  /** The account after an administrator unlocked it. */
  public static Operator unlocked(Operator o, long nowMillis) {
    Status status = o.status() == Status.DISABLED ? Status.DISABLED : Status.ACTIVE;
    return o.withFailures(status, 0, 0, 0, 0, nowMillis);
  }
}
