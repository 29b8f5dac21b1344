package io.vigil.server.policy.release;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.engine.model.ModelRegistry;
import io.vigil.server.decision.DecisionPipeline;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.notify.EmailNotifier;
import io.vigil.server.notify.WebhookNotifier;
import io.vigil.server.policy.PolicyService;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires gray releases: the service (which restores the running release at start-up) and its guard. */
@Configuration
@EnableConfigurationProperties(ReleasesProperties.class)
public class ReleasesConfiguration {
  /** Also puts the challenger model on its traffic split ({@code vigil.releases.model-challenger-percent}). */
  @Bean
  public ReleaseService releaseService(HikariDataSource ds, PolicyService policies, DecisionPipeline pipeline,
      JournalRepository journal, EmailNotifier email, WebhookNotifier webhooks, ModelRegistry models, ReleasesProperties p,
      Clock clock) {
    models.challengerPercent(p.modelChallengerPercent());
    return new ReleaseService(new ReleaseRepository(ds), policies, pipeline, journal, ds, new ReleaseNotifications(email, webhooks),
        clock);
  }

  @Bean(destroyMethod = "close")
  public ReleaseGuard releaseGuard(ReleaseService releases, ReleasesProperties p) {
    return new ReleaseGuard(releases, p.guard()).start();
  }
}
