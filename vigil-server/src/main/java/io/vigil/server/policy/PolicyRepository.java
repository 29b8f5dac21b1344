package io.vigil.server.policy;

import io.vigil.server.journal.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Immutable policy versions. The primary key on version makes two concurrent changes collide. */
public final class PolicyRepository {
  private final DataSource dataSource;

  public PolicyRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public record Version(long version, long createdAtMillis, String createdBy, String changeSummary, String document) {}

  public Optional<Version> latest() {
    return one("SELECT version, created_at_millis, created_by, change_summary, document FROM policy_versions"
        + " WHERE version = (SELECT MAX(version) FROM policy_versions)", null);
  }

  public Optional<Version> find(long version) {
    return one("SELECT version, created_at_millis, created_by, change_summary, document FROM policy_versions WHERE version = ?", version);
  }

  private Optional<Version> one(String sql, Long arg) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      if (arg != null) ps.setLong(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StorageException("reading the policy failed", e);
    }
  }

  /** Versions newest first, without their documents. */
  public List<Version> history(int limit) {
    String sql = "SELECT version, created_at_millis, created_by, change_summary, '' AS document FROM policy_versions ORDER BY version DESC LIMIT ?";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setInt(1, limit);
      List<Version> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(read(rs));
      }
      return out;
    } catch (SQLException e) {
      throw new StorageException("reading the policy history failed", e);
    }
  }

  public void insert(Version v) {
    String sql = "INSERT INTO policy_versions (version, created_at_millis, created_by, change_summary, document) VALUES (?,?,?,?,?)";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, v.version());
      ps.setLong(2, v.createdAtMillis());
      ps.setString(3, v.createdBy());
      ps.setString(4, v.changeSummary());
      ps.setString(5, v.document());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StorageException("storing a policy version failed", e);
    }
  }

  private static Version read(ResultSet rs) throws SQLException {
    return new Version(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5));
  }
}
