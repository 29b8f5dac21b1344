package io.vigil.server.change;

import io.vigil.server.api.Json;
import io.vigil.server.storage.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Change requests and their append-only history. A status change and its event are one transaction. */
public final class ChangeRequestRepository {
  private static final String COLUMNS = "id, kind, author, reason, proposed, difference, base_version, status, created_at_millis,"
      + " expires_at_millis, decided_by, decided_at_millis, go_live_at_millis, release_id, live_version, emergency, review_required,"
      + " reviewed_by, reviewed_at_millis, rollback_to_version";
  private final DataSource dataSource;

  public ChangeRequestRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Stores a new request with its first event. */
  public void insert(ChangeRequest r, ChangeRequest.Event first) {
    Sql.transaction(dataSource, c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO change_requests (" + COLUMNS + ") VALUES ("
          + Sql.placeholders(20) + ")")) {
        bind(ps, r);
        ps.executeUpdate();
      }
      event(c, r.id(), first);
      return null;
    }, "storing a change request failed");
  }

  /**
   * Replaces the stored request by {@code next} if its status is still {@code expectedStatus}, and
   * appends the event, in one transaction; false (nothing written) when another change came first.
   */
  public boolean update(ChangeRequest next, String expectedStatus, ChangeRequest.Event event) {
    return Sql.transaction(dataSource, c -> {
      int changed;
      try (PreparedStatement ps = c.prepareStatement("UPDATE change_requests SET proposed = ?, difference = ?, base_version = ?,"
          + " status = ?, decided_by = ?, decided_at_millis = ?, go_live_at_millis = ?, release_id = ?, live_version = ?,"
          + " review_required = ?, reviewed_by = ?, reviewed_at_millis = ? WHERE id = ? AND status = ?")) {
        ps.setString(1, Json.write(next.proposed()));
        ps.setString(2, Json.write(next.difference()));
        ps.setLong(3, next.baseVersion());
        ps.setString(4, next.status());
        ps.setString(5, next.decidedBy());
        setLong(ps, 6, next.decidedAtMillis());
        setLong(ps, 7, next.goLiveAtMillis());
        ps.setString(8, next.releaseId());
        setLong(ps, 9, next.liveVersion());
        ps.setBoolean(10, next.reviewRequired());
        ps.setString(11, next.reviewedBy());
        setLong(ps, 12, next.reviewedAtMillis());
        ps.setString(13, next.id());
        ps.setString(14, expectedStatus);
        changed = ps.executeUpdate();
      }
      if (changed == 0) return false;
      event(c, next.id(), event);
      return true;
    }, "changing a change request failed");
  }

  /** Appends an event without changing the request (e.g. an approver saw a conflict). */
  public void note(String id, ChangeRequest.Event event) {
    Sql.transaction(dataSource, c -> {
      event(c, id, event);
      return null;
    }, "storing a change request event failed");
  }

  public Optional<ChangeRequest> find(String id) {
    return Sql.one(dataSource, "SELECT " + COLUMNS + " FROM change_requests WHERE id = ?", ps -> ps.setString(1, id),
        ChangeRequestRepository::read, "reading a change request failed");
  }

  /**
   * Requests newest first, pending ones before the others; filtered by status, kind and
   * review_required when given; at most rows.
   */
  public List<ChangeRequest> list(String status, String kind, Boolean reviewRequired, int rows) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM change_requests WHERE 1 = 1");
    if (status != null) sql.append(" AND status = ?");
    if (kind != null) sql.append(" AND kind = ?");
    if (reviewRequired != null) sql.append(" AND review_required = ?");
    sql.append(" ORDER BY CASE WHEN status = 'pending' THEN 0 ELSE 1 END, created_at_millis DESC, id DESC LIMIT ?");
    return Sql.list(dataSource, sql.toString(), ps -> {
      int i = 1;
      if (status != null) ps.setString(i++, status);
      if (kind != null) ps.setString(i++, kind);
      if (reviewRequired != null) ps.setBoolean(i++, reviewRequired);
      ps.setInt(i, rows);
    }, ChangeRequestRepository::read, "reading change requests failed");
  }

  /** Approved requests whose go-live time has come, oldest first; at most rows. */
  public List<ChangeRequest> due(long nowMillis, int rows) {
    return Sql.list(dataSource, "SELECT " + COLUMNS + " FROM change_requests WHERE status = 'approved' AND go_live_at_millis IS NOT NULL"
        + " AND go_live_at_millis <= ? ORDER BY go_live_at_millis, id LIMIT ?", ps -> {
          ps.setLong(1, nowMillis);
          ps.setInt(2, rows);
        }, ChangeRequestRepository::read, "reading due change requests failed");
  }

  public List<ChangeRequest.Event> events(String id) {
    return Sql.list(dataSource, "SELECT seq, at_millis, actor, action, note FROM change_request_events WHERE change_id = ? ORDER BY seq",
        ps -> ps.setString(1, id), rs -> new ChangeRequest.Event(rs.getInt(1), rs.getLong(2), rs.getString(3), rs.getString(4),
            rs.getString(5)), "reading a change request's history failed");
  }

  private static void event(Connection c, String id, ChangeRequest.Event e) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO change_request_events (change_id, seq, at_millis, actor, action, note)"
        + " SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ? FROM change_request_events WHERE change_id = ?")) {
      ps.setString(1, id);
      ps.setLong(2, e.atMillis());
      ps.setString(3, e.actor());
      ps.setString(4, e.action());
      ps.setString(5, e.note());
      ps.setString(6, id);
      ps.executeUpdate();
    }
  }

  private static void bind(PreparedStatement ps, ChangeRequest r) throws SQLException {
    ps.setString(1, r.id());
    ps.setString(2, r.kind());
    ps.setString(3, r.author());
    ps.setString(4, r.reason());
    ps.setString(5, Json.write(r.proposed()));
    ps.setString(6, Json.write(r.difference()));
    ps.setLong(7, r.baseVersion());
    ps.setString(8, r.status());
    ps.setLong(9, r.createdAtMillis());
    ps.setLong(10, r.expiresAtMillis());
    ps.setString(11, r.decidedBy());
    setLong(ps, 12, r.decidedAtMillis());
    setLong(ps, 13, r.goLiveAtMillis());
    ps.setString(14, r.releaseId());
    setLong(ps, 15, r.liveVersion());
    ps.setBoolean(16, r.emergency());
    ps.setBoolean(17, r.reviewRequired());
    ps.setString(18, r.reviewedBy());
    setLong(ps, 19, r.reviewedAtMillis());
    setLong(ps, 20, r.rollbackToVersion());
  }

  private static void setLong(PreparedStatement ps, int i, Long value) throws SQLException {
    if (value == null) ps.setNull(i, Types.BIGINT);
    else ps.setLong(i, value);
  }

  private static Long getLong(ResultSet rs, int i) throws SQLException {
    long v = rs.getLong(i);
    return rs.wasNull() ? null : v;
  }

  private static ChangeRequest read(ResultSet rs) throws SQLException {
    return new ChangeRequest(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), Json.readMap(rs.getString(5)),
        Json.readMap(rs.getString(6)), rs.getLong(7), rs.getString(8), rs.getLong(9), rs.getLong(10), rs.getString(11),
        getLong(rs, 12), getLong(rs, 13), rs.getString(14), getLong(rs, 15), rs.getBoolean(16), rs.getBoolean(17), rs.getString(18),
        getLong(rs, 19), getLong(rs, 20));
  }
}
