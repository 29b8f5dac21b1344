package io.vigil.engine.limit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * How far back a limit counts. Calendar periods (day, month) follow the account's time zone: the
 * event's own zone, or the policy's default zone.
 */
public enum LimitPeriod {
  /** Each payment alone: nothing earlier counts. */
  SINGLE,
  /** The calendar day of the event. */
  DAILY,
  /** The calendar month of the event. */
  MONTHLY,
  /** The 24 hours up to the event, (t − 24 h, t]. */
  ROLLING_24H;

  static final long DAY_MILLIS = 86_400_000L;

  /** The first instant (inclusive) whose spend counts for an event at {@code atMillis}. */
  long startMillis(long atMillis, ZoneId zone) {
    return switch (this) {
      case SINGLE -> Long.MAX_VALUE;
      case DAILY -> localDate(atMillis, zone).atStartOfDay(zone).toInstant().toEpochMilli();
      case MONTHLY -> localDate(atMillis, zone).withDayOfMonth(1).atStartOfDay(zone).toInstant().toEpochMilli();
      case ROLLING_24H -> atMillis - DAY_MILLIS + 1;
    };
  }

  /**
   * When the calendar period ends (the next local midnight or first of the month), 0 for SINGLE;
   * for ROLLING_24H, {@code oldestCountedMillis + 24 h}, when the oldest counted spend leaves the window.
   */
  long resetsAtMillis(long atMillis, ZoneId zone, long oldestCountedMillis) {
    return switch (this) {
      case SINGLE -> 0;
      case DAILY -> localDate(atMillis, zone).plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
      case MONTHLY -> localDate(atMillis, zone).withDayOfMonth(1).plusMonths(1).atStartOfDay(zone).toInstant().toEpochMilli();
      case ROLLING_24H -> (oldestCountedMillis == Long.MAX_VALUE ? atMillis : oldestCountedMillis) + DAY_MILLIS;
    };
  }

  private static LocalDate localDate(long atMillis, ZoneId zone) {
    return ZonedDateTime.ofInstant(Instant.ofEpochMilli(atMillis), zone).toLocalDate();
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static LimitPeriod fromWire(String wire) {
    for (LimitPeriod p : values()) if (p.wireName().equals(wire)) return p;
    return null;
  }
}
