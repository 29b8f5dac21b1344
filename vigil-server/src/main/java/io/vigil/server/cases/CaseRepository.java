package io.vigil.server.cases;

import io.vigil.server.api.Json;
import io.vigil.server.storage.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The cases, their decisions, entities and timeline. Methods taking a {@link Connection} run inside
 * the caller's transaction ({@link Sql#transaction}); a change to a case first updates its row with
 * the version it read, which also serializes the timeline's sequence numbers per case.
 */
public final class CaseRepository {
  private final DataSource dataSource;

  public CaseRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  static final String COLUMNS = "case_id, account_id, queue_id, status, priority, origin, assignee_id, opened_at_millis,"
      + " intercepted_at_millis, due_at_millis, sla_warned_at_millis, sla_breached_at_millis, closed_at_millis, verdict,"
      + " reason_code, closed_by, version, updated_at_millis";

  static CaseRecord record(ResultSet rs) throws SQLException {
    return new CaseRecord(rs.getString(1), rs.getString(2), rs.getString(3), CaseStatus.ofWire(rs.getString(4)), rs.getInt(5),
        CaseOrigin.ofWire(rs.getString(6)), rs.getString(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), nullableLong(rs, 11),
        nullableLong(rs, 12), nullableLong(rs, 13), CaseVerdict.ofWire(rs.getString(14)), rs.getString(15), rs.getString(16),
        rs.getLong(17), rs.getLong(18));
  }

  private static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  public void insert(Connection c, CaseRecord r) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO cases (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
      bindAll(ps, r);
      ps.executeUpdate();
    }
  }

  private static void bindAll(PreparedStatement ps, CaseRecord r) throws SQLException {
    ps.setString(1, r.caseId());
    ps.setString(2, r.accountId());
    ps.setString(3, r.queueId());
    ps.setString(4, r.status().wire());
    ps.setInt(5, r.priority());
    ps.setString(6, r.origin().wire());
    ps.setString(7, r.assigneeId());
    ps.setLong(8, r.openedAtMillis());
    ps.setLong(9, r.interceptedAtMillis());
    ps.setLong(10, r.dueAtMillis());
    setLong(ps, 11, r.slaWarnedAtMillis());
    setLong(ps, 12, r.slaBreachedAtMillis());
    setLong(ps, 13, r.closedAtMillis());
    ps.setString(14, r.verdict() == null ? null : r.verdict().wire());
    ps.setString(15, r.reasonCode());
    ps.setString(16, r.closedBy());
    ps.setLong(17, r.version());
    ps.setLong(18, r.updatedAtMillis());
  }

  private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) ps.setNull(i, Types.BIGINT);
    else ps.setLong(i, v);
  }

  /**
   * Writes {@code r} over the row whose version is {@code r.version() - 1}; false when the case changed
   * since it was read (another reviewer's change won).
   */
  public boolean update(Connection c, CaseRecord r) throws SQLException {
    String sql = "UPDATE cases SET account_id=?, queue_id=?, status=?, priority=?, origin=?, assignee_id=?, opened_at_millis=?,"
        + " intercepted_at_millis=?, due_at_millis=?, sla_warned_at_millis=?, sla_breached_at_millis=?, closed_at_millis=?,"
        + " verdict=?, reason_code=?, closed_by=?, version=?, updated_at_millis=? WHERE case_id=? AND version=?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, r.accountId());
      ps.setString(2, r.queueId());
      ps.setString(3, r.status().wire());
      ps.setInt(4, r.priority());
      ps.setString(5, r.origin().wire());
      ps.setString(6, r.assigneeId());
      ps.setLong(7, r.openedAtMillis());
      ps.setLong(8, r.interceptedAtMillis());
      ps.setLong(9, r.dueAtMillis());
      setLong(ps, 10, r.slaWarnedAtMillis());
      setLong(ps, 11, r.slaBreachedAtMillis());
      setLong(ps, 12, r.closedAtMillis());
      ps.setString(13, r.verdict() == null ? null : r.verdict().wire());
      ps.setString(14, r.reasonCode());
      ps.setString(15, r.closedBy());
      ps.setLong(16, r.version());
      ps.setLong(17, r.updatedAtMillis());
      ps.setString(18, r.caseId());
      ps.setLong(19, r.version() - 1);
      return ps.executeUpdate() == 1;
    }
  }

  public Optional<CaseRecord> find(String caseId) {
    return Sql.one(dataSource, "SELECT " + COLUMNS + " FROM cases WHERE case_id = ?", ps -> ps.setString(1, caseId),
        CaseRepository::record, "reading a case failed");
  }

  public Optional<CaseRecord> find(Connection c, String caseId) throws SQLException {
    return one(c, "SELECT " + COLUMNS + " FROM cases WHERE case_id = ?", caseId);
  }

  /** The newest case of this account that is not closed. */
  public Optional<CaseRecord> openOfAccount(Connection c, String accountId) throws SQLException {
    return one(c, "SELECT " + COLUMNS + " FROM cases WHERE account_id = ? AND status <> 'closed'"
        + " ORDER BY opened_at_millis DESC, case_id DESC LIMIT 1", accountId);
  }

  private static Optional<CaseRecord> one(Connection c, String sql, String arg) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(record(rs)) : Optional.empty();
      }
    }
  }

  /** The case a decision joined for this origin, if it did. */
  public Optional<String> caseOfDecision(Connection c, String decisionId, CaseOrigin origin) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT case_id FROM case_decisions WHERE decision_id = ? AND origin = ?")) {
      ps.setString(1, decisionId);
      ps.setString(2, origin.wire());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /**
   * A case's verdicts ({@code case_verdicts}), latest first: by time, then by the case version in the
   * id (the ids share the case's prefix, so the longer id is the later version: {@code -v10} after {@code -v9}).
   */
  public static final String LATEST_VERDICT_FIRST = "decided_at_millis DESC, LENGTH(verdict_id) DESC, verdict_id DESC";
  /** The duplicate_of of the latest verdict of the case read as {@code c} (a correlated subquery, in SQL both stores run). */
  private static final String LATEST_DUPLICATE_OF = "(SELECT x.duplicate_of FROM case_verdicts x WHERE x.case_id = c.case_id"
      + " ORDER BY " + LATEST_VERDICT_FIRST + " LIMIT 1)";
  /** The standing of cases read as {@code c}: the latest verdict's duplicate_of only while closed. */
  private static final String STANDING_COLUMNS = "c.case_id, c.status, c.verdict, c.reason_code, c.closed_at_millis,"
      + " CASE WHEN c.status = 'closed' THEN " + LATEST_DUPLICATE_OF + " END";

  /** Reads {@link #STANDING_COLUMNS} from {@code first} on. */
  private static CaseStanding standing(ResultSet rs, int first) throws SQLException {
    return new CaseStanding(rs.getString(first), CaseStatus.ofWire(rs.getString(first + 1)), CaseVerdict.ofWire(rs.getString(first + 2)),
        rs.getString(first + 3), nullableLong(rs, first + 4), rs.getString(first + 5));
  }

  /**
   * The cases holding each of the decisions, oldest link first, in one query (callers bound the ids:
   * a page of decisions); a decision in no case is absent.
   */
  public Map<String, List<DecisionCase>> casesOfDecisions(Collection<String> decisionIds) {
    Map<String, List<DecisionCase>> out = new HashMap<>();
    if (decisionIds.isEmpty()) return out;
    String sql = "SELECT d.decision_id, d.origin, d.added_at_millis, " + STANDING_COLUMNS
        + " FROM case_decisions d JOIN cases c ON c.case_id = d.case_id"
        + " WHERE d.decision_id IN (" + Sql.placeholders(decisionIds.size()) + ") ORDER BY d.added_at_millis, d.case_id, d.origin";
    for (DecisionCase d : Sql.list(dataSource, sql, Sql.strings(decisionIds),
        rs -> new DecisionCase(rs.getString(1), CaseOrigin.ofWire(rs.getString(2)), rs.getLong(3), standing(rs, 4)),
        "reading the cases of decisions failed")) {
      out.computeIfAbsent(d.decisionId(), k -> new ArrayList<>()).add(d);
    }
    return out;
  }

  /** Where each of these cases stands, by case id; a case that does not exist is absent. */
  public Map<String, CaseStanding> standings(Collection<String> caseIds) {
    Map<String, CaseStanding> out = new HashMap<>();
    if (caseIds.isEmpty()) return out;
    String sql = "SELECT " + STANDING_COLUMNS + " FROM cases c WHERE c.case_id IN (" + Sql.placeholders(caseIds.size()) + ")";
    for (CaseStanding s : Sql.list(dataSource, sql, Sql.strings(caseIds), rs -> standing(rs, 1), "reading cases failed")) {
      out.put(s.caseId(), s);
    }
    return out;
  }

  /** The cases now closed as a duplicate of one of these (their latest verdict names it). */
  public List<String> closedAsDuplicatesOf(Collection<String> caseIds) {
    if (caseIds.isEmpty()) return List.of();
    String sql = "SELECT c.case_id FROM cases c WHERE c.status = 'closed' AND c.case_id IN (SELECT case_id FROM case_verdicts"
        + " WHERE duplicate_of IN (" + Sql.placeholders(caseIds.size()) + ")) AND " + LATEST_DUPLICATE_OF + " IN ("
        + Sql.placeholders(caseIds.size()) + ") ORDER BY c.case_id";
    List<String> twice = new ArrayList<>(caseIds);
    twice.addAll(caseIds);
    return Sql.list(dataSource, sql, Sql.strings(twice), rs -> rs.getString(1), "reading the duplicates of cases failed");
  }

  /** The cases a decision joined, for any origin, oldest first. */
  public List<String> casesOfDecision(String decisionId) {
    return Sql.list(dataSource, "SELECT case_id, MIN(added_at_millis) FROM case_decisions WHERE decision_id = ?"
        + " GROUP BY case_id ORDER BY 2, 1", ps -> ps.setString(1, decisionId), rs -> rs.getString(1), "reading a decision's cases failed");
  }

  public void addDecision(Connection c, String caseId, String decisionId, CaseOrigin origin, long atMillis) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO case_decisions (decision_id, origin, case_id, added_at_millis) VALUES (?,?,?,?)")) {
      ps.setString(1, decisionId);
      ps.setString(2, origin.wire());
      ps.setString(3, caseId);
      ps.setLong(4, atMillis);
      ps.executeUpdate();
    }
  }

  public void addEntities(Connection c, String caseId, Map<String, String> entities) throws SQLException {
    for (Map.Entry<String, String> e : entities.entrySet()) {
      try (PreparedStatement find = c.prepareStatement(
          "SELECT 1 FROM case_entities WHERE case_id = ? AND entity_type = ? AND entity_value = ?")) {
        find.setString(1, caseId);
        find.setString(2, e.getKey());
        find.setString(3, e.getValue());
        try (ResultSet rs = find.executeQuery()) {
          if (rs.next()) continue;
        }
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO case_entities (case_id, entity_type, entity_value) VALUES (?,?,?)")) {
        ps.setString(1, caseId);
        ps.setString(2, e.getKey());
        ps.setString(3, e.getValue());
        ps.executeUpdate();
      }
    }
  }

  /** Appends one timeline entry after the case's last; call after the case row was updated in this transaction. */
  public CaseEvent appendEvent(Connection c, String caseId, long atMillis, String actor, String kind, Map<String, Object> detail)
      throws SQLException {
    int seq;
    try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM case_events WHERE case_id = ?")) {
      ps.setString(1, caseId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        seq = rs.getInt(1) + 1;
      }
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO case_events (case_id, seq, at_millis, actor, kind, detail_json) VALUES (?,?,?,?,?,?)")) {
      ps.setString(1, caseId);
      ps.setInt(2, seq);
      ps.setLong(3, atMillis);
      ps.setString(4, actor);
      ps.setString(5, kind);
      ps.setString(6, Json.write(detail));
      ps.executeUpdate();
    }
    return new CaseEvent(caseId, seq, atMillis, actor, kind, detail);
  }

  /** The timeline after {@code afterSeq}, oldest first, at most {@code rows}. */
  public List<CaseEvent> events(String caseId, int afterSeq, int rows) {
    return Sql.list(dataSource, "SELECT case_id, seq, at_millis, actor, kind, detail_json FROM case_events WHERE case_id = ?"
        + " AND seq > ? ORDER BY seq LIMIT ?", ps -> {
          ps.setString(1, caseId);
          ps.setInt(2, afterSeq);
          ps.setInt(3, rows);
        }, rs -> new CaseEvent(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getString(4), rs.getString(5),
            Json.readMap(rs.getString(6))), "reading a case's timeline failed");
  }

  public List<CaseView.LinkedDecision> decisions(String caseId) {
    return Sql.list(dataSource, "SELECT decision_id, origin, added_at_millis FROM case_decisions WHERE case_id = ?"
        + " ORDER BY added_at_millis, decision_id, origin", ps -> ps.setString(1, caseId),
        rs -> new CaseView.LinkedDecision(rs.getString(1), CaseOrigin.ofWire(rs.getString(2)), rs.getLong(3)),
        "reading a case's decisions failed");
  }

  public List<CaseView.Entity> entities(String caseId) {
    return Sql.list(dataSource, "SELECT entity_type, entity_value FROM case_entities WHERE case_id = ? ORDER BY entity_type, entity_value",
        ps -> ps.setString(1, caseId), rs -> new CaseView.Entity(rs.getString(1), rs.getString(2)), "reading a case's entities failed");
  }

  /** Filters of the case list; null means any. */
  public record Filter(CaseStatus status, Boolean closed, String queueId, String assigneeId, Boolean unassigned, String accountId,
      CaseOrigin origin, Integer priority) {
    public static final Filter ANY = new Filter(null, null, null, null, null, null, null, null);
  }

  /** Newest opened first, after the cursor (opened time, case id), at most {@code rows}. */
  public List<CaseRecord> list(Filter f, Long beforeOpenedAtMillis, String beforeCaseId, int rows) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM cases WHERE 1=1");
    List<Object> args = new ArrayList<>();
    if (f.status() != null) add(sql, args, " AND status = ?", f.status().wire());
    if (Boolean.TRUE.equals(f.closed())) sql.append(" AND status = 'closed'");
    if (Boolean.FALSE.equals(f.closed())) sql.append(" AND status <> 'closed'");
    if (f.queueId() != null) add(sql, args, " AND queue_id = ?", f.queueId());
    if (f.assigneeId() != null) add(sql, args, " AND assignee_id = ?", f.assigneeId());
    if (Boolean.TRUE.equals(f.unassigned())) sql.append(" AND assignee_id IS NULL");
    if (f.accountId() != null) {
      add(sql, args, " AND case_id IN (SELECT case_id FROM case_entities WHERE entity_type = 'account' AND entity_value = ?)",
          f.accountId());
    }
    if (f.origin() != null) {
      add(sql, args, " AND case_id IN (SELECT case_id FROM case_decisions WHERE origin = ?)", f.origin().wire());
    }
    if (f.priority() != null) add(sql, args, " AND priority = ?", f.priority());
    if (beforeOpenedAtMillis != null) {
      sql.append(" AND (opened_at_millis < ? OR (opened_at_millis = ? AND case_id < ?))");
      args.add(beforeOpenedAtMillis);
      args.add(beforeOpenedAtMillis);
      args.add(beforeCaseId);
    }
    sql.append(" ORDER BY opened_at_millis DESC, case_id DESC LIMIT ?");
    args.add(rows);
    return Sql.list(dataSource, sql.toString(), ps -> {
      for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
    }, CaseRepository::record, "listing cases failed");
  }

  private static void add(StringBuilder sql, List<Object> args, String clause, Object arg) {
    sql.append(clause);
    args.add(arg);
  }

  /**
   * Unassigned cases waiting in these queues, the most urgent first (priority, then due time), at
   * most {@code rows}: the candidates of take-next.
   */
  public List<CaseRecord> waiting(Collection<String> queueIds, int rows) {
    if (queueIds.isEmpty()) return List.of();
    String sql = "SELECT " + COLUMNS + " FROM cases WHERE queue_id IN (" + Sql.placeholders(queueIds.size()) + ")"
        + " AND assignee_id IS NULL AND status IN ('open', 'reopened', 'escalated')"
        + " ORDER BY priority, due_at_millis, case_id LIMIT ?";
    return Sql.list(dataSource, sql, ps -> {
      int i = 1;
      for (String q : queueIds) ps.setString(i++, q);
      ps.setInt(i, rows);
    }, CaseRepository::record, "reading waiting cases failed");
  }

  /** How many cases each of these operators holds that are not closed. */
  public Map<String, Long> openLoad(Collection<String> operatorIds) {
    Map<String, Long> out = new HashMap<>();
    if (operatorIds.isEmpty()) return out;
    String sql = "SELECT assignee_id, COUNT(*) FROM cases WHERE assignee_id IN (" + Sql.placeholders(operatorIds.size()) + ")"
        + " AND status <> 'closed' GROUP BY assignee_id";
    for (Object[] row : Sql.list(dataSource, sql, Sql.strings(operatorIds), rs -> new Object[] {rs.getString(1), rs.getLong(2)},
        "reading reviewers' load failed")) {
      out.put((String) row[0], (Long) row[1]);
    }
    return out;
  }

  /** Per queue: its cases not closed, and of those the ones past their due time (the dashboard's review panel). */
  public record QueueCounts(long open, long pastDue) {}

  /**
   * Cases not closed, and those past due at {@code nowMillis}, per queue: one grouped query, so the
   * answer has at most one row per queue ({@link CaseQueue#QUEUES_MAX}).
   */
  public Map<String, QueueCounts> openByQueue(long nowMillis) {
    Map<String, QueueCounts> out = new HashMap<>();
    String sql = "SELECT queue_id, COUNT(*), SUM(CASE WHEN due_at_millis < ? THEN 1 ELSE 0 END) FROM cases"
        + " WHERE status <> 'closed' GROUP BY queue_id";
    for (Object[] row : Sql.list(dataSource, sql, ps -> ps.setLong(1, nowMillis),
        rs -> new Object[] {rs.getString(1), rs.getLong(2), rs.getLong(3)}, "counting open cases failed")) {
      out.put((String) row[0], new QueueCounts((Long) row[1], (Long) row[2]));
    }
    return out;
  }

  /** How many decisions each of these cases groups (a page of the case list). */
  public Map<String, Long> decisionCounts(Collection<String> caseIds) {
    Map<String, Long> out = new HashMap<>();
    if (caseIds.isEmpty()) return out;
    String sql = "SELECT case_id, COUNT(*) FROM case_decisions WHERE case_id IN (" + Sql.placeholders(caseIds.size()) + ")"
        + " GROUP BY case_id";
    for (Object[] row : Sql.list(dataSource, sql, Sql.strings(caseIds), rs -> new Object[] {rs.getString(1), rs.getLong(2)},
        "counting cases' decisions failed")) {
      out.put((String) row[0], (Long) row[1]);
    }
    return out;
  }

  /** The statuses of a case not closed, for range scans on (status, due_at_millis). */
  private static final String NOT_CLOSED = "status IN ('open', 'in_progress', 'waiting_for_customer', 'escalated', 'reopened')";

  /**
   * Cases not closed with something for the SLA sweep to record: not yet warned and past their
   * queue's warning time (due time less the queue's warning lead), or not yet breached and past
   * their due time; the most overdue first, at most {@code rows}. Each queue has its own lead, so
   * the filter is exact and a page never fills with cases that have nothing to record. The scan is
   * bounded by the index on (status, due_at_millis) to the open cases due within the longest lead.
   */
  public List<CaseRecord> slaDue(long nowMillis, long warningLeadMillisMax, int rows) {
    String sql = "SELECT " + COLUMNS + " FROM cases WHERE " + NOT_CLOSED + " AND due_at_millis <= ?"
        + " AND ((sla_breached_at_millis IS NULL AND due_at_millis <= ?) OR (sla_warned_at_millis IS NULL AND due_at_millis - "
        + "COALESCE((SELECT q.warning_millis FROM case_queues q WHERE q.queue_id = cases.queue_id), 0) <= ?))"
        + " ORDER BY due_at_millis, case_id LIMIT ?";
    return Sql.list(dataSource, sql, ps -> {
      ps.setLong(1, nowMillis + warningLeadMillisMax);
      ps.setLong(2, nowMillis);
      ps.setLong(3, nowMillis);
      ps.setInt(4, rows);
    }, CaseRepository::record, "reading cases near their deadline failed");
  }

  /**
   * Cases breached at or after {@code sinceMillis}, not closed, with no escalation recorded since the
   * breach: those the SLA sweep marked but did not escalate (a stop between the two). At most {@code rows}.
   */
  public List<CaseRecord> breachedNotEscalated(long sinceMillis, int rows) {
    String sql = "SELECT " + COLUMNS + " FROM cases WHERE sla_breached_at_millis >= ? AND " + NOT_CLOSED
        + " AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = cases.case_id AND e.kind = 'escalated'"
        + " AND e.at_millis >= cases.sla_breached_at_millis) ORDER BY sla_breached_at_millis, case_id LIMIT ?";
    return Sql.list(dataSource, sql, ps -> {
      ps.setLong(1, sinceMillis);
      ps.setInt(2, rows);
    }, CaseRepository::record, "reading breached cases failed");
  }

  /** How far the named reader has read the journal; 0 before its first row. */
  public long cursor(String name) {
    return Sql.one(dataSource, "SELECT sequence FROM case_cursor WHERE name = ?", ps -> ps.setString(1, name), rs -> rs.getLong(1),
        "reading the case cursor failed").orElse(0L);
  }

  public void advanceCursor(Connection c, String name, long sequence) throws SQLException {
    try (PreparedStatement up = c.prepareStatement("UPDATE case_cursor SET sequence = ? WHERE name = ? AND sequence < ?")) {
      up.setLong(1, sequence);
      up.setString(2, name);
      up.setLong(3, sequence);
      if (up.executeUpdate() == 1) return;
    }
    try (PreparedStatement find = c.prepareStatement("SELECT 1 FROM case_cursor WHERE name = ?")) {
      find.setString(1, name);
      try (ResultSet rs = find.executeQuery()) {
        if (rs.next()) return;
      }
    }
    try (PreparedStatement ins = c.prepareStatement("INSERT INTO case_cursor (name, sequence) VALUES (?,?)")) {
      ins.setString(1, name);
      ins.setLong(2, sequence);
      ins.executeUpdate();
    }
  }
}
