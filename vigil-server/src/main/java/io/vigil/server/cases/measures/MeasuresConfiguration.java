package io.vigil.server.cases.measures;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.server.notify.EmailNotifier;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the measures and the daily review. The review goes by e-mail to the compliance addresses
 * ({@code vigil.notifications.mail.compliance}); where e-mail is not configured the sender records
 * it as skipped.
 */
@Configuration
@EnableConfigurationProperties(MeasuresProperties.class)
public class MeasuresConfiguration {
  @Bean
  public MeasuresRepository measuresRepository(HikariDataSource ds) {
    return new MeasuresRepository(ds);
  }

  @Bean
  public MeasuresService measuresService(MeasuresRepository repository, Clock clock) {
    return new MeasuresService(repository, clock);
  }

  @Bean(destroyMethod = "close")
  public DailyReviewScheduler dailyReviewScheduler(MeasuresService measures, MeasuresRepository repository,
      EmailNotifier email, MeasuresProperties p) {
    DailyReviewScheduler scheduler = new DailyReviewScheduler(measures, repository, mailer(email), p.dailyReview().hourUtc());
    return p.dailyReview().enabled() ? scheduler.start(p.dailyReview().checkSeconds()) : scheduler;
  }

  /** The daily review to the compliance addresses; throws when it could not even be recorded, so the day is tried again. */
  static ReviewMailer mailer(EmailNotifier email) {
    return (subject, body) -> {
      if (email.send(email.complianceAddresses(), subject, body, "daily_review") == null) {
        throw new IllegalStateException("the daily review could not be handed to the e-mail sender");
      }
    };
  }
}
