package io.vigil.server.support;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.server.storage.Storage;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Real databases for tests: an embedded H2 file store in a temporary directory, and PostgreSQL —
 * the server on 127.0.0.1:5432 (database test, trust auth) when one answers, otherwise an
 * embedded PostgreSQL started from Maven Central binaries. Each PostgreSQL store gets a schema of
 * its own, so tests never see each other's rows.
 */
public final class TestDatabases {
  private static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final String LOCAL_USER = "postgres";
  private static String postgresBaseUrl;
  private static String postgresUser;
  private static EmbeddedPostgres embedded;

  private TestDatabases() {}

  /** A store's connection details. */
  public record Store(String name, String url, String username) {
    public HikariDataSource open() {
      HikariDataSource ds = Storage.open(url, username, "", 4, "test-" + name);
      Storage.migrate(ds);
      return ds;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  public static Store h2() {
    try {
      Path dir = Files.createTempDirectory("vigil-h2-");
      return new Store("h2", Storage.embeddedUrl(dir.toString()), "");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static synchronized Store postgres() {
    if (postgresBaseUrl == null) locatePostgres();
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(postgresBaseUrl, postgresUser, "");
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a test schema", e);
    }
    String separator = postgresBaseUrl.contains("?") ? "&" : "?";
    return new Store("postgresql", postgresBaseUrl + separator + "currentSchema=" + schema, postgresUser);
  }

  private static void locatePostgres() {
    try (Connection c = DriverManager.getConnection(LOCAL_URL, LOCAL_USER, "")) {
      postgresBaseUrl = LOCAL_URL;
      postgresUser = LOCAL_USER;
      return;
    } catch (SQLException unreachable) {
      // fall through to an embedded server
    }
    try {
      embedded = EmbeddedPostgres.builder().start();
      postgresBaseUrl = embedded.getJdbcUrl("postgres", "postgres");
      postgresUser = "postgres";
    } catch (IOException e) {
      throw new IllegalStateException("no PostgreSQL on 127.0.0.1:5432 and the embedded one failed to start", e);
    }
  }
}
