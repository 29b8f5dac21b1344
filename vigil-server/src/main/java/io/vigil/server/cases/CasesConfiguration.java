package io.vigil.server.cases;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.server.hold.HoldService;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.notify.EmailNotifier;
import io.vigil.server.notify.WebhookNotifier;
import io.vigil.server.outcome.FinalOutcomes;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/** Wires cases: queues (seeded on a first start), the case service, attachments and the opener that follows the journal. */
@Configuration
@EnableConfigurationProperties(CasesProperties.class)
public class CasesConfiguration {
  @Bean
  public CaseRepository caseRepository(HikariDataSource ds) {
    return new CaseRepository(ds);
  }

  @Bean
  public QueueService queueService(HikariDataSource ds, Clock clock) {
    QueueService queues = new QueueService(new QueueRepository(ds), clock);
    queues.seedIfEmpty();
    return queues;
  }

  @Bean
  public CaseService caseService(CaseRepository cases, QueueService queues, Clock clock, CasesProperties p) {
    return new CaseService(cases, queues, clock, p.groupByAccount());
  }

  @Bean
  public CaseAttachments caseAttachments(CaseService cases, CaseRepository repository, CasesProperties p, Clock clock) {
    return new CaseAttachments(cases, repository, p.attachments(), clock);
  }

  /** Webhooks and e-mail about cases; registered before the opener starts, so no opened case goes untold. */
  @Bean
  public CaseNotifications caseNotifications(EmailNotifier email, WebhookNotifier webhooks, HoldService holds, CaseService cases,
      JournalRepository journal, FinalOutcomes outcomes) {
    CaseNotifications notifications = new CaseNotifications(email, webhooks, holds, cases, journal, outcomes);
    cases.addListener(notifications);
    return notifications;
  }

  @Bean(destroyMethod = "close")
  @DependsOn("caseNotifications")
  public CaseOpener caseOpener(JournalRepository journal, CaseRepository cases, CaseService service, CasesProperties p,
      MeterRegistry registry) {
    CaseOpener opener = new CaseOpener(journal, cases, service,
        new CaseSampling(p.sampling().abnormalApplications(), p.sampling().allowedPayments()), p.openerBatchRows());
    Gauge.builder("vigil.cases.opener.lag", opener, CaseOpener::lagDecisions)
        .description("Committed decisions the case opener has not read yet (0 when caught up)").baseUnit("decisions")
        .register(registry);
    return p.enabled() ? opener.start(p.openerPollMillis()) : opener;
  }
}
