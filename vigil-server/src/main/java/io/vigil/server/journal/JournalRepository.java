package io.vigil.server.journal;

import io.vigil.engine.journal.HashChain;
import io.vigil.engine.journal.JournalRecord;
import io.vigil.server.storage.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;

/** The decisions table, in plain JDBC. The same SQL runs on H2 and PostgreSQL. */
public final class JournalRepository {
  private static final String COLUMNS = "sequence, decision_id, event_id, event_type, account_id, merchant_id,"
      + " occurred_at_millis, recorded_at_millis, action, score, risk_level, amount_minor, currency, policy_version,"
      + " request_hash, event_json, response_json, previous_hash, hash";
  private static final String INSERT = "INSERT INTO decisions (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
  private static final int STREAM_FETCH_ROWS = 1_000;

  private final DataSource dataSource;

  public JournalRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The last row's sequence and hash; (0, genesis) for an empty journal. */
  public record Head(long sequence, String hash) {}

  public Head head() {
    try (Connection c = dataSource.getConnection()) {
      return head(c);
    } catch (SQLException e) {
      throw new StorageException("reading the journal head failed", e);
    }
  }

  /** The journal head, read on the given connection. */
  public static Head head(Connection c) throws SQLException {
    String sql = "SELECT sequence, hash FROM decisions WHERE sequence = (SELECT MAX(sequence) FROM decisions)";
    try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      return rs.next() ? new Head(rs.getLong(1), rs.getString(2)) : new Head(0, HashChain.GENESIS);
    }
  }

  /** Writes rows in one transaction on the given connection (which must not auto-commit). */
  public static void insertBatch(Connection c, List<JournalRow> rows) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (JournalRow row : rows) {
        JournalRecord r = row.record();
        int i = 1;
        ps.setLong(i++, r.sequence());
        ps.setString(i++, r.decisionId());
        ps.setString(i++, r.eventId());
        ps.setString(i++, row.eventType());
        ps.setString(i++, row.accountId());
        ps.setString(i++, row.merchantId());
        ps.setLong(i++, row.occurredAtMillis());
        ps.setLong(i++, r.recordedAtMillis());
        ps.setString(i++, row.action());
        ps.setInt(i++, row.score());
        ps.setString(i++, row.riskLevel());
        if (row.amountMinor() == null) ps.setNull(i++, Types.BIGINT);
        else ps.setLong(i++, row.amountMinor());
        ps.setString(i++, row.currency());
        ps.setLong(i++, r.policyVersion());
        ps.setString(i++, r.requestHash());
        ps.setString(i++, r.eventJson());
        ps.setString(i++, r.responseJson());
        ps.setString(i++, r.previousHash());
        ps.setString(i++, r.hash());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  public Optional<JournalRow> findByDecisionId(String decisionId) {
    return findOne("decision_id", decisionId);
  }

  public Optional<JournalRow> findBySequence(long sequence) {
    return findOne("sequence", sequence);
  }

  /** A committed decision's place and kind, without its event and response: what a reader following the journal scans. */
  public record Committed(long sequence, String decisionId, String eventType, String action) {}

  /** The rows after {@code afterSequence}, in sequence order, at most {@code limit}: a light scan of the journal. */
  public List<Committed> committedAfter(long afterSequence, int limit) {
    String sql = "SELECT sequence, decision_id, event_type, action FROM decisions WHERE sequence > ? ORDER BY sequence LIMIT ?";
    return Sql.list(dataSource, sql, ps -> {
      ps.setLong(1, afterSequence);
      ps.setInt(2, limit);
    }, rs -> new Committed(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)), "reading the journal failed");
  }

  /** The decision stored for an event id (unique in the journal), if any. */
  public Optional<JournalRow> findByEventId(String eventId) {
    return findOne("event_id", eventId);
  }

  /** The sequences stored for those of {@code eventIds} the journal holds (at most 1,000 ids a call). */
  public Map<String, Long> sequencesOfEventIds(Collection<String> eventIds) {
    if (eventIds.isEmpty()) return Map.of();
    if (eventIds.size() > 1_000) throw new IllegalArgumentException("at most 1,000 event ids a call");
    String sql = "SELECT event_id, sequence FROM decisions WHERE event_id IN ("
        + String.join(",", Collections.nCopies(eventIds.size(), "?")) + ")";
    Map<String, Long> found = new HashMap<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      for (String id : eventIds) ps.setString(i++, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) found.put(rs.getString(1), rs.getLong(2));
      }
      return found;
    } catch (SQLException e) {
      throw new StorageException("reading decisions by event id failed", e);
    }
  }

  private Optional<JournalRow> findOne(String column, Object value) {
    String sql = "SELECT " + COLUMNS + " FROM decisions WHERE " + column + " = ?";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      if (value instanceof Long l) ps.setLong(1, l);
      else ps.setString(1, (String) value);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StorageException("reading a decision failed", e);
    }
  }

  /**
   * Filters of the decisions query; null means "any". Times are occurred_at, [from, to); scores and
   * amounts are inclusive ranges; {@code ruleId} is a rule id among the decision's reasons.
   */
  public record Filter(String accountId, String eventType, String action, Long fromMillis, Long toMillis,
      String merchantId, String riskLevel, String ruleId, Integer scoreMin, Integer scoreMax,
      Long amountMinorMin, Long amountMinorMax, String currency) {}

  /** Newest first; {@code beforeSequence} is the keyset cursor (exclusive), null for the first page. */
  public List<JournalRow> query(Filter f, Long beforeSequence, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM decisions WHERE 1=1");
    List<Object> args = new ArrayList<>();
    where(f, beforeSequence, sql, args);
    sql.append(" ORDER BY sequence DESC LIMIT ?");
    args.add(limit);
    return select(sql.toString(), args);
  }

  private List<JournalRow> select(String sql, List<Object> args) {
    List<JournalRow> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) rows.add(read(rs));
      }
      return rows;
    } catch (SQLException e) {
      throw new StorageException("querying decisions failed", e);
    }
  }

  /**
   * Oldest first from just after {@code afterSequence} (exclusive): read backwards, the page before
   * a keyset page (the console's "previous" link). The same filters and indexes as {@link #query}.
   */
  public List<JournalRow> queryAfter(Filter f, long afterSequence, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM decisions WHERE 1=1");
    List<Object> args = new ArrayList<>();
    where(f, null, sql, args);
    sql.append(" AND sequence > ? ORDER BY sequence ASC LIMIT ?");
    args.add(afterSequence);
    args.add(limit);
    return select(sql.toString(), args);
  }

  /** Every row in sequence order: recovery and verification. */
  public void forEachInOrder(Consumer<JournalRow> sink) {
    streamQuery("SELECT " + COLUMNS + " FROM decisions ORDER BY sequence", sink);
  }

  /** The rows after {@code sequence}, in sequence order: recovery from a checkpoint taken at that sequence. */
  public void forEachAfter(long sequence, Consumer<JournalRow> sink) {
    streamQuery("SELECT " + COLUMNS + " FROM decisions WHERE sequence > " + sequence + " ORDER BY sequence", sink);
  }

  private void streamQuery(String sql, Consumer<JournalRow> sink) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false); // PostgreSQL streams with a cursor only inside a transaction
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setFetchSize(STREAM_FETCH_ROWS);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) sink.accept(read(rs));
        }
      } finally {
        c.rollback();
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new StorageException("reading the journal failed", e);
    }
  }

  /** Decisions of one minute with one action and score bin (score / 10), and their first and last sequence. */
  public record MinuteCount(long minute, String action, int scoreBin, long count, long sequenceMin, long sequenceMax) {}

  /**
   * The decisions recorded in [fromMillis, toMillis) up to {@code sequenceMax}, counted per minute of
   * recorded_at, action and score bin: the dashboard's backfill, one hour at a time, from the index
   * on (recorded_at_millis, action, score, sequence) alone (migration V31).
   */
  public List<MinuteCount> minuteCounts(long fromMillis, long toMillis, long sequenceMax) {
    if (toMillis - fromMillis > 3_600_000L) throw new IllegalArgumentException("at most an hour a call");
    String sql = "SELECT recorded_at_millis / 60000, action, score / 10, COUNT(*), MIN(sequence), MAX(sequence) FROM decisions"
        + " WHERE recorded_at_millis >= ? AND recorded_at_millis < ? AND sequence <= ? GROUP BY recorded_at_millis / 60000, action, score / 10";
    return Sql.list(dataSource, sql, ps -> {
      ps.setLong(1, fromMillis);
      ps.setLong(2, toMillis);
      ps.setLong(3, sequenceMax);
    }, rs -> new MinuteCount(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)),
        "reading the journal's counts per minute failed");
  }

  /** How many decisions of the sequences [first, last] each rule id gave a reason to (index on (sequence, rule_id), V31). */
  public Map<String, Long> ruleCounts(long sequenceFirst, long sequenceLast) {
    String sql = "SELECT rule_id, COUNT(*) FROM decision_rules WHERE sequence >= ? AND sequence <= ? GROUP BY rule_id";
    Map<String, Long> out = new HashMap<>();
    for (Object[] r : Sql.list(dataSource, sql, ps -> {
      ps.setLong(1, sequenceFirst);
      ps.setLong(2, sequenceLast);
    }, rs -> new Object[] {rs.getString(1), rs.getLong(2)}, "reading the rules' counts failed")) {
      out.put((String) r[0], (Long) r[1]);
    }
    return out;
  }

  /** Decision ids looked up per call of {@link #interceptedAmong}. */
  public static final int DECISION_IDS_PER_CALL_MAX = 500;

  /**
   * Those of {@code decisionIds} (at most {@link #DECISION_IDS_PER_CALL_MAX}) recorded in
   * [fromMillis, toMillis) whose action is not ALLOW; by the decision id index.
   */
  public List<String> interceptedAmong(Collection<String> decisionIds, long fromMillis, long toMillis) {
    if (decisionIds.isEmpty()) return List.of();
    if (decisionIds.size() > DECISION_IDS_PER_CALL_MAX) {
      throw new IllegalArgumentException("at most " + DECISION_IDS_PER_CALL_MAX + " decision ids a call");
    }
    String sql = "SELECT decision_id FROM decisions WHERE decision_id IN (" + Sql.placeholders(decisionIds.size()) + ")"
        + " AND recorded_at_millis >= ? AND recorded_at_millis < ? AND action <> 'ALLOW'";
    return Sql.list(dataSource, sql, ps -> {
      Sql.strings(decisionIds).bind(ps);
      ps.setLong(decisionIds.size() + 1, fromMillis);
      ps.setLong(decisionIds.size() + 2, toMillis);
    }, rs -> rs.getString(1), "reading intercepted decisions by id failed");
  }

  public long count() {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM decisions");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new StorageException("counting decisions failed", e);
    }
  }

  private static void where(Filter f, Long beforeSequence, StringBuilder sql, List<Object> args) {
    if (f.accountId() != null) { sql.append(" AND account_id = ?"); args.add(f.accountId()); }
    if (f.eventType() != null) { sql.append(" AND event_type = ?"); args.add(f.eventType()); }
    if (f.action() != null) { sql.append(" AND action = ?"); args.add(f.action()); }
    if (f.fromMillis() != null) { sql.append(" AND occurred_at_millis >= ?"); args.add(f.fromMillis()); }
    if (f.toMillis() != null) { sql.append(" AND occurred_at_millis < ?"); args.add(f.toMillis()); }
    if (f.merchantId() != null) { sql.append(" AND merchant_id = ?"); args.add(f.merchantId()); }
    if (f.riskLevel() != null) { sql.append(" AND risk_level = ?"); args.add(f.riskLevel()); }
    if (f.scoreMin() != null) { sql.append(" AND score >= ?"); args.add(f.scoreMin()); }
    if (f.scoreMax() != null) { sql.append(" AND score <= ?"); args.add(f.scoreMax()); }
    if (f.amountMinorMin() != null) { sql.append(" AND amount_minor >= ?"); args.add(f.amountMinorMin()); }
    if (f.amountMinorMax() != null) { sql.append(" AND amount_minor <= ?"); args.add(f.amountMinorMax()); }
    if (f.currency() != null) { sql.append(" AND currency = ?"); args.add(f.currency()); }
    if (f.ruleId() != null) {
      sql.append(" AND sequence IN (SELECT sequence FROM decision_rules WHERE rule_id = ?)");
      args.add(f.ruleId());
    }
    if (beforeSequence != null) { sql.append(" AND sequence < ?"); args.add(beforeSequence); }
  }

  private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      Object a = args.get(i);
      if (a instanceof Long l) ps.setLong(i + 1, l);
      else if (a instanceof Integer n) ps.setInt(i + 1, n);
      else ps.setString(i + 1, (String) a);
    }
  }

  private static JournalRow read(ResultSet rs) throws SQLException {
    long amount = rs.getLong("amount_minor");
    Long amountMinor = rs.wasNull() ? null : amount;
    JournalRecord record = new JournalRecord(rs.getLong("sequence"), rs.getString("decision_id"), rs.getString("event_id"),
        rs.getLong("recorded_at_millis"), rs.getLong("policy_version"), rs.getString("request_hash"),
        rs.getString("event_json"), rs.getString("response_json"), rs.getString("previous_hash"), rs.getString("hash"));
    return new JournalRow(record, rs.getString("event_type"), rs.getString("account_id"), rs.getString("merchant_id"),
        rs.getLong("occurred_at_millis"), rs.getString("action"), rs.getInt("score"), rs.getString("risk_level"),
        amountMinor, rs.getString("currency"));
  }
}
