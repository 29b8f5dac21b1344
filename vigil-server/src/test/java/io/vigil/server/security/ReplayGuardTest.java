package io.vigil.server.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vigil.server.security.ReplayGuard.Result;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The replay guard: once per signature within the tolerance, bounded, and forgetting what aged out. */
class ReplayGuardTest {
  private static final long NOW = 1_773_151_200L;

  @Test
  void aSignatureIsNewOnceThenAReplay() {
    ReplayGuard guard = new ReplayGuard(300, 1_000);
    assertEquals(Result.NEW, guard.remember(42, NOW, NOW));
    assertEquals(Result.REPLAYED, guard.remember(42, NOW, NOW + 200));
    assertEquals(Result.NEW, guard.remember(43, NOW, NOW));
    assertEquals(Result.NEW, guard.remember(42, NOW - 120, NOW), "the same fingerprint at another time is another signature");
    assertEquals(3, guard.size());
  }

  @Test
  void manyDistinctSignaturesAreAllNewAndEachRepeatIsCaught() {
    ReplayGuard guard = new ReplayGuard(300, 100_000);
    SplittableRandom random = new SplittableRandom(7);
    long[] fingerprints = new long[50_000];
    for (int i = 0; i < fingerprints.length; i++) {
      fingerprints[i] = random.nextLong();
      assertEquals(Result.NEW, guard.remember(fingerprints[i], NOW - (i % 300), NOW));
    }
    for (int i = 0; i < fingerprints.length; i += 97) {
      assertEquals(Result.REPLAYED, guard.remember(fingerprints[i], NOW - (i % 300), NOW));
    }
  }

  @Test
  void whenFullItRefusesRatherThanForgets() {
    ReplayGuard guard = new ReplayGuard(300, 100);
    for (int i = 0; i < 100; i++) assertEquals(Result.NEW, guard.remember(1_000 + i, NOW, NOW));
    assertEquals(Result.FULL, guard.remember(5, NOW, NOW));
    assertEquals(Result.REPLAYED, guard.remember(1_000, NOW, NOW), "a replay is still a replay when full");
    // Ten minutes on, the old bucket is outside the tolerance: its slots are reused and space comes back.
    long later = NOW + 660;
    assertEquals(Result.NEW, guard.remember(5, later, later));
  }

  @Test
  void aTimestampOutsideTheToleranceIsNotTheGuardsToJudge() {
    ReplayGuard guard = new ReplayGuard(300, 100);
    assertThrows(IllegalArgumentException.class, () -> guard.remember(1, NOW - 301, NOW));
  }
}
