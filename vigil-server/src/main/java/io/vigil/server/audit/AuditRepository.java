package io.vigil.server.audit;

import io.vigil.server.journal.StorageException;
import io.vigil.server.storage.DurableCommit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The audit_trail table in plain JDBC; the same SQL runs on H2 and PostgreSQL.
 *
 * <p><b>One writer at a time.</b> An append locks the single row of {@code audit_head} with
 * {@code SELECT ... FOR UPDATE} in its transaction, numbers and chains its rows after the head it
 * read, inserts them and moves the head, then commits. A second appender, in this process or another
 * one on the same database, waits at that lock until the first commits, so the chain is strictly
 * ordered on both stores (H2's MVStore and PostgreSQL both take a row lock here); the primary key on
 * {@code seq} refuses a duplicate even so. In the server only {@link AuditRecorder}'s thread appends.
 */
public final class AuditRepository {
  private static final String COLUMNS = "seq, at_millis, actor_kind, actor_id, claimed_id, source_ip, user_agent, method, route,"
      + " entity_type, entity_id, path_params, action, before_json, after_json, status, error_code, prev_hash, hash";
  private static final String INSERT = "INSERT INTO audit_trail (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
  private static final int STREAM_FETCH_ROWS = 500;

  private final DataSource dataSource;
  private final DurableCommit durable;

  public AuditRepository(DataSource dataSource, DurableCommit durable) {
    this.dataSource = dataSource;
    this.durable = durable;
  }

  /** The last row's sequence and hash; (0, genesis) for an empty trail. */
  public record Head(long seq, String hash) {}

  /** Appends the entries, in order, after the current head, in one transaction synced to disk; the rows as stored. */
  public List<AuditRow> append(List<AuditEntry> entries, AddressSeal seal) {
    return append(entries, seal, true);
  }

  /**
   * As {@link #append(List, AddressSeal)}; {@code sync} false leaves the embedded store's commit in
   * the page cache until the next sync (the decision committer's, within milliseconds under load):
   * a killed process loses nothing, a power loss may lose those rows. The recorder syncs batches that
   * hold an action, not batches of refusals only, so a flood of refused requests adds no disk syncs
   * beside the decisions'.
   */
  public List<AuditRow> append(List<AuditEntry> entries, AddressSeal seal, boolean sync) {
    if (entries.isEmpty()) return List.of();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        Head head = lockHead(c);
        List<AuditRow> rows = new ArrayList<>(entries.size());
        long seq = head.seq();
        String prev = head.hash();
        for (AuditEntry e : entries) {
          seq++;
          AuditEntry stored = e.withSourceIp(e.sourceIp() == null ? null : seal.seal(e.sourceIp(), seq));
          String hash = AuditHash.of(seq, stored, prev);
          rows.add(new AuditRow(seq, stored, prev, hash));
          prev = hash;
        }
        insert(c, rows);
        try (PreparedStatement ps = c.prepareStatement("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1")) {
          ps.setLong(1, seq);
          ps.setString(2, prev);
          if (ps.executeUpdate() != 1) throw new SQLException("audit_head has no row");
        }
        c.commit();
        if (sync) durable.afterCommit(c);
        return rows;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StorageException("appending to the audit trail failed", e);
    }
  }

  private static Head lockHead(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) throw new SQLException("audit_head has no row");
      return new Head(rs.getLong(1), rs.getString(2));
    }
  }

  private static void insert(Connection c, List<AuditRow> rows) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (AuditRow row : rows) {
        AuditEntry e = row.entry();
        int i = 1;
        ps.setLong(i++, row.seq());
        ps.setLong(i++, e.atMillis());
        ps.setString(i++, e.actorKind());
        ps.setString(i++, e.actorId());
        ps.setString(i++, e.claimedId());
        ps.setString(i++, e.sourceIp());
        ps.setString(i++, e.userAgent());
        ps.setString(i++, e.method());
        ps.setString(i++, e.route());
        ps.setString(i++, e.entityType());
        ps.setString(i++, e.entityId());
        ps.setString(i++, e.pathParams());
        ps.setString(i++, e.action());
        ps.setString(i++, e.beforeJson());
        ps.setString(i++, e.afterJson());
        ps.setInt(i++, e.status());
        if (e.errorCode() == null) ps.setNull(i++, Types.VARCHAR);
        else ps.setString(i++, e.errorCode());
        ps.setString(i++, row.prevHash());
        ps.setString(i++, row.hash());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** The head as the newest row says (not audit_head, which is only a lock). */
  public Head head() {
    String sql = "SELECT seq, hash FROM audit_trail WHERE seq = (SELECT MAX(seq) FROM audit_trail)";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      return rs.next() ? new Head(rs.getLong(1), rs.getString(2)) : new Head(0, AuditHash.GENESIS);
    } catch (SQLException e) {
      throw new StorageException("reading the audit head failed", e);
    }
  }

  /** The head the writers last moved (audit_head): a check that no rows were cut off the end. */
  public Head writersHead() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT seq, hash FROM audit_head WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? new Head(rs.getLong(1), rs.getString(2)) : null;
    } catch (SQLException e) {
      throw new StorageException("reading the audit head failed", e);
    }
  }

  /** What a query of the trail selects; null means "any". Times are [from, to). */
  public record Filter(String actor, String actorKind, String entityType, String entityId, String action, Outcome outcome,
      Long fromMillis, Long toMillis) {
    public static final Filter ALL = new Filter(null, null, null, null, null, null, null, null);
  }

  /** The outcome filter: success (status below 400), failure (400 or more), denied (401, 403 or 429). */
  public enum Outcome {
    SUCCESS("status < 400"), FAILURE("status >= 400"), DENIED("status IN (401, 403, 429)");

    private final String sql;

    Outcome(String sql) {
      this.sql = sql;
    }

    /** The outcome with this wire name, or null. */
    public static Outcome of(String wire) {
      for (Outcome o : values()) {
        if (o.name().equalsIgnoreCase(wire)) return o;
      }
      return null;
    }
  }

  /** Newest first, below {@code beforeSeq} when not null; at most limit rows. */
  public List<AuditRow> query(Filter f, Long beforeSeq, int limit) {
    return page(f, beforeSeq, null, limit);
  }

  /** Oldest first, above {@code afterSeq} (0 for the start); at most limit rows: exports page through with it. */
  public List<AuditRow> queryAscending(Filter f, long afterSeq, int limit) {
    return page(f, null, afterSeq, limit);
  }

  private List<AuditRow> page(Filter f, Long beforeSeq, Long afterSeq, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_trail WHERE 1=1");
    List<Object> args = new ArrayList<>();
    if (f.actor() != null) { sql.append(" AND (actor_id = ? OR claimed_id = ?)"); args.add(f.actor()); args.add(f.actor()); }
    if (f.actorKind() != null) { sql.append(" AND actor_kind = ?"); args.add(f.actorKind()); }
    if (f.entityType() != null) { sql.append(" AND entity_type = ?"); args.add(f.entityType()); }
    if (f.entityId() != null) { sql.append(" AND entity_id = ?"); args.add(f.entityId()); }
    if (f.action() != null) { sql.append(" AND action = ?"); args.add(f.action()); }
    if (f.outcome() != null) sql.append(" AND ").append(f.outcome().sql);
    if (f.fromMillis() != null) { sql.append(" AND at_millis >= ?"); args.add(f.fromMillis()); }
    if (f.toMillis() != null) { sql.append(" AND at_millis < ?"); args.add(f.toMillis()); }
    if (beforeSeq != null) { sql.append(" AND seq < ?"); args.add(beforeSeq); }
    if (afterSeq != null) { sql.append(" AND seq > ?"); args.add(afterSeq); }
    sql.append(afterSeq != null ? " ORDER BY seq" : " ORDER BY seq DESC").append(" LIMIT ?");
    args.add(limit);
    List<AuditRow> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        Object a = args.get(i);
        if (a instanceof Long l) ps.setLong(i + 1, l);
        else if (a instanceof Integer n) ps.setInt(i + 1, n);
        else ps.setString(i + 1, (String) a);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) rows.add(read(rs));
      }
      return rows;
    } catch (SQLException e) {
      throw new StorageException("querying the audit trail failed", e);
    }
  }

  /** Every row in sequence order, streamed: verification. */
  public void forEachInOrder(Consumer<AuditRow> sink) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false); // PostgreSQL streams with a cursor only inside a transaction
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_trail ORDER BY seq")) {
        ps.setFetchSize(STREAM_FETCH_ROWS);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) sink.accept(read(rs));
        }
      } finally {
        c.rollback();
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StorageException("reading the audit trail failed", e);
    }
  }

  public long count() {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM audit_trail");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new StorageException("counting audit rows failed", e);
    }
  }

  private static AuditRow read(ResultSet rs) throws SQLException {
    AuditEntry e = new AuditEntry(rs.getLong("at_millis"), rs.getString("actor_kind"), rs.getString("actor_id"),
        rs.getString("claimed_id"), rs.getString("source_ip"), rs.getString("user_agent"), rs.getString("method"),
        rs.getString("route"), rs.getString("entity_type"), rs.getString("entity_id"), rs.getString("path_params"),
        rs.getString("action"), rs.getString("before_json"), rs.getString("after_json"), rs.getInt("status"),
        rs.getString("error_code"));
    return new AuditRow(rs.getLong("seq"), e, rs.getString("prev_hash"), rs.getString("hash"));
  }
}
