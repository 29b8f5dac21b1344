package io.vigil.server.cases.measures;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the measures and the daily review. The review goes to the {@link ReviewMailer} bean when
 * there is one; without one it is only logged as ready (subject only: the body stays in Vigil).
 */
@Configuration
@EnableConfigurationProperties(MeasuresProperties.class)
public class MeasuresConfiguration {
  private static final Logger log = LoggerFactory.getLogger(MeasuresConfiguration.class);

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
      ObjectProvider<ReviewMailer> mailer, MeasuresProperties p) {
    ReviewMailer to = mailer.getIfAvailable(() -> (subject, body) -> log.info("{} is ready; no mailer is configured", subject));
    DailyReviewScheduler scheduler = new DailyReviewScheduler(measures, repository, to, p.dailyReview().hourUtc());
    return p.dailyReview().enabled() ? scheduler.start(p.dailyReview().checkSeconds()) : scheduler;
  }
}
