package io.vigil.server.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.server.operator.Operator.Status;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LockoutPolicyTest {
  private static final long MINUTE = 60_000;
  private final LockoutPolicy policy = new LockoutPolicy(new OperatorProperties.Lockout(5, 900, 900, 3));

  private static Operator fresh() {
    return new Operator("alice", "Alice", Set.of(), Status.ACTIVE, "hash", false, null, false, 0, 0, 0, 0, 0, 0, 0);
  }

  private Operator fail(Operator o, int times, long atMillis) {
    for (int i = 0; i < times; i++) o = policy.afterFailure(o, atMillis);
    return o;
  }

  @Test
  void fiveFailuresWithinTheWindowLockForFifteenMinutes() {
    long t = 1_000_000;
    Operator o = fail(fresh(), 4, t);
    assertFalse(o.lockedAt(t));
    o = policy.afterFailure(o, t + MINUTE);
    assertTrue(o.lockedAt(t + MINUTE));
    assertTrue(o.lockedAt(t + 15 * MINUTE));
    assertFalse(o.lockedAt(t + 16 * MINUTE), "a temporary lock ends by itself");
    assertFalse(o.permanentlyLocked());
  }

  @Test
  void failuresOutsideTheWindowDoNotAddUp() {
    long t = 1_000_000;
    Operator o = fail(fresh(), 4, t);
    o = policy.afterFailure(o, t + 15 * MINUTE);
    assertFalse(o.lockedAt(t + 15 * MINUTE));
    assertEquals(1, o.failedLogins());
  }

  @Test
  void theThirdLockoutLastsUntilUnlocked() {
    long t = 1_000_000;
    Operator o = fresh();
    for (int lock = 1; lock <= 3; lock++) {
      o = fail(o, 5, t);
      assertTrue(o.lockedAt(t));
      t += 20 * MINUTE;
    }
    assertTrue(o.permanentlyLocked());
    assertTrue(o.lockedAt(t + 365L * 24 * 60 * MINUTE));
    Operator unlocked = LockoutPolicy.unlocked(o, t);
    assertEquals(Status.ACTIVE, unlocked.status());
    assertFalse(unlocked.lockedAt(t));
    assertEquals(0, unlocked.lockouts());
  }

  @Test
  void aCompleteSignInClearsTheCounters() {
    long t = 1_000_000;
    Operator o = fail(fail(fresh(), 5, t), 3, t + 20 * MINUTE);
    assertEquals(1, o.lockouts());
    o = policy.afterSuccess(o, t + 21 * MINUTE);
    assertEquals(0, o.failedLogins());
    assertEquals(0, o.lockouts());
    assertEquals(Status.ACTIVE, o.status());
  }
}
