package io.vigil.server.notify;

import java.time.Duration;
import java.util.List;

/**
 * When to try a failed delivery again: after the first failure 5 s, then 30 s, 2 min, 10 min, 1 h,
 * 2 h, 4 h, 8 h, 16 h (the last delay repeats if more attempts are allowed). An attempt that
 * failed and was the last one allowed makes the delivery {@code failed}.
 */
final class Backoff {
  /** The delays after the 1st, 2nd, ... failed attempt. */
  static final List<Duration> DELAYS = List.of(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2),
      Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(8),
      Duration.ofHours(16));
  /** The most attempts a setting may allow: one more than the delays. */
  static final int ATTEMPTS_MAX = 10;

  static {
    if (ATTEMPTS_MAX != DELAYS.size() + 1) throw new AssertionError("one delay between each two attempts");
  }

  private Backoff() {}

  /** The wait after the attempt numbered attemptsMade (1 = the first) failed. */
  static Duration after(int attemptsMade) {
    if (attemptsMade < 1) throw new IllegalArgumentException("attemptsMade is at least 1, not " + attemptsMade);
    return DELAYS.get(Math.min(attemptsMade, DELAYS.size()) - 1);
  }
}
