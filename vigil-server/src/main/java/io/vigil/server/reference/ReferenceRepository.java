package io.vigil.server.reference;

import io.vigil.server.storage.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The record of every reference-data set loaded. The primary key on version makes two loads collide. */
public final class ReferenceRepository {
  private static final String COLUMNS = "version, loaded_at_millis, loaded_by, components";
  private final DataSource dataSource;

  public ReferenceRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** @param components JSON object: component name → its version */
  public record Version(long version, long loadedAtMillis, String loadedBy, String components) {}

  public long latestVersion() {
    return Sql.number(dataSource, "SELECT COALESCE(MAX(version), 0) FROM reference_versions", Sql.Binder.NONE,
        "reading the reference-data versions failed");
  }

  public Optional<Version> find(long version) {
    return Sql.one(dataSource, "SELECT " + COLUMNS + " FROM reference_versions WHERE version = ?", ps -> ps.setLong(1, version),
        ReferenceRepository::read, "reading a reference-data version failed");
  }

  /** Versions newest first, below beforeVersion when given; at most rows. */
  public List<Version> history(Long beforeVersion, int rows) {
    return Sql.versionsBefore(dataSource, COLUMNS, "reference_versions", beforeVersion, rows, ReferenceRepository::read,
        "reading the reference-data history failed");
  }

  public void insert(Version v) {
    Sql.update(dataSource, "INSERT INTO reference_versions (" + COLUMNS + ") VALUES (?,?,?,?)", ps -> {
      ps.setLong(1, v.version());
      ps.setLong(2, v.loadedAtMillis());
      ps.setString(3, v.loadedBy());
      ps.setString(4, v.components());
    }, "storing a reference-data version failed");
  }

  private static Version read(ResultSet rs) throws SQLException {
    return new Version(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4));
  }
}
