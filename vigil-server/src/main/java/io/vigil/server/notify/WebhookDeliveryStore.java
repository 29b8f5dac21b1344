package io.vigil.server.notify;

import io.vigil.server.journal.StorageException;
import io.vigil.server.storage.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code webhook_deliveries} table: one row per event and endpoint, kept through every attempt.
 * The row is the delivery, so pending deliveries survive a restart.
 */
final class WebhookDeliveryStore {
  /** Rows one listing answers at most. */
  static final int PAGE_MAX = 200;
  private static final String COLUMNS = "delivery_id, endpoint_id, event_type, payload, status, attempts, next_attempt_at_millis,"
      + " last_status_code, last_error, created_at_millis, delivered_at_millis";

  enum Status { PENDING, DELIVERED, FAILED }

  /** One delivery; times in epoch millis. */
  record Row(String deliveryId, String endpointId, String eventType, String payload, Status status, int attempts,
      long nextAttemptAtMillis, Integer lastStatusCode, String lastError, long createdAtMillis, Long deliveredAtMillis) {}

  private final DataSource dataSource;

  WebhookDeliveryStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Inserts every row in one transaction: all or none. */
  void insertAll(List<Row> rows) {
    if (rows.isEmpty()) return;
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_deliveries (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
        for (Row r : rows) {
          bind(ps, r);
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StorageException("recording webhook deliveries failed", e);
    }
  }

  private static void bind(PreparedStatement ps, Row r) throws SQLException {
    ps.setString(1, r.deliveryId());
    ps.setString(2, r.endpointId());
    ps.setString(3, r.eventType());
    ps.setString(4, r.payload());
    ps.setString(5, code(r.status()));
    ps.setInt(6, r.attempts());
    ps.setLong(7, r.nextAttemptAtMillis());
    if (r.lastStatusCode() == null) ps.setNull(8, Types.INTEGER);
    else ps.setInt(8, r.lastStatusCode());
    ps.setString(9, r.lastError());
    ps.setLong(10, r.createdAtMillis());
    if (r.deliveredAtMillis() == null) ps.setNull(11, Types.BIGINT);
    else ps.setLong(11, r.deliveredAtMillis());
  }

  /** Pending deliveries per endpoint, for the endpoints given. */
  Map<String, Long> pendingCounts() {
    Map<String, Long> out = new HashMap<>();
    Sql.list(dataSource, "SELECT endpoint_id, COUNT(*) FROM webhook_deliveries WHERE status = 'pending' GROUP BY endpoint_id",
        Sql.Binder.NONE, rs -> out.put(rs.getString(1), rs.getLong(2)), "counting pending webhook deliveries failed");
    return out;
  }

  /** Pending deliveries due by nowMillis, of enabled endpoints, oldest due first; at most rows. */
  List<Row> due(long nowMillis, int rows) {
    return Sql.list(dataSource, "SELECT " + prefixed() + " FROM webhook_deliveries d JOIN webhook_endpoints e"
        + " ON e.endpoint_id = d.endpoint_id WHERE d.status = 'pending' AND d.next_attempt_at_millis <= ? AND e.enabled = TRUE"
        + " ORDER BY d.next_attempt_at_millis, d.delivery_id LIMIT ?", ps -> {
          ps.setLong(1, nowMillis);
          ps.setInt(2, rows);
        }, WebhookDeliveryStore::row, "reading due webhook deliveries failed");
  }

  /**
   * Takes a due delivery for one attempt by moving its next attempt to leaseUntilMillis, so that a
   * round running alongside (the poll and a wake-up, or a test's round) does not send it too; false
   * when another round took it.
   */
  boolean claim(Row r, long leaseUntilMillis) {
    return Sql.update(dataSource, "UPDATE webhook_deliveries SET next_attempt_at_millis = ? WHERE delivery_id = ?"
        + " AND status = 'pending' AND next_attempt_at_millis = ?", ps -> {
          ps.setLong(1, leaseUntilMillis);
          ps.setString(2, r.deliveryId());
          ps.setLong(3, r.nextAttemptAtMillis());
        }, "claiming a webhook delivery failed") == 1;
  }

  /** Records an attempt's result. */
  void attempted(String deliveryId, Status status, int attempts, long nextAttemptAtMillis, Integer statusCode, String error,
      Long deliveredAtMillis) {
    Sql.update(dataSource, "UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at_millis = ?, last_status_code = ?,"
        + " last_error = ?, delivered_at_millis = ? WHERE delivery_id = ?", ps -> {
          ps.setString(1, code(status));
          ps.setInt(2, attempts);
          ps.setLong(3, nextAttemptAtMillis);
          if (statusCode == null) ps.setNull(4, Types.INTEGER);
          else ps.setInt(4, statusCode);
          ps.setString(5, error);
          if (deliveredAtMillis == null) ps.setNull(6, Types.BIGINT);
          else ps.setLong(6, deliveredAtMillis);
          ps.setString(7, deliveryId);
        }, "recording a webhook attempt failed");
  }

  /** Makes a failed or pending delivery pending and due at nowMillis, with a fresh series of attempts; false when it is not so. */
  boolean retry(String deliveryId, long nowMillis) {
    return Sql.update(dataSource, "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at_millis = ?"
        + " WHERE delivery_id = ? AND status IN ('pending', 'failed')", ps -> {
          ps.setLong(1, nowMillis);
          ps.setString(2, deliveryId);
        }, "retrying a webhook delivery failed") == 1;
  }

  /** Ends the pending deliveries of an endpoint as failed (it was deleted); how many. */
  int failPending(String endpointId, String reason) {
    return Sql.update(dataSource, "UPDATE webhook_deliveries SET status = 'failed', last_error = ? WHERE endpoint_id = ?"
        + " AND status = 'pending'", ps -> {
          ps.setString(1, reason);
          ps.setString(2, endpointId);
        }, "ending an endpoint's pending deliveries failed");
  }

  /** Deletes delivered and failed deliveries created before the time; how many. */
  int purge(long beforeMillis) {
    return Sql.update(dataSource, "DELETE FROM webhook_deliveries WHERE created_at_millis < ? AND status IN ('delivered', 'failed')",
        ps -> ps.setLong(1, beforeMillis), "deleting old webhook deliveries failed");
  }

  Optional<Row> find(String deliveryId) {
    return Sql.one(dataSource, "SELECT " + COLUMNS + " FROM webhook_deliveries WHERE delivery_id = ?", ps -> ps.setString(1, deliveryId),
        WebhookDeliveryStore::row, "reading a webhook delivery failed");
  }

  /** The newest deliveries first, of one endpoint and/or one status when given; at most rows. */
  List<Row> newest(String endpointId, Status status, int rows) {
    List<String> where = new ArrayList<>();
    if (endpointId != null) where.add("endpoint_id = ?");
    if (status != null) where.add("status = ?");
    String sql = "SELECT " + COLUMNS + " FROM webhook_deliveries" + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
        + " ORDER BY created_at_millis DESC, delivery_id LIMIT ?";
    return Sql.list(dataSource, sql, ps -> {
      int i = 1;
      if (endpointId != null) ps.setString(i++, endpointId);
      if (status != null) ps.setString(i++, code(status));
      ps.setInt(i, Math.min(rows, PAGE_MAX));
    }, WebhookDeliveryStore::row, "reading webhook deliveries failed");
  }

  static String code(Status s) {
    return s.name().toLowerCase(Locale.ROOT);
  }

  static Status statusOf(String code) {
    for (Status s : Status.values()) {
      if (code(s).equals(code)) return s;
    }
    return null;
  }

  private static String prefixed() {
    return "d." + COLUMNS.replace(", ", ", d.");
  }

  private static Row row(ResultSet rs) throws SQLException {
    int code = rs.getInt(8);
    Integer statusCode = rs.wasNull() ? null : code;
    long delivered = rs.getLong(11);
    Long deliveredAt = rs.wasNull() ? null : delivered;
    return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), statusOf(rs.getString(5)), rs.getInt(6),
        rs.getLong(7), statusCode, rs.getString(9), rs.getLong(10), deliveredAt);
  }
}
