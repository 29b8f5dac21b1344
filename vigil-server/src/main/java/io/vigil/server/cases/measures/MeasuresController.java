package io.vigil.server.cases.measures;

import io.vigil.server.api.ApiException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The measures of the review loop and the daily interception review over HTTP (cases.read). */
@RestController
public class MeasuresController {
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  /** The earliest day the daily review answers: nothing older was decided by Vigil. */
  private static final LocalDate DATE_MIN = LocalDate.of(2000, 1, 1);
  /** Characters of a from or to at most (an RFC 3339 time with nanoseconds is 30). */
  private static final int TIME_CHARS_MAX = 40;

  private final MeasuresService measures;

  public MeasuresController(MeasuresService measures) {
    this.measures = measures;
  }

  /** {@code from} and {@code to}: RFC 3339 UTC times; without them the last 7 days; at most 93 days. */
  @GetMapping("/v1/cases/measures")
  public Map<String, Object> measures(@RequestParam(name = "from", required = false) String from,
      @RequestParam(name = "to", required = false) String to) {
    Long fromMillis = time(from, "from");
    Long toMillis = time(to, "to");
    long end = toMillis != null ? toMillis
        : fromMillis != null ? Math.min(fromMillis + MeasuresService.RANGE_MILLIS_DEFAULT, measures.clock().millis())
        : measures.clock().millis();
    long start = fromMillis != null ? fromMillis : end - MeasuresService.RANGE_MILLIS_DEFAULT;
    if (end <= start) {
      throw toMillis == null ? ApiException.invalid("invalid_range", "from must be before now when to is not given", "from")
          : ApiException.invalid("invalid_range", "to must be after from", "to");
    }
    if (end - start > MeasuresService.RANGE_MILLIS_MAX) {
      throw ApiException.invalid("invalid_range", "from to to spans at most " + MeasuresService.RANGE_DAYS_MAX + " days", "from");
    }
    return MeasuresJson.measures(measures.measure(start, end));
  }

  /** {@code date}: a day (UTC) as YYYY-MM-DD; without it, yesterday. */
  @GetMapping("/v1/cases/daily-review")
  public Map<String, Object> dailyReview(@RequestParam(name = "date", required = false) String date) {
    LocalDate today = LocalDate.ofInstant(measures.clock().instant(), ZoneOffset.UTC);
    LocalDate day = date == null ? today.minusDays(1) : date(date);
    if (day.isBefore(DATE_MIN) || day.isAfter(today)) {
      throw ApiException.invalid("invalid_parameter", "date must be a day from " + DATE_MIN + " to today (UTC)", "date");
    }
    return MeasuresJson.daily(measures.daily(day));
  }

  private static LocalDate date(String value) {
    if (!DATE.matcher(value).matches()) throw ApiException.invalid("invalid_parameter", "date must be a day as YYYY-MM-DD", "date");
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiException.invalid("invalid_parameter", "date must be a day as YYYY-MM-DD", "date");
    }
  }

  private static Long time(String value, String param) {
    if (value == null) return null;
    if (value.length() > TIME_CHARS_MAX) {
      throw ApiException.invalid("invalid_parameter", param + " must be an RFC 3339 UTC time such as 2026-11-21T00:00:00Z", param);
    }
    try {
      return Instant.parse(value).toEpochMilli();
    } catch (DateTimeException | ArithmeticException e) {
      throw ApiException.invalid("invalid_parameter", param + " must be an RFC 3339 UTC time such as 2026-11-21T00:00:00Z", param);
    }
  }
}
