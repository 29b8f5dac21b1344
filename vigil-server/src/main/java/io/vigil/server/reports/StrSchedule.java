package io.vigil.server.reports;

import io.vigil.server.api.ApiException;
import io.vigil.server.notify.EmailNotifier;
import io.vigil.server.storage.Sql;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monthly STR batch. From the first day of a month, the previous month's suspicious cases
 * (closed with the verdict confirmed_fraud) each get a prepared STR, for filing by the deadline day
 * ({@code vigil.reports.schedule.deadline-day}, the 10th by default). From
 * {@code reminder-days-before} days before the deadline, while any report of the batch is unfiled,
 * the compliance addresses get one reminder e-mail. Each month's state is a row of
 * {@code report_schedule}, so a restart neither prepares nor reminds twice. Time comes from the clock.
 */
public final class StrSchedule implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StrSchedule.class);
  /** Cases one month's batch prepares at most. */
  static final int BATCH_CASES_MAX = 2_000;

  private final StrService strs;
  private final DataSource dataSource;
  private final EmailNotifier email;
  private final ReportsProperties.Schedule settings;
  private final Clock clock;
  private ScheduledExecutorService timer;

  public StrSchedule(StrService strs, DataSource dataSource, EmailNotifier email, ReportsProperties.Schedule settings, Clock clock) {
    this.strs = strs;
    this.dataSource = dataSource;
    this.email = email;
    this.settings = settings;
    this.clock = clock;
  }

  public StrSchedule start() {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vigil-str-schedule");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::runQuietly, settings.pollMillis(), settings.pollMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void runQuietly() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      log.warn("the monthly STR schedule failed; it tries again at the next poll", e);
    }
  }

  /** What one pass did, for tests and the console. */
  public record Pass(YearMonth month, int prepared, boolean reminded) {}

  public synchronized Pass runOnce() {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    YearMonth month = YearMonth.from(today).minusMonths(1);
    int prepared = prepareIfDue(month);
    boolean reminded = remindIfDue(month, today);
    return new Pass(month, prepared, reminded);
  }

  public LocalDate deadline(YearMonth reportedMonth) {
    return reportedMonth.plusMonths(1).atDay(settings.deadlineDay());
  }

  private int prepareIfDue(YearMonth month) {
    boolean done = Sql.one(dataSource, "SELECT prepared_at_millis FROM report_schedule WHERE report_month = ?", ps -> ps.setString(1, month.toString()),
        rs -> rs.getObject(1) != null, "reading the STR schedule failed").orElse(false);
    if (done) return 0;
    long from = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    long to = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    List<String> caseIds = Sql.list(dataSource, "SELECT case_id FROM cases WHERE verdict = 'confirmed_fraud' AND closed_at_millis >= ?"
        + " AND closed_at_millis < ? AND case_id NOT IN (SELECT case_id FROM reports WHERE case_id IS NOT NULL) ORDER BY closed_at_millis,"
        + " case_id LIMIT ?", ps -> {
          ps.setLong(1, from);
          ps.setLong(2, to);
          ps.setInt(3, BATCH_CASES_MAX);
        }, rs -> rs.getString(1), "reading the month's suspicious cases failed");
    int prepared = 0;
    for (String caseId : caseIds) {
      try {
        strs.prepare(caseId, new StrService.Request("STR", null, null, null), "system:str-schedule");
        prepared++;
      } catch (ApiException e) {
        log.info("case {} gets no STR in the {} batch: {}", caseId, month, e.code());
      }
    }
    long now = clock.millis();
    int n = prepared;
    Sql.update(dataSource, "INSERT INTO report_schedule (report_month, prepared_at_millis, cases) VALUES (?, ?, ?)", ps -> {
      ps.setString(1, month.toString());
      ps.setLong(2, now);
      ps.setInt(3, n);
    }, "recording the STR batch failed");
    return prepared;
  }

  private boolean remindIfDue(YearMonth month, LocalDate today) {
    LocalDate deadline = deadline(month);
    if (today.isBefore(deadline.minusDays(settings.reminderDaysBefore())) || today.isAfter(deadline)) return false;
    boolean reminded = Sql.one(dataSource, "SELECT reminded_at_millis FROM report_schedule WHERE report_month = ?", ps -> ps.setString(1, month.toString()),
        rs -> rs.getObject(1) != null, "reading the STR schedule failed").orElse(true);
    if (reminded) return false;
    long unfiled = Sql.number(dataSource, "SELECT COUNT(*) FROM reports WHERE prepared_by = 'system:str-schedule' AND status = 'prepared'"
        + " AND case_id IN (SELECT case_id FROM cases WHERE closed_at_millis >= ? AND closed_at_millis < ?)", ps -> {
          ps.setLong(1, month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
          ps.setLong(2, month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
        }, "counting unfiled STRs failed");
    long now = clock.millis();
    Sql.update(dataSource, "UPDATE report_schedule SET reminded_at_millis = ? WHERE report_month = ?", ps -> {
      ps.setLong(1, now);
      ps.setString(2, month.toString());
    }, "recording the STR reminder failed");
    if (unfiled == 0 || email.complianceAddresses().isEmpty()) return false;
    email.send(email.complianceAddresses(), "Vigil: " + unfiled + " suspicious transaction report(s) for " + month + " due by " + deadline,
        "The monthly STR batch for " + month + " holds " + unfiled + " prepared report(s) not filed yet.\n"
            + "They are due at the FIU by " + deadline + ". Review, validate and file them on the console's Reports page.\n",
        "report_reminder");
    return true;
  }

  @Override
  public void close() {
    if (timer != null) timer.shutdownNow();
  }
}
