package io.vigil.server.cases.measures;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** The daily interception review ({@code vigil.cases.measures.*}). Bad values fail start-up; docs/cases.md explains each. */
@Validated
@ConfigurationProperties(prefix = "vigil.cases.measures")
public record MeasuresProperties(@DefaultValue @Valid DailyReviewMailing dailyReview) {

  /**
   * @param enabled whether the review of yesterday is sent each day
   * @param hourUtc the hour (UTC, 0 to 23) from which it is sent
   * @param checkSeconds how often the scheduler looks whether the day's review is due
   */
  public record DailyReviewMailing(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("7") @Min(0) @Max(23) int hourUtc,
      @DefaultValue("300") @Min(10) @Max(3_600) long checkSeconds) {}
}
