package io.vigil.server.policy.release;

import io.vigil.server.storage.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The releases and their steps; a change of a release and its step are one transaction. */
public final class ReleaseRepository {
  /** Releases one listing returns at most. */
  public static final int LIST_ROWS_MAX = 100;
  private static final String COLUMNS = "release_id, change_request_id, mode, status, percent, base_version, candidate_version,"
      + " candidate_document, start_sequence, end_sequence, started_by, started_at_millis, ended_by, ended_at_millis, end_reason";

  private final DataSource dataSource;

  public ReleaseRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A step of a release as the history lists it. */
  public record Step(long atMillis, String actor, String step, int percent, String note) {}

  public void insert(ReleaseRecord r, String note) {
    Sql.transaction(dataSource, c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO policy_releases (" + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        bind(ps, r);
        ps.executeUpdate();
      }
      step(c, r.releaseId(), r.startedAtMillis(), r.startedBy(), "start", r.percent(), note);
      return null;
    }, "storing a release failed");
  }

  /**
   * Stores a change of a running release with its step; false (nothing stored) when the stored
   * release is no longer running.
   */
  public boolean update(ReleaseRecord r, long atMillis, String actor, String step, String note) {
    return Sql.transaction(dataSource, c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE policy_releases SET status = ?, percent = ?, end_sequence = ?,"
          + " ended_by = ?, ended_at_millis = ?, end_reason = ? WHERE release_id = ? AND status = 'RUNNING'")) {
        ps.setString(1, r.status().name());
        ps.setInt(2, r.percent());
        ps.setLong(3, r.endSequence());
        ps.setString(4, r.endedBy());
        if (r.endedAtMillis() == null) ps.setNull(5, Types.BIGINT);
        else ps.setLong(5, r.endedAtMillis());
        ps.setString(6, r.endReason());
        ps.setString(7, r.releaseId());
        if (ps.executeUpdate() != 1) return false;
      }
      step(c, r.releaseId(), atMillis, actor, step, r.percent(), note);
      return true;
    }, "storing a release failed");
  }

  public Optional<ReleaseRecord> find(String releaseId) {
    return Sql.one(dataSource, "SELECT " + COLUMNS + " FROM policy_releases WHERE release_id = ?",
        ps -> ps.setString(1, releaseId), ReleaseRepository::read, "reading a release failed");
  }

  public Optional<ReleaseRecord> running() {
    return Sql.one(dataSource, "SELECT " + COLUMNS + " FROM policy_releases WHERE status = 'RUNNING'",
        ps -> {}, ReleaseRepository::read, "reading the running release failed");
  }

  /** The newest releases first, at most {@code rows} ({@value #LIST_ROWS_MAX}). */
  public List<ReleaseRecord> list(int rows) {
    return Sql.list(dataSource, "SELECT " + COLUMNS + " FROM policy_releases ORDER BY started_at_millis DESC, release_id DESC LIMIT ?",
        ps -> ps.setInt(1, Math.min(rows, LIST_ROWS_MAX)), ReleaseRepository::read, "listing releases failed");
  }

  public List<Step> steps(String releaseId) {
    return Sql.list(dataSource, "SELECT at_millis, actor, step, percent, note FROM policy_release_steps WHERE release_id = ?"
        + " ORDER BY step_id LIMIT 1000", ps -> ps.setString(1, releaseId),
        rs -> new Step(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5)), "reading release steps failed");
  }

  private static void step(Connection c, String releaseId, long atMillis, String actor, String step, int percent, String note)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO policy_release_steps (release_id, at_millis, actor, step, percent, note)"
        + " VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, releaseId);
      ps.setLong(2, atMillis);
      ps.setString(3, actor);
      ps.setString(4, step);
      ps.setInt(5, percent);
      ps.setString(6, note);
      ps.executeUpdate();
    }
  }

  private static void bind(PreparedStatement ps, ReleaseRecord r) throws SQLException {
    ps.setString(1, r.releaseId());
    ps.setString(2, r.changeRequestId());
    ps.setString(3, r.mode().name());
    ps.setString(4, r.status().name());
    ps.setInt(5, r.percent());
    ps.setLong(6, r.baseVersion());
    ps.setLong(7, r.candidateVersion());
    ps.setString(8, r.candidateDocument());
    ps.setLong(9, r.startSequence());
    ps.setLong(10, r.endSequence());
    ps.setString(11, r.startedBy());
    ps.setLong(12, r.startedAtMillis());
    ps.setString(13, r.endedBy());
    if (r.endedAtMillis() == null) ps.setNull(14, Types.BIGINT);
    else ps.setLong(14, r.endedAtMillis());
    ps.setString(15, r.endReason());
  }

  private static ReleaseRecord read(ResultSet rs) throws SQLException {
    long ended = rs.getLong(14);
    Long endedAt = rs.wasNull() ? null : ended;
    return new ReleaseRecord(rs.getString(1), rs.getString(2), ReleaseMode.valueOf(rs.getString(3)),
        ReleaseStatus.valueOf(rs.getString(4)), rs.getInt(5), rs.getLong(6), rs.getLong(7), rs.getString(8), rs.getLong(9),
        rs.getLong(10), rs.getString(11), rs.getLong(12), rs.getString(13), endedAt, rs.getString(15));
  }
}
