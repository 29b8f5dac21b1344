package io.vigil.server.monitoring;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.engine.monitoring.MonitorState;
import io.vigil.engine.monitoring.TransactionMonitor;
import io.vigil.server.cases.CaseService;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.privacy.JournalPrivacy;
import io.vigil.server.reference.ReferenceService;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/** Wires monitoring: the versioned scenarios (and their change kind), the alerts, and the monitor that follows the journal. */
@Configuration
@EnableConfigurationProperties(MonitoringProperties.class)
public class MonitoringConfiguration {
  @Bean
  public ScenarioStore scenarioStore(HikariDataSource ds, Clock clock) {
    return new ScenarioStore(ds, clock);
  }

  @Bean
  public MonitoringScenariosChangeKind monitoringScenariosChangeKind(ScenarioStore store) {
    return new MonitoringScenariosChangeKind(store);
  }

  @Bean
  public AlertRepository monitoringAlertRepository(HikariDataSource ds) {
    return new AlertRepository(ds);
  }

  @Bean(destroyMethod = "close")
  @DependsOn("caseNotifications")
  public JournalMonitor journalMonitor(JournalRepository journal, AlertRepository alerts, ScenarioStore scenarios, CaseService cases,
      ReferenceService reference, JournalPrivacy privacy, Clock clock, MonitoringProperties p, MeterRegistry registry) {
    MovementReader reader = new MovementReader(privacy, () -> reference.current().rates(), p.currency());
    AlertService raiser = new AlertService(alerts, journal, cases, clock, p.currency());
    JournalMonitor monitor = new JournalMonitor(journal, alerts, raiser, scenarios, reader,
        () -> new TransactionMonitor(new MonitorState(p.accountsMax(), p.identityKeysMax())), clock, p.batchRows());
    Gauge.builder("vigil.monitoring.lag.seconds", monitor, JournalMonitor::lagSeconds)
        .description("Time between the newest committed decision and the last one the monitor processed").baseUnit("seconds")
        .register(registry);
    return p.enabled() ? monitor.start(p.pollMillis()) : monitor;
  }
}
