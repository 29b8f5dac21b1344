package io.vigil.server.policy.stats;

import io.vigil.server.api.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A range of UTC days, both ends included, as {@code ?from=YYYY-MM-DD&to=YYYY-MM-DD} give it:
 * {@code to} defaults to today, {@code from} to {@link #DEFAULT_DAYS} days ending at {@code to}.
 */
public record StatsRange(LocalDate from, LocalDate to) {
  /** Longest range, in days: a quarter. */
  public static final int DAYS_MAX = 92;
  /** Days of a range without {@code from}. */
  public static final int DEFAULT_DAYS = 30;
  private static final int DATE_CHARS_MAX = 10;

  static {
    assert DEFAULT_DAYS <= DAYS_MAX;
  }

  public StatsRange {
    assert !from.isAfter(to);
  }

  public static StatsRange parse(String fromText, String toText, Clock clock) {
    LocalDate today = Instant.ofEpochMilli(clock.millis()).atZone(ZoneOffset.UTC).toLocalDate();
    LocalDate to = toText == null ? today : date(toText, "to");
    LocalDate from = fromText == null ? to.minusDays(DEFAULT_DAYS - 1) : date(fromText, "from");
    if (from.isAfter(to)) throw ApiException.invalid("invalid_range", "from is after to", "from");
    if (to.isAfter(today)) throw ApiException.invalid("invalid_range", "to is after today (" + today + ", UTC)", "to");
    if (to.toEpochDay() - from.toEpochDay() + 1 > DAYS_MAX) {
      throw ApiException.invalid("invalid_range", "a range is at most " + DAYS_MAX + " days", "from");
    }
    return new StatsRange(from, to);
  }

  private static LocalDate date(String text, String param) {
    if (text.length() > DATE_CHARS_MAX) throw ApiException.invalid("invalid_date", param + " is a date, YYYY-MM-DD", param);
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw ApiException.invalid("invalid_date", param + " is a date, YYYY-MM-DD", param);
    }
  }

  public int fromDay() {
    return (int) from.toEpochDay();
  }

  public int toDay() {
    return (int) to.toEpochDay();
  }

  public int days() {
    return toDay() - fromDay() + 1;
  }
}
