package io.vigil.server.transport;

import io.github.bucket4j.TimeMeter;
import java.time.Clock;

/** The server's {@link Clock} as bucket4j's time source, so that refills follow the injected clock (a test clock in tests). */
final class ClockTimeMeter implements TimeMeter {
  private static final long NANOS_PER_MILLI = 1_000_000L;
  private final Clock clock;

  ClockTimeMeter(Clock clock) {
    this.clock = clock;
  }

  @Override
  public long currentTimeNanos() {
    return clock.millis() * NANOS_PER_MILLI;
  }

  @Override
  public boolean isWallClockBased() {
    return true;
  }
}
