package io.vigil.server.cases.verdict;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.server.account.RestrictionService;
import io.vigil.server.cases.CaseService;
import io.vigil.server.feedback.FeedbackService;
import io.vigil.server.hold.HoldService;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.list.ListService;
import io.vigil.server.outcome.FinalOutcomes;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires verdicts, appeals and reopen requests. {@code vigil.cases.verdicts.reapply-period} (default
 * 1 minute, at least 1 second): how often the re-applier finishes verdicts whose effects are not all
 * applied; it also runs once at start.
 */
@Configuration
public class VerdictConfiguration {
  /** The shortest re-apply period: a tighter loop would only repeat a refusal. */
  static final Duration REAPPLY_PERIOD_MIN = Duration.ofSeconds(1);

  @Bean(destroyMethod = "close")
  public VerdictEffects verdictEffects(HikariDataSource ds, CaseService cases, FeedbackService feedback, HoldService holds,
      RestrictionService restrictions, ListService lists, Clock clock,
      @Value("${vigil.cases.verdicts.reapply-period:PT1M}") Duration period) {
    if (period.compareTo(REAPPLY_PERIOD_MIN) < 0) {
      throw new IllegalArgumentException("vigil.cases.verdicts.reapply-period must be at least 1 s, was " + period);
    }
    return new VerdictEffects(new VerdictRepository(ds), cases, feedback, holds, restrictions, lists, clock).start(period.toMillis());
  }

  @Bean
  public VerdictService verdictService(HikariDataSource ds, CaseService cases, VerdictEffects effects, HoldService holds,
      RestrictionService restrictions, ListService lists) {
    return new VerdictService(cases, new VerdictRepository(ds), effects, holds, restrictions, lists);
  }

  @Bean
  public ReopenService reopenService(HikariDataSource ds, CaseService cases, Clock clock) {
    return new ReopenService(cases, new ReopenRepository(ds), clock);
  }

  @Bean
  public AppealService appealService(HikariDataSource ds, CaseService cases, ReopenService reopens, JournalRepository journal,
      FinalOutcomes outcomes, Clock clock) {
    return new AppealService(new AppealRepository(ds), cases, reopens, journal, outcomes, clock);
  }
}
