package io.vigil.server.operator;

import dev.samstevens.totp.time.TimeProvider;
import java.time.Clock;

/** The TOTP library's time source over the server's injected clock (seconds since the epoch). */
public final class ClockTimeProvider implements TimeProvider {
  private final Clock clock;

  public ClockTimeProvider(Clock clock) {
    this.clock = clock;
  }

  @Override
  public long getTime() {
    return Math.floorDiv(clock.millis(), 1000L);
  }
}
