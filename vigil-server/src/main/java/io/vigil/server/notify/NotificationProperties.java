package io.vigil.server.notify;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How Vigil tells people and payment systems about cases ({@code vigil.notifications.*}). The SMTP
 * server itself is Spring's {@code spring.mail.host}/{@code spring.mail.port}: without a host, e-mail
 * is off and each would-be e-mail is recorded as {@code skipped}. Bad values fail start-up.
 */
@Validated
@ConfigurationProperties(prefix = "vigil.notifications")
public record NotificationProperties(@DefaultValue @Valid Mail mail, @DefaultValue @Valid Webhooks webhooks) {

  /**
   * @param from the sender address of every e-mail
   * @param compliance who receives borderline cases and the daily interception review
   * @param reviewers who receives the deadline warnings and breaches of cases (optional; Vigil keeps no address of an operator)
   * @param attemptsMax tries per e-mail before it is {@code failed}
   * @param pollInterval how often the e-mail worker looks for retries that are due
   * @param queueMax e-mails held in memory for sending or retrying; more are recorded {@code failed}
   */
  public record Mail(
      @DefaultValue("vigil@localhost") @NotBlank @Size(max = 254) String from,
      @DefaultValue @Size(max = 100) List<@NotBlank @Size(max = 254) String> compliance,
      @DefaultValue @Size(max = 100) List<@NotBlank @Size(max = 254) String> reviewers,
      @DefaultValue("5") @Min(1) @Max(10) int attemptsMax,
      @DefaultValue("5s") Duration pollInterval,
      @DefaultValue("1000") @Min(1) @Max(100_000) int queueMax) {

    public Mail {
      requireBetween(pollInterval, Duration.ofMillis(10), Duration.ofHours(1), "mail.poll-interval");
    }
  }

  /**
   * @param connectTimeout how long to wait to connect to an endpoint
   * @param requestTimeout how long to wait for an endpoint's answer (after connecting)
   * @param attemptsMax tries per delivery before it is {@code failed}
   * @param pendingPerEndpointMax pending deliveries per endpoint; a new event beyond it is recorded {@code failed} at once
   * @param pollInterval how often the worker looks for due deliveries
   * @param batchMax deliveries sent per round (in parallel)
   * @param retention delivered and failed deliveries older than this are deleted
   */
  public record Webhooks(
      @DefaultValue("5s") Duration connectTimeout,
      @DefaultValue("5s") Duration requestTimeout,
      @DefaultValue("8") @Min(1) @Max(Backoff.ATTEMPTS_MAX) int attemptsMax,
      @DefaultValue("1000") @Min(1) @Max(100_000) int pendingPerEndpointMax,
      @DefaultValue("1s") Duration pollInterval,
      @DefaultValue("20") @Min(1) @Max(200) int batchMax,
      @DefaultValue("30d") Duration retention) {

    public Webhooks {
      requireBetween(connectTimeout, Duration.ofMillis(50), Duration.ofSeconds(60), "webhooks.connect-timeout");
      requireBetween(requestTimeout, Duration.ofMillis(50), Duration.ofSeconds(60), "webhooks.request-timeout");
      requireBetween(pollInterval, Duration.ofMillis(10), Duration.ofHours(1), "webhooks.poll-interval");
      requireBetween(retention, Duration.ofHours(1), Duration.ofDays(3650), "webhooks.retention");
    }
  }

  static void requireBetween(Duration value, Duration min, Duration max, String name) {
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException("vigil.notifications." + name + " is " + min + " to " + max + ", not " + value);
    }
  }
}
