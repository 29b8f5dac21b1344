package io.vigil.server.policy;

import io.vigil.server.storage.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Immutable policy versions. The primary key on version makes two concurrent changes collide. */
public final class PolicyRepository {
  private static final String COLUMNS = "version, created_at_millis, created_by, change_summary, document";
  private final DataSource dataSource;

  public PolicyRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public record Version(long version, long createdAtMillis, String createdBy, String changeSummary, String document) {}

  public Optional<Version> latest() {
    return Sql.one(dataSource, "SELECT " + COLUMNS + " FROM policy_versions"
        + " WHERE version = (SELECT MAX(version) FROM policy_versions)", Sql.Binder.NONE, PolicyRepository::read,
        "reading the policy failed");
  }

  public Optional<Version> find(long version) {
    return Sql.one(dataSource, "SELECT " + COLUMNS + " FROM policy_versions WHERE version = ?", ps -> ps.setLong(1, version),
        PolicyRepository::read, "reading the policy failed");
  }

  /** Versions newest first, without their documents, below beforeVersion when given; at most rows. */
  public List<Version> history(Long beforeVersion, int rows) {
    return Sql.versionsBefore(dataSource, "version, created_at_millis, created_by, change_summary, '' AS document",
        "policy_versions", beforeVersion, rows, PolicyRepository::read, "reading the policy history failed");
  }

  public void insert(Version v) {
    Sql.update(dataSource, "INSERT INTO policy_versions (" + COLUMNS + ") VALUES (?,?,?,?,?)", ps -> {
      ps.setLong(1, v.version());
      ps.setLong(2, v.createdAtMillis());
      ps.setString(3, v.createdBy());
      ps.setString(4, v.changeSummary());
      ps.setString(5, v.document());
    }, "storing a policy version failed");
  }

  private static Version read(ResultSet rs) throws SQLException {
    return new Version(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5));
  }
}
