package io.vigil.server.reference;

import io.vigil.server.journal.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The record of every reference-data set loaded. The primary key on version makes two loads collide. */
public final class ReferenceRepository {
  private final DataSource dataSource;

  public ReferenceRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** @param components JSON object: component name → its version */
  public record Version(long version, long loadedAtMillis, String loadedBy, String components) {}

  public long latestVersion() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(version), 0) FROM reference_versions");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new StorageException("reading the reference-data versions failed", e);
    }
  }

  public Optional<Version> find(long version) {
    String sql = "SELECT version, loaded_at_millis, loaded_by, components FROM reference_versions WHERE version = ?";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, version);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StorageException("reading a reference-data version failed", e);
    }
  }

  /** Versions newest first. */
  public List<Version> history(int limit) {
    String sql = "SELECT version, loaded_at_millis, loaded_by, components FROM reference_versions ORDER BY version DESC LIMIT ?";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setInt(1, limit);
      List<Version> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(read(rs));
      }
      return out;
    } catch (SQLException e) {
      throw new StorageException("reading the reference-data history failed", e);
    }
  }

  public void insert(Version v) {
    String sql = "INSERT INTO reference_versions (version, loaded_at_millis, loaded_by, components) VALUES (?,?,?,?)";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, v.version());
      ps.setLong(2, v.loadedAtMillis());
      ps.setString(3, v.loadedBy());
      ps.setString(4, v.components());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StorageException("storing a reference-data version failed", e);
    }
  }

  private static Version read(ResultSet rs) throws SQLException {
    return new Version(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4));
  }
}
