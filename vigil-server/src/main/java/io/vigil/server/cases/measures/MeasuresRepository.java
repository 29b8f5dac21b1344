package io.vigil.server.cases.measures;

import io.vigil.server.storage.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The queries behind the measures, portable between H2 and PostgreSQL. Each reads one range of
 * decisions by the time they were made ({@code decisions_recorded_action_score}, which on
 * PostgreSQL also picks the journal's monthly partitions) or of cases by the time they were opened
 * ({@code cases_opened}), and aggregates in the database; what comes back is bounded by the row
 * limits below, never by the size of the range.
 */
public final class MeasuresRepository {
  /** Rules the per-rule rates list at most (the most intercepting first). */
  static final int RULES_MAX = 200;
  /** Queues and reviewers listed at most. */
  static final int GROUPS_MAX = 1_000;
  /** Closed cases whose handling times are read for the medians; beyond it the medians are of the first ones closed. */
  static final int HANDLING_ROWS_MAX = 100_000;

  private static final String INTERCEPTED = "d.action IN ('DENY', 'CHALLENGE', 'REVIEW', 'HOLD')";
  private static final String SAMPLED =
      "EXISTS (SELECT 1 FROM case_decisions s WHERE s.decision_id = d.decision_id AND s.origin = 'sample')";
  private static final String NOT_CLOSED = "status IN ('open', 'in_progress', 'waiting_for_customer', 'escalated', 'reopened')";

  private final DataSource dataSource;

  MeasuresRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * The decisions made in [from, to) that match {@code where}, one row each with two flags: judged
   * (a conclusive case verdict or a fraud/legitimate label) and found (the case verdict
   * {@code caseVerdict} or the label verdict {@code labelVerdict}). Binds two parameters.
   */
  private static String flagged(String where, String caseVerdict, String labelVerdict) {
    return "(SELECT d.sequence, d.decision_id,"
        + " CASE WHEN " + labelled("'fraud', 'legitimate'") + " OR " + closedAs("'confirmed_fraud', 'legitimate'")
        + " THEN 1 ELSE 0 END AS judged,"
        + " CASE WHEN " + labelled("'" + labelVerdict + "'") + " OR " + closedAs("'" + caseVerdict + "'") + " THEN 1 ELSE 0 END AS found"
        + " FROM decisions d WHERE d.recorded_at_millis >= ? AND d.recorded_at_millis < ? AND " + where + ") f";
  }

  private static String labelled(String verdicts) {
    return "EXISTS (SELECT 1 FROM feedback_labels l WHERE l.decision_id = d.decision_id AND l.verdict IN (" + verdicts + "))";
  }

  private static String closedAs(String verdicts) {
    return "EXISTS (SELECT 1 FROM case_decisions cd JOIN cases c ON c.case_id = cd.case_id WHERE cd.decision_id = d.decision_id"
        + " AND c.verdict IN (" + verdicts + "))";
  }

  private static final String INTERCEPTIONS = flagged(INTERCEPTED, "legitimate", "legitimate");

  Measures.Rate interceptions(long fromMillis, long toMillis, String key) {
    return Sql.one(dataSource, "SELECT COUNT(*), SUM(f.judged), SUM(f.found) FROM " + INTERCEPTIONS, range(fromMillis, toMillis),
        rs -> new Measures.Rate(key, rs.getLong(1), rs.getLong(2), rs.getLong(3)), "reading interceptions failed").orElseThrow();
  }

  List<Measures.Rate> interceptionsByRule(long fromMillis, long toMillis) {
    String sql = "SELECT r.rule_id, COUNT(*), SUM(f.judged), SUM(f.found) FROM " + INTERCEPTIONS
        + " JOIN decision_rules r ON r.sequence = f.sequence GROUP BY r.rule_id ORDER BY COUNT(*) DESC, r.rule_id LIMIT " + RULES_MAX;
    return Sql.list(dataSource, sql, range(fromMillis, toMillis), rs -> new Measures.Rate(rs.getString(1), rs.getLong(2), rs.getLong(3),
        rs.getLong(4)), "reading interceptions by rule failed");
  }

  /** By the queue of the case each decision is in (a decision in two cases of one queue counts once). */
  List<Measures.Rate> interceptionsByQueue(long fromMillis, long toMillis) {
    String sql = "SELECT x.queue_id, COUNT(*), SUM(x.judged), SUM(x.found) FROM (SELECT DISTINCT f.decision_id, q.queue_id, f.judged,"
        + " f.found FROM " + INTERCEPTIONS + " JOIN case_decisions qd ON qd.decision_id = f.decision_id JOIN cases q ON q.case_id ="
        + " qd.case_id) x GROUP BY x.queue_id ORDER BY x.queue_id LIMIT " + GROUPS_MAX;
    return Sql.list(dataSource, sql, range(fromMillis, toMillis), rs -> new Measures.Rate(rs.getString(1), rs.getLong(2), rs.getLong(3),
        rs.getLong(4)), "reading interceptions by queue failed");
  }

  /** Intercepted decisions by action. */
  Map<String, Long> interceptedByAction(long fromMillis, long toMillis) {
    Map<String, Long> out = new TreeMap<>();
    for (Object[] row : Sql.list(dataSource, "SELECT d.action, COUNT(*) FROM decisions d WHERE d.recorded_at_millis >= ?"
        + " AND d.recorded_at_millis < ? AND " + INTERCEPTED + " GROUP BY d.action", range(fromMillis, toMillis),
        rs -> new Object[] {rs.getString(1), rs.getLong(2)}, "reading interceptions by action failed")) {
      out.put((String) row[0], (Long) row[1]);
    }
    return out;
  }

  long decisions(long fromMillis, long toMillis) {
    return Sql.number(dataSource, "SELECT COUNT(*) FROM decisions d WHERE d.recorded_at_millis >= ? AND d.recorded_at_millis < ?",
        range(fromMillis, toMillis), "counting decisions failed");
  }

  /** Decisions of the range that opened or joined a case. */
  long reviewed(long fromMillis, long toMillis) {
    return Sql.number(dataSource, "SELECT COUNT(*) FROM decisions d WHERE d.recorded_at_millis >= ? AND d.recorded_at_millis < ?"
        + " AND EXISTS (SELECT 1 FROM case_decisions cd WHERE cd.decision_id = d.decision_id)", range(fromMillis, toMillis),
        "counting reviewed decisions failed");
  }

  Measures.Sampling sampling(long fromMillis, long toMillis) {
    return Sql.one(dataSource, "SELECT COUNT(*), SUM(f.judged), SUM(f.found) FROM " + flagged(SAMPLED, "confirmed_fraud", "fraud"),
        range(fromMillis, toMillis), rs -> new Measures.Sampling(rs.getLong(1), rs.getLong(2), rs.getLong(3)),
        "reading sampled decisions failed").orElseThrow();
  }

  /** Closed cases opened in the range, by queue, and how many were closed by their due time. */
  List<Measures.Attainment> attainmentByQueue(long fromMillis, long toMillis) {
    String sql = "SELECT queue_id, COUNT(*), SUM(CASE WHEN closed_at_millis <= due_at_millis THEN 1 ELSE 0 END) FROM cases"
        + " WHERE opened_at_millis >= ? AND opened_at_millis < ? AND status = 'closed' GROUP BY queue_id ORDER BY queue_id LIMIT "
        + GROUPS_MAX;
    return Sql.list(dataSource, sql, range(fromMillis, toMillis), rs -> new Measures.Attainment(rs.getString(1), rs.getLong(2),
        rs.getLong(3)), "reading deadlines kept failed");
  }

  Map<String, Long> verdicts(long fromMillis, long toMillis) {
    Map<String, Long> out = new TreeMap<>();
    for (Object[] row : Sql.list(dataSource, "SELECT verdict, COUNT(*) FROM cases WHERE opened_at_millis >= ? AND opened_at_millis < ?"
        + " AND status = 'closed' GROUP BY verdict", range(fromMillis, toMillis), rs -> new Object[] {rs.getString(1), rs.getLong(2)},
        "reading verdicts failed")) {
      out.put((String) row[0], (Long) row[1]);
    }
    return out;
  }

  long breached(long fromMillis, long toMillis) {
    return Sql.number(dataSource, "SELECT COUNT(*) FROM cases WHERE opened_at_millis >= ? AND opened_at_millis < ?"
        + " AND sla_breached_at_millis IS NOT NULL", range(fromMillis, toMillis), "counting breaches failed");
  }

  long openPastDue(long nowMillis) {
    return Sql.number(dataSource, "SELECT COUNT(*) FROM cases WHERE " + NOT_CLOSED + " AND due_at_millis < ?",
        ps -> ps.setLong(1, nowMillis), "counting overdue cases failed");
  }

  /** Closed cases of the range per reviewer who closed them. */
  Map<String, Long> closedBy(long fromMillis, long toMillis) {
    return counts("SELECT closed_by, COUNT(*) FROM cases WHERE opened_at_millis >= ? AND opened_at_millis < ? AND status = 'closed'"
        + " AND closed_by IS NOT NULL GROUP BY closed_by ORDER BY closed_by LIMIT " + GROUPS_MAX, range(fromMillis, toMillis));
  }

  /** Cases not closed per assignee, now. */
  Map<String, Long> openByAssignee() {
    return counts("SELECT assignee_id, COUNT(*) FROM cases WHERE assignee_id IS NOT NULL AND " + NOT_CLOSED
        + " GROUP BY assignee_id ORDER BY assignee_id LIMIT " + GROUPS_MAX, Sql.Binder.NONE);
  }

  private Map<String, Long> counts(String sql, Sql.Binder binder) {
    Map<String, Long> out = new TreeMap<>();
    for (Object[] row : Sql.list(dataSource, sql, binder, rs -> new Object[] {rs.getString(1), rs.getLong(2)}, "reading counts failed")) {
      out.put((String) row[0], (Long) row[1]);
    }
    return out;
  }

  /** A closed case's closer and its handling time: close less the last assignment before it. */
  record Handling(String reviewerId, long millis) {}

  /** The handling times of closed cases of the range that had an assignment, the first closed first, at most {@link #HANDLING_ROWS_MAX}. */
  List<Handling> handling(long fromMillis, long toMillis) {
    String sql = "SELECT x.closed_by, x.closed_at_millis - x.assigned_at FROM (SELECT c.closed_by, c.closed_at_millis,"
        + " (SELECT MAX(e.at_millis) FROM case_events e WHERE e.case_id = c.case_id AND e.kind = 'assigned'"
        + " AND e.at_millis <= c.closed_at_millis) AS assigned_at FROM cases c WHERE c.opened_at_millis >= ? AND c.opened_at_millis < ?"
        + " AND c.status = 'closed' AND c.closed_by IS NOT NULL) x WHERE x.assigned_at IS NOT NULL"
        + " ORDER BY x.closed_at_millis LIMIT " + HANDLING_ROWS_MAX;
    return new ArrayList<>(Sql.list(dataSource, sql, range(fromMillis, toMillis), rs -> new Handling(rs.getString(1), rs.getLong(2)),
        "reading handling times failed"));
  }

  /** Cases opened in the range and not closed, the most urgent first, at most {@code rows}. */
  List<DailyReview.OpenCase> stillOpen(long fromMillis, long toMillis, int rows) {
    String sql = "SELECT case_id, queue_id, status, priority, assignee_id, due_at_millis FROM cases WHERE opened_at_millis >= ?"
        + " AND opened_at_millis < ? AND status <> 'closed' ORDER BY priority, due_at_millis, case_id LIMIT ?";
    return Sql.list(dataSource, sql, ps -> {
      ps.setLong(1, fromMillis);
      ps.setLong(2, toMillis);
      ps.setInt(3, rows);
    }, rs -> new DailyReview.OpenCase(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5), rs.getLong(6)),
        "reading open cases failed");
  }

  long stillOpenCount(long fromMillis, long toMillis) {
    return Sql.number(dataSource, "SELECT COUNT(*) FROM cases WHERE opened_at_millis >= ? AND opened_at_millis < ? AND status <> 'closed'",
        range(fromMillis, toMillis), "counting open cases failed");
  }

  private static Sql.Binder range(long fromMillis, long toMillis) {
    return ps -> {
      ps.setLong(1, fromMillis);
      ps.setLong(2, toMillis);
    };
  }

  // ---- the daily review's record of days sent

  /**
   * Claims the day for sending: the row's key makes it once, across restarts and nodes. False when
   * it was claimed before (sent already, or being sent by another node).
   */
  boolean claimDay(String date, long nowMillis) {
    try {
      Sql.update(dataSource, "INSERT INTO case_daily_reviews (review_date, sent_at_millis) VALUES (?, ?)", ps -> {
        ps.setString(1, date);
        ps.setLong(2, nowMillis);
      }, "claiming the daily review failed", DayTaken::new);
      return true;
    } catch (DayTaken taken) {
      return false;
    }
  }

  /** The day's row exists already. */
  private static final class DayTaken extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DayTaken() {
      super("claimed", null, false, false);
    }
  }

  /** Gives a claimed day back (its sending failed), so that the next check sends it. */
  void releaseDay(String date) {
    Sql.update(dataSource, "DELETE FROM case_daily_reviews WHERE review_date = ?", ps -> ps.setString(1, date),
        "releasing the daily review failed");
  }
}
