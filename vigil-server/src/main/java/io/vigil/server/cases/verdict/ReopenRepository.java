package io.vigil.server.cases.verdict;

import io.vigil.server.storage.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Requests to reopen closed cases ({@code case_reopen_requests}); approving one is a conditional update, so one approval wins. */
public final class ReopenRepository {
  private final DataSource dataSource;

  public ReopenRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A request; {@code status} as stored: {@code pending} or {@code approved} (expiry is read against the clock). */
  public record Request(String requestId, String caseId, String reason, String requestedBy, long requestedAtMillis,
      long expiresAtMillis, String appealId, String status, String approvedBy, Long approvedAtMillis) {
    public static final String PENDING = "pending";
    public static final String APPROVED = "approved";
    public static final String EXPIRED = "expired";

    /** pending, approved, or expired (pending past its expiry). */
    public String statusAt(long nowMillis) {
      return PENDING.equals(status) && nowMillis >= expiresAtMillis ? EXPIRED : status;
    }
  }

  private static final String COLUMNS = "request_id, case_id, reason, requested_by, requested_at_millis, expires_at_millis, appeal_id,"
      + " status, approved_by, approved_at_millis";

  public void insert(Connection c, Request r) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO case_reopen_requests (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?)")) {
      ps.setString(1, r.requestId());
      ps.setString(2, r.caseId());
      ps.setString(3, r.reason());
      ps.setString(4, r.requestedBy());
      ps.setLong(5, r.requestedAtMillis());
      ps.setLong(6, r.expiresAtMillis());
      ps.setString(7, r.appealId());
      ps.setString(8, r.status());
      ps.setNull(9, Types.VARCHAR);
      ps.setNull(10, Types.BIGINT);
      ps.executeUpdate();
    }
  }

  public Optional<Request> find(String requestId) {
    return Sql.one(dataSource, "SELECT " + COLUMNS + " FROM case_reopen_requests WHERE request_id = ?", ps -> ps.setString(1, requestId),
        ReopenRepository::request, "reading a reopen request failed");
  }

  /** The case's requests, newest first, at most {@code rows}. */
  public List<Request> ofCase(String caseId, int rows) {
    return Sql.list(dataSource, "SELECT " + COLUMNS + " FROM case_reopen_requests WHERE case_id = ?"
        + " ORDER BY requested_at_millis DESC, request_id DESC LIMIT ?", ps -> {
          ps.setString(1, caseId);
          ps.setInt(2, rows);
        }, ReopenRepository::request, "reading a case's reopen requests failed");
  }

  /** The case's pending request that has not expired at {@code nowMillis}, if any. */
  public Optional<Request> pending(String caseId, long nowMillis) {
    return Sql.one(dataSource, "SELECT " + COLUMNS + " FROM case_reopen_requests WHERE case_id = ? AND status = 'pending'"
        + " AND expires_at_millis > ? ORDER BY requested_at_millis DESC LIMIT 1", ps -> {
          ps.setString(1, caseId);
          ps.setLong(2, nowMillis);
        }, ReopenRepository::request, "reading a case's reopen requests failed");
  }

  /** Approves the request if it is still pending and not expired; false when another approval won or it expired. */
  public boolean approve(Connection c, String requestId, String approvedBy, long nowMillis) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE case_reopen_requests SET status = 'approved', approved_by = ?,"
        + " approved_at_millis = ? WHERE request_id = ? AND status = 'pending' AND expires_at_millis > ?")) {
      ps.setString(1, approvedBy);
      ps.setLong(2, nowMillis);
      ps.setString(3, requestId);
      ps.setLong(4, nowMillis);
      return ps.executeUpdate() == 1;
    }
  }

  private static Request request(ResultSet rs) throws SQLException {
    long approvedAt = rs.getLong(10);
    Long approved = rs.wasNull() ? null : approvedAt;
    return new Request(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getLong(6),
        rs.getString(7), rs.getString(8), rs.getString(9), approved);
  }
}
