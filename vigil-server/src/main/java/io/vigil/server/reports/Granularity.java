package io.vigil.server.reports;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;

/** The buckets a period report is cut into (UTC calendar days, months, quarters, years). */
public enum Granularity {
  DAY, MONTH, QUARTER, YEAR;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Granularity ofWire(String wire) {
    for (Granularity g : values()) {
      if (g.wire().equals(wire)) return g;
    }
    return null;
  }

  /** The first day of the bucket holding {@code date}. */
  public LocalDate start(LocalDate date) {
    return switch (this) {
      case DAY -> date;
      case MONTH -> date.withDayOfMonth(1);
      case QUARTER -> LocalDate.of(date.getYear(), ((date.getMonthValue() - 1) / 3) * 3 + 1, 1);
      case YEAR -> LocalDate.of(date.getYear(), 1, 1);
    };
  }

  public LocalDate next(LocalDate start) {
    return switch (this) {
      case DAY -> start.plusDays(1);
      case MONTH -> start.plusMonths(1);
      case QUARTER -> start.plusMonths(3);
      case YEAR -> start.plusYears(1);
    };
  }

  /** The bucket's label: 2026-11-05, 2026-11, 2026-Q4, 2026. */
  public String label(LocalDate start) {
    return switch (this) {
      case DAY -> start.toString();
      case MONTH -> start.toString().substring(0, 7);
      case QUARTER -> start.getYear() + "-Q" + ((start.getMonthValue() - 1) / 3 + 1);
      case YEAR -> Integer.toString(start.getYear());
    };
  }

  public LocalDate startOfMillis(long millis) {
    return start(LocalDate.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
  }
}
