package io.vigil.server.reports;

import io.vigil.engine.money.ExchangeRates;
import io.vigil.engine.money.Money;
import io.vigil.server.api.ApiException;
import io.vigil.server.storage.Sql;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Risk and business reports over a period, bucketed by day, month, quarter or year (UTC): decisions
 * by event type (counts and volumes, approved = ALLOW, blocked = DENY), cases opened (all, and those
 * opened by monitoring alerts) and their verdicts, and security events from the audit trail.
 * Volumes are in the exchange rates' base currency; an amount without a rate is counted, not summed.
 */
public final class PeriodReports {
  /** Buckets one report holds at most (a year of days). */
  public static final int BUCKETS_MAX = 400;
  /** Case and audit rows one report reads at most. */
  static final int SIDE_ROWS_MAX = 500_000;
  public static final List<String> EVENT_TYPES = List.of("registration", "payment", "transfer", "withdrawal", "refund");
  private static final List<String> EVENT_MEASURES = List.of("count", "approved", "blocked", "volume", "approved_volume");
  private static final List<String> OTHER_COLUMNS = List.of("unconverted_amounts", "cases_opened", "alert_cases_opened",
      "verdict_confirmed_fraud", "verdict_legitimate", "verdict_inconclusive", "failed_logins", "lockouts", "step_ups");

  private final ReportTransactions transactions;
  private final DataSource dataSource;
  private final Supplier<ExchangeRates> rates;

  public PeriodReports(ReportTransactions transactions, DataSource dataSource, Supplier<ExchangeRates> rates) {
    this.transactions = transactions;
    this.dataSource = dataSource;
    this.rates = rates;
  }

  /** A half-open range of UTC days [from, to) cut into buckets. */
  public record Period(LocalDate from, LocalDate to, Granularity granularity) {
    public Period {
      if (!from.isBefore(to)) throw ApiException.invalid("invalid_parameter", "from must be before to", "from");
    }

    long fromMillis() {
      return from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    long toMillis() {
      return to.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    /** Bucket starts from the one holding {@code from} up to {@code to}; refuses more than {@link #BUCKETS_MAX}. */
    List<LocalDate> buckets() {
      List<LocalDate> out = new ArrayList<>();
      for (LocalDate d = granularity.start(from); d.isBefore(to); d = granularity.next(d)) {
        if (out.size() == BUCKETS_MAX) {
          throw ApiException.invalid("invalid_parameter", "a report holds at most " + BUCKETS_MAX + " " + granularity.wire()
              + "s: choose a shorter period or a coarser granularity", "to");
        }
        out.add(d);
      }
      return out;
    }
  }

  /** The business report: one row per bucket. */
  public ReportTable business(Period p) {
    ExchangeRates r = rates.get();
    String base = r.baseCurrency();
    TreeMap<LocalDate, long[]> cells = new TreeMap<>();
    int width = EVENT_TYPES.size() * EVENT_MEASURES.size() + OTHER_COLUMNS.size();
    for (LocalDate d : p.buckets()) cells.put(d, new long[width]);
    int other = EVENT_TYPES.size() * EVENT_MEASURES.size();
    transactions.forEachIn(p.fromMillis(), p.toMillis(), t -> {
      int type = EVENT_TYPES.indexOf(t.eventType());
      if (type < 0) return;
      long[] c = cells.get(p.granularity().startOfMillis(t.occurredAtMillis()));
      if (c == null) return;
      int at = type * EVENT_MEASURES.size();
      boolean approved = "ALLOW".equals(t.action());
      c[at]++;
      if (approved) c[at + 1]++;
      if ("DENY".equals(t.action())) c[at + 2]++;
      if (t.hasAmount()) {
        long v = r.toBaseMinor(t.amountMinor(), t.currency());
        if (v == ExchangeRates.UNKNOWN) {
          c[other]++;
        } else {
          c[at + 3] += v;
          if (approved) c[at + 4] += v;
        }
      }
    });
    casesInto(p, cells, other + 1);
    securityInto(p, cells, other + 6);
    List<String> columns = new ArrayList<>(List.of("period"));
    for (String type : EVENT_TYPES) for (String m : EVENT_MEASURES) columns.add(type + "_" + m);
    columns.addAll(OTHER_COLUMNS);
    List<List<String>> rows = new ArrayList<>();
    for (Map.Entry<LocalDate, long[]> e : cells.entrySet()) {
      List<String> row = new ArrayList<>(List.of(p.granularity().label(e.getKey())));
      long[] c = e.getValue();
      for (int i = 0; i < c.length; i++) {
        boolean money = i < other && (i % EVENT_MEASURES.size()) >= 3;
        row.add(money ? Money.major(c[i], base).toPlainString() : Long.toString(c[i]));
      }
      rows.add(row);
    }
    return new ReportTable("Risk and business report " + p.from() + " to " + p.to() + " by " + p.granularity().wire() + " (volumes in " + base
        + ")", columns, rows);
  }

  private void casesInto(Period p, TreeMap<LocalDate, long[]> cells, int at) {
    Sql.list(dataSource, "SELECT opened_at_millis, origin FROM cases WHERE opened_at_millis >= ? AND opened_at_millis < ? LIMIT ?", ps -> {
      ps.setLong(1, p.fromMillis());
      ps.setLong(2, p.toMillis());
      ps.setInt(3, SIDE_ROWS_MAX);
    }, rs -> {
      long[] c = cells.get(p.granularity().startOfMillis(rs.getLong(1)));
      if (c != null) {
        c[at]++;
        if ("alert".equals(rs.getString(2))) c[at + 1]++;
      }
      return null;
    }, "reading cases for a report failed");
    Sql.list(dataSource, "SELECT closed_at_millis, verdict FROM cases WHERE closed_at_millis >= ? AND closed_at_millis < ?"
        + " AND verdict IS NOT NULL LIMIT ?", ps -> {
          ps.setLong(1, p.fromMillis());
          ps.setLong(2, p.toMillis());
          ps.setInt(3, SIDE_ROWS_MAX);
        }, rs -> {
          long[] c = cells.get(p.granularity().startOfMillis(rs.getLong(1)));
          int v = List.of("confirmed_fraud", "legitimate", "inconclusive").indexOf(rs.getString(2));
          if (c != null && v >= 0) c[at + 2 + v]++;
          return null;
        }, "reading case verdicts for a report failed");
  }

  /** Failed sign-ins ({@code login_failed}), lockouts ({@code account_locked}) and successful step-ups, from the audit trail. */
  private void securityInto(Period p, TreeMap<LocalDate, long[]> cells, int at) {
    Sql.list(dataSource, "SELECT at_millis, error_code, route, status FROM audit_trail WHERE at_millis >= ? AND at_millis < ?"
        + " AND (error_code IN ('login_failed', 'account_locked') OR route = '/v1/auth/step-up') LIMIT ?", ps -> {
          ps.setLong(1, p.fromMillis());
          ps.setLong(2, p.toMillis());
          ps.setInt(3, SIDE_ROWS_MAX);
        }, rs -> {
          long[] c = cells.get(p.granularity().startOfMillis(rs.getLong(1)));
          if (c == null) return null;
          String code = rs.getString(2);
          if ("login_failed".equals(code)) c[at]++;
          else if ("account_locked".equals(code)) c[at + 1]++;
          else if (rs.getInt(4) == 200) c[at + 2]++;
          return null;
        }, "reading security events for a report failed");
  }

  /**
   * The monthly cross-border dashboard: per month, money-moving decisions and how many were
   * cross-border ({@link ReportTransaction#crossBorder()}), approved volume and blocked count of each.
   */
  public ReportTable crossBorder(LocalDate fromMonth, LocalDate toMonth) {
    Period p = new Period(fromMonth.withDayOfMonth(1), toMonth.withDayOfMonth(1).plusMonths(1), Granularity.MONTH);
    ExchangeRates r = rates.get();
    TreeMap<LocalDate, long[]> cells = new TreeMap<>();
    for (LocalDate d : p.buckets()) cells.put(d, new long[6]);
    transactions.forEachIn(p.fromMillis(), p.toMillis(), t -> {
      if (!t.hasAmount()) return;
      long[] c = cells.get(Granularity.MONTH.startOfMillis(t.occurredAtMillis()));
      if (c == null) return;
      long v = r.toBaseMinor(t.amountMinor(), t.currency());
      boolean approved = "ALLOW".equals(t.action());
      boolean blocked = "DENY".equals(t.action());
      for (int at : t.crossBorder() ? new int[] {0, 3} : new int[] {0}) {
        c[at]++;
        if (approved && v != ExchangeRates.UNKNOWN) c[at + 1] += v;
        if (blocked) c[at + 2]++;
      }
    });
    List<List<String>> rows = new ArrayList<>();
    for (Map.Entry<LocalDate, long[]> e : cells.entrySet()) {
      long[] c = e.getValue();
      rows.add(List.of(Granularity.MONTH.label(e.getKey()), Long.toString(c[0]), Money.major(c[1], r.baseCurrency()).toPlainString(),
          Long.toString(c[2]), Long.toString(c[3]), Money.major(c[4], r.baseCurrency()).toPlainString(), Long.toString(c[5])));
    }
    return new ReportTable("Cross-border dashboard (volumes in " + r.baseCurrency() + ")", List.of("month", "transactions",
        "approved_volume", "blocked", "cross_border_transactions", "cross_border_approved_volume", "cross_border_blocked"), rows);
  }
}
