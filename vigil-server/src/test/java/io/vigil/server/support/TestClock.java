package io.vigil.server.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clock every server test runs on, so that no outcome depends on when or where the suite runs.
 *
 * <p>It starts at the instant given by the system property {@code vigil.test.clock} (default
 * {@value #DEFAULT_START}, a Tuesday at 14:00 UTC) and then ticks at the JVM's monotonic rate, so
 * waits and timeouts behave as they would in production. {@link #advance} moves it forward without
 * sleeping (expiries, windows). It never goes back. Run the suite at another time of day with
 * {@code ./mvnw verify -Dvigil.test.clock=2026-03-10T02:00:00Z}.
 */
public final class TestClock extends Clock {
  public static final String DEFAULT_START = "2026-03-10T14:00:00Z";
  public static final TestClock INSTANCE = new TestClock();

  /** Set by a parent test process on a child server it starts: when (wall-clock millis) it read its clock for the child. */
  public static final String SENT_AT_PROPERTY = "vigil.test.clock.sent-at-millis";
  private final long startMillis = startMillis();
  private final long originNanos = System.nanoTime();
  private final AtomicLong advancedMillis = new AtomicLong();

  private TestClock() {}

  /**
   * Where this clock starts. A child process is given the parent's reading and when it was taken; it
   * adds the time it took to start (a few seconds, more on a busy machine), so parent and child read
   * the same time, as TOTP codes need. Only that difference is taken from the wall clock, never its date.
   */
  private static long startMillis() {
    long start = Instant.parse(System.getProperty("vigil.test.clock", DEFAULT_START)).toEpochMilli();
    String sentAt = System.getProperty(SENT_AT_PROPERTY);
    return sentAt == null ? start : start + Math.max(0, System.currentTimeMillis() - Long.parseLong(sentAt));
  }

  /** The JVM options that start a child process's test clock where this one stands now. */
  public static List<String> childOptions() {
    return List.of("-Dvigil.test.clock=" + now(), "-D" + SENT_AT_PROPERTY + "=" + System.currentTimeMillis());
  }

  /** The test clock's current instant: what the server under test reads as "now". */
  public static Instant now() {
    return INSTANCE.instant();
  }

  /**
   * An event time at which the seeded off_hours rule (outside 09:00-23:00 local time, UTC for
   * events without a time zone) does not fire: now, or when now is outside those hours, the last
   * 22:00 UTC, at most 11 h ago. For tests whose expected reasons must not change at night.
   */
  public static Instant daytime() {
    ZonedDateTime now = now().atZone(ZoneOffset.UTC);
    if (now.getHour() >= 9 && now.getHour() < 23) return now.toInstant();
    ZonedDateTime tenPm = now.truncatedTo(ChronoUnit.DAYS).withHour(22);
    return (tenPm.isAfter(now) ? tenPm.minusDays(1) : tenPm).toInstant();
  }

  /** Moves the clock forward by {@code by} (positive) for the server and the tests alike. */
  public static void advance(Duration by) {
    if (by.isNegative() || by.isZero()) throw new IllegalArgumentException("advance by a positive duration, not " + by);
    INSTANCE.advancedMillis.addAndGet(by.toMillis());
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
    throw new UnsupportedOperationException("the test clock is UTC; convert instants where a zone is needed");
  }
}
