package io.vigil.server.reports;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.engine.money.ExchangeRates;
import io.vigil.server.cases.CaseService;
import io.vigil.server.config.VigilProperties;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.notify.EmailNotifier;
import io.vigil.server.privacy.JournalPrivacy;
import io.vigil.server.reference.ReferenceService;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires reports: the FIU's lookup set and XSD, the signing key, STRs, the register, period reports and the monthly schedule. */
@Configuration
@EnableConfigurationProperties(ReportsProperties.class)
public class ReportsConfiguration {
  @Bean
  public ReportTransactions reportTransactions(JournalRepository journal, JournalPrivacy privacy) {
    return new ReportTransactions(journal, privacy);
  }

  @Bean
  public ReportRegister reportRegister(HikariDataSource ds) {
    return new ReportRegister(ds);
  }

  @Bean
  public StrService strService(CaseService cases, ReportTransactions transactions, ReportRegister register, HikariDataSource ds,
      ReportsProperties p, VigilProperties vigil, ReferenceService reference, Clock clock) {
    GoamlLookups lookups = GoamlLookups.load(p.goaml().lookupsPath());
    Supplier<ExchangeRates> rates = () -> reference.current().rates();
    return new StrService(cases, transactions, new ReportStore(ds), register, new GoamlWriter(p.goaml(), lookups), lookups,
        XsdCheck.load(p.goaml().xsdPath()), new ReportSigner(ReportKeys.load(p.signing(), Path.of(vigil.dataDir()))),
        p.goaml().currencyCodeLocal(), rates, clock);
  }

  @Bean
  public PeriodReports periodReports(ReportTransactions transactions, HikariDataSource ds, ReferenceService reference) {
    return new PeriodReports(transactions, ds, () -> reference.current().rates());
  }

  @Bean
  public LargeValueReport largeValueReport(ReportTransactions transactions, ReferenceService reference, ReportsProperties p) {
    return new LargeValueReport(transactions, () -> reference.current().rates(), p.largeValue());
  }

  @Bean(destroyMethod = "close")
  public StrSchedule strSchedule(StrService strs, HikariDataSource ds, EmailNotifier email, ReportsProperties p, Clock clock) {
    StrSchedule schedule = new StrSchedule(strs, ds, email, p.schedule(), clock);
    return p.schedule().enabled() ? schedule.start() : schedule;
  }
}
