package io.vigil.server.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vigil.server.journal.DecisionRulesBackfill;
import io.vigil.server.journal.StorageException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Opens the database (embedded H2 by default, PostgreSQL by URL) and brings its schema up to date
 * with the one set of Flyway migrations both share. Used by the server, the CLI and the tests.
 */
public final class Storage {
  private Storage() {}

  /**
   * The H2 URL of the embedded store. WRITE_DELAY=0 makes H2 write every commit to the file before
   * the commit returns, so a killed process loses no acknowledged decision. CACHE_SIZE (KiB) keeps
   * the hot part of the journal's indexes in memory.
   */
  public static String embeddedUrl(String dataDir) {
    Path file = Path.of(dataDir).toAbsolutePath().normalize().resolve("vigil");
    return "jdbc:h2:file:" + file + ";WRITE_DELAY=0;CACHE_SIZE=131072;DB_CLOSE_ON_EXIT=FALSE";
  }

  public static HikariDataSource open(String url, String username, String password, int poolSize, String poolName) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    if (!username.isEmpty()) config.setUsername(username);
    if (!password.isEmpty()) config.setPassword(password);
    config.setMaximumPoolSize(poolSize);
    config.setPoolName(poolName);
    config.setConnectionTimeout(5_000);
    config.setAutoCommit(true);
    return new HikariDataSource(config);
  }

  /**
   * Brings the schema up to date. Both stores run {@code db/migration}; PostgreSQL also runs
   * {@code db/postgresql}, the migrations only it has (the journal's monthly partitions, V15).
   */
  public static void migrate(DataSource dataSource) {
    String[] locations = isPostgres(dataSource)
        ? new String[] {"classpath:db/migration", "classpath:db/postgresql"}
        : new String[] {"classpath:db/migration"};
    Flyway.configure()
        .dataSource(dataSource)
        .locations(locations)
        .javaMigrations(new DecisionRulesBackfill())
        .failOnMissingLocations(true)
        .load()
        .migrate();
  }

  public static boolean isPostgres(String url) {
    return url.startsWith("jdbc:postgresql:");
  }

  /** True when the data source is a PostgreSQL database (asked of the driver, not the URL). */
  public static boolean isPostgres(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return "PostgreSQL".equals(c.getMetaData().getDatabaseProductName());
    } catch (SQLException e) {
      throw new StorageException("cannot reach the database", e);
    }
  }
}
