package io.vigil.server.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that stands still until a unit test moves it (forward only). */
public final class MutableClock extends Clock {
  private long millis;

  public MutableClock(Instant start) {
    this.millis = start.toEpochMilli();
  }

  public void advance(Duration by) {
    if (by.isNegative()) throw new IllegalArgumentException("forward only");
    millis += by.toMillis();
  }

  @Override
  public long millis() {
    return millis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }
}
