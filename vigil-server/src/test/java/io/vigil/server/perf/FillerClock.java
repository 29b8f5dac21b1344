package io.vigil.server.perf;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** The filler's clock: starts at {@code vigil.test.clock}, ticks with the JVM, and is moved ahead as decisions are made. */
@TestConfiguration(proxyBeanMethods = false)
public class FillerClock {
  static final Movable CLOCK = new Movable(Instant.parse(System.getProperty("vigil.test.clock")).toEpochMilli());

  @Bean
  @Primary
  public Clock simulatedClock() {
    return CLOCK;
  }

  static final class Movable extends Clock {
    private final long startMillis;
    private final long originNanos = System.nanoTime();
    private final AtomicLong advancedMillis = new AtomicLong();

    Movable(long startMillis) {
      this.startMillis = startMillis;
    }

    void advance(long millis) {
      advancedMillis.addAndGet(millis);
    }

    @Override
    public long millis() {
      return startMillis + (System.nanoTime() - originNanos) / 1_000_000L + advancedMillis.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
