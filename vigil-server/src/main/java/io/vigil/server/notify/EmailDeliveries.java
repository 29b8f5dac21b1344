package io.vigil.server.notify;

import io.vigil.server.storage.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code email_deliveries} table: one row per e-mail, with its kind, subject and how many
 * recipients, never the addresses or the body (those stay in memory while the e-mail is retried).
 */
final class EmailDeliveries {
  /** Rows read at most by one listing. */
  static final int ROWS_MAX = 1000;
  private static final String COLUMNS = "delivery_id, kind, recipients, subject, status, attempts, last_error, created_at_millis,"
      + " sent_at_millis";

  enum Status { PENDING, SENT, FAILED, SKIPPED }

  /** One row; times in epoch millis, {@code sentAtMillis} null until sent. */
  record Row(String deliveryId, String kind, int recipients, String subject, Status status, int attempts, String lastError,
      long createdAtMillis, Long sentAtMillis) {}

  private final DataSource dataSource;

  EmailDeliveries(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  void insert(Row r) {
    Sql.update(dataSource, "INSERT INTO email_deliveries (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?)", ps -> {
      ps.setString(1, r.deliveryId());
      ps.setString(2, r.kind());
      ps.setInt(3, r.recipients());
      ps.setString(4, r.subject());
      ps.setString(5, code(r.status()));
      ps.setInt(6, r.attempts());
      ps.setString(7, r.lastError());
      ps.setLong(8, r.createdAtMillis());
      if (r.sentAtMillis() == null) ps.setNull(9, Types.BIGINT);
      else ps.setLong(9, r.sentAtMillis());
    }, "recording an e-mail failed");
  }

  /** Records an attempt's result: the status, the attempts made so far, the error (null when sent) and when it was sent. */
  void attempted(String deliveryId, Status status, int attempts, String lastError, Long sentAtMillis) {
    Sql.update(dataSource, "UPDATE email_deliveries SET status = ?, attempts = ?, last_error = ?, sent_at_millis = ?"
        + " WHERE delivery_id = ?", ps -> {
          ps.setString(1, code(status));
          ps.setInt(2, attempts);
          ps.setString(3, lastError);
          if (sentAtMillis == null) ps.setNull(4, Types.BIGINT);
          else ps.setLong(4, sentAtMillis);
          ps.setString(5, deliveryId);
        }, "recording an e-mail attempt failed");
  }

  /** Marks e-mails left pending by an earlier run as failed (their content was in that run's memory); how many. */
  int failLeftovers(String reason) {
    return Sql.update(dataSource, "UPDATE email_deliveries SET status = 'failed', last_error = ? WHERE status = 'pending'",
        ps -> ps.setString(1, reason), "closing e-mails left pending failed");
  }

  Optional<Row> find(String deliveryId) {
    return Sql.one(dataSource, "SELECT " + COLUMNS + " FROM email_deliveries WHERE delivery_id = ?", ps -> ps.setString(1, deliveryId),
        EmailDeliveries::row, "reading an e-mail delivery failed");
  }

  /** The newest rows first; at most rows (capped at {@link #ROWS_MAX}). */
  List<Row> newest(int rows) {
    return Sql.list(dataSource, "SELECT " + COLUMNS + " FROM email_deliveries ORDER BY created_at_millis DESC, delivery_id LIMIT ?",
        ps -> ps.setInt(1, Math.min(rows, ROWS_MAX)), EmailDeliveries::row, "reading e-mail deliveries failed");
  }

  static String code(Status s) {
    return s.name().toLowerCase(Locale.ROOT);
  }

  private static Row row(ResultSet rs) throws SQLException {
    long sent = rs.getLong(9);
    Long sentAt = rs.wasNull() ? null : sent;
    return new Row(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
        Status.valueOf(rs.getString(5).toUpperCase(Locale.ROOT)), rs.getInt(6), rs.getString(7), rs.getLong(8), sentAt);
  }
}
