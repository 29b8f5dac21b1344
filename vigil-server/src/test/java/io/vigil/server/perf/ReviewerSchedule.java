package io.vigil.server.perf;

import java.time.Duration;
import java.time.LocalTime;

/**
 * When one simulated reviewer may work: a daily shift (start time UTC and length, possibly across
 * midnight) and at most {@code casesPerHourMax} cases closed per clock hour. Pure: times are epoch
 * milliseconds of the simulation, nothing reads a clock.
 */
final class ReviewerSchedule {
  private static final long MINUTE = 60_000L;
  private static final long HOUR = 3_600_000L;
  private static final long DAY = 86_400_000L;

  private final long startOfShiftMillisOfDay;
  private final long shiftMillis;
  private final int casesPerHourMax;
  private long capHour = Long.MIN_VALUE;
  private int closedInCapHour;

  ReviewerSchedule(LocalTime shiftStartUtc, Duration shiftLength, int casesPerHourMax) {
    if (shiftLength.isNegative() || shiftLength.isZero() || shiftLength.toMillis() > DAY) {
      throw new IllegalArgumentException("a shift lasts more than 0 and at most 24 hours, not " + shiftLength);
    }
    if (casesPerHourMax < 1) throw new IllegalArgumentException("casesPerHourMax must be at least 1, not " + casesPerHourMax);
    this.startOfShiftMillisOfDay = shiftStartUtc.toSecondOfDay() * 1000L;
    this.shiftMillis = shiftLength.toMillis();
    this.casesPerHourMax = casesPerHourMax;
  }

  /** Whether t falls in a shift. */
  boolean onShift(long t) {
    return Math.floorMod(t - startOfShiftMillisOfDay, DAY) < shiftMillis;
  }

  /** The start of the shift t is in, or of the next one when t is off shift. */
  long shiftStart(long t) {
    long sinceStart = Math.floorMod(t - startOfShiftMillisOfDay, DAY);
    return sinceStart < shiftMillis ? t - sinceStart : t - sinceStart + DAY;
  }

  /** The end of the shift t is in (t on shift). */
  long shiftEnd(long t) {
    return shiftStart(t) + shiftMillis;
  }

  /**
   * The first moment at or after t at which this reviewer may take a case: on shift, in an hour in
   * which they have closed fewer than the cap.
   */
  long nextWorking(long t) {
    long at = t;
    for (int i = 0; i < 1000; i++) {
      if (!onShift(at)) {
        at = shiftStart(at);
        continue;
      }
      if (Math.floorDiv(at, HOUR) == capHour && closedInCapHour >= casesPerHourMax) {
        at = (capHour + 1) * HOUR;
        continue;
      }
      return at;
    }
    throw new IllegalStateException("no working time found after " + t);
  }

  /** Records a case closed at t, for the hourly cap. */
  void closed(long t) {
    long hour = Math.floorDiv(t, HOUR);
    if (hour != capHour) {
      capHour = hour;
      closedInCapHour = 0;
    }
    closedInCapHour++;
  }

  static long minutes(double m) {
    return Math.round(m * MINUTE);
  }
}
