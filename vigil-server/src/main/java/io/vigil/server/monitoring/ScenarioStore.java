package io.vigil.server.monitoring;

import io.vigil.engine.monitoring.ScenarioSettings;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import io.vigil.server.storage.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The versioned scenario configuration: every version kept, the newest live. Version 1 (every
 * scenario with its defaults) is written on a first start; later versions only through
 * {@link #apply}, which the approved change request calls.
 */
public final class ScenarioStore {
  /** The live configuration and its version. */
  public record Versioned(long version, ScenarioSettings settings, String actor, long createdAtMillis) {}

  private final DataSource dataSource;
  private final Clock clock;
  private volatile Versioned live;

  public ScenarioStore(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
    this.live = load();
  }

  public Versioned live() {
    return live;
  }

  private Versioned load() {
    return Sql.transaction(dataSource, c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT version, configuration_json, actor, created_at_millis FROM monitoring_scenarios ORDER BY version DESC LIMIT 1");
          var rs = ps.executeQuery()) {
        if (rs.next()) {
          return new Versioned(rs.getLong(1), ScenarioSettings.fromMap(Json.readMap(rs.getString(2))), rs.getString(3), rs.getLong(4));
        }
      }
      ScenarioSettings defaults = ScenarioSettings.defaults();
      insert(c, 1, defaults, "system", "the shipped scenarios with their default parameters");
      return new Versioned(1, defaults, "system", clock.millis());
    }, "reading the monitoring scenarios failed");
  }

  /**
   * Writes {@code settings} as the next version if the live one is still {@code baseVersion};
   * otherwise {@code 409 change_conflict} and nothing changes. The new version.
   */
  public synchronized long apply(ScenarioSettings settings, long baseVersion, String actor, String summary) {
    Versioned next = Sql.transaction(dataSource, c -> {
      long current;
      try (PreparedStatement ps = c.prepareStatement("SELECT MAX(version) FROM monitoring_scenarios"); var rs = ps.executeQuery()) {
        rs.next();
        current = rs.getLong(1);
      }
      if (current != baseVersion) {
        throw ApiException.conflict("invalid_request_error", "change_conflict",
            "The monitoring scenarios are at version " + current + ", not " + baseVersion + ": propose again from the live version",
            "base_version");
      }
      insert(c, current + 1, settings, actor, summary);
      return new Versioned(current + 1, settings, actor, clock.millis());
    }, "writing the monitoring scenarios failed");
    live = next;
    return next.version();
  }

  private void insert(Connection c, long version, ScenarioSettings s, String actor, String summary) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO monitoring_scenarios (version, configuration_json, actor, summary,"
        + " created_at_millis) VALUES (?,?,?,?,?)")) {
      ps.setLong(1, version);
      ps.setString(2, Json.write(s.toMap()));
      ps.setString(3, actor);
      ps.setString(4, summary == null ? "" : summary.length() > 1024 ? summary.substring(0, 1024) : summary);
      ps.setLong(5, clock.millis());
      ps.executeUpdate();
    }
  }

  /** JSON-ready: version, who set it and when, and the configuration. */
  public static Map<String, Object> json(Versioned v) {
    return Map.of("version", v.version(), "actor", v.actor(), "created_at", Instant.ofEpochMilli(v.createdAtMillis()).toString(),
        "configuration", v.settings().toMap());
  }
}
