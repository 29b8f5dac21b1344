package io.vigil.server.policy.stats;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.server.policy.PolicyService;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires rule statistics (the roll-up reader and its queries) and rule reviews. */
@Configuration
@EnableConfigurationProperties(RuleStatsProperties.class)
public class RuleStatsConfiguration {
  @Bean(destroyMethod = "close")
  public RuleStatsRollup ruleStatsRollup(HikariDataSource ds, RuleStatsProperties p) {
    RuleStatsRollup rollup = new RuleStatsRollup(ds, p.batchRows());
    return p.enabled() ? rollup.start(p.pollMillis()) : rollup;
  }

  @Bean
  public RuleReviews ruleReviews(HikariDataSource ds, PolicyService policies, Clock clock, RuleStatsProperties p) {
    return new RuleReviews(new RuleReviewRepository(ds), new RuleChanges(policies), policies, clock, Duration.ofDays(p.reviewDays()));
  }

  @Bean
  public RuleStatsService ruleStatsService(HikariDataSource ds, PolicyService policies, RuleReviews reviews) {
    return new RuleStatsService(new RuleStatsRepository(ds), policies, reviews);
  }
}
