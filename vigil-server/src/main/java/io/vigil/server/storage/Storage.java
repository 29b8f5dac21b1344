package io.vigil.server.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vigil.server.journal.DecisionRulesBackfill;
import io.vigil.server.journal.StorageException;
import io.vigil.server.logging.RedactedFailure;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the database (embedded H2 by default, PostgreSQL by URL) and brings its schema up to date
 * with the one set of Flyway migrations both share. Used by the server, the CLI and the tests.
 */
public final class Storage {
  private static final Logger log = LoggerFactory.getLogger(Storage.class);

  private Storage() {}

  /**
   * PostgreSQL flushes its WAL at commit unless {@code synchronous_commit} is {@code off}; this raises
   * {@code off} (set on the server, database or role) to {@code on} for each of Vigil's connections
   * and keeps any stronger value ({@code remote_write}, {@code remote_apply}, a synchronous standby's).
   */
  static final String SYNCHRONOUS_COMMIT_SQL = "SELECT set_config('synchronous_commit', CASE current_setting('synchronous_commit')"
      + " WHEN 'off' THEN 'on' ELSE current_setting('synchronous_commit') END, false)";

  /**
   * The H2 URL of the embedded store. WRITE_DELAY=0 makes H2 write every commit to the file before
   * the commit returns, so a killed process loses no acknowledged decision; {@link DurableCommit}
   * adds the fsync that makes it survive a power loss too. CACHE_SIZE (KiB) keeps the hot part of the
   * journal's indexes in memory.
   */
  public static String embeddedUrl(String dataDir) {
    Path file = Path.of(dataDir).toAbsolutePath().normalize().resolve("vigil");
    return "jdbc:h2:file:" + file + ";WRITE_DELAY=0;CACHE_SIZE=131072;DB_CLOSE_ON_EXIT=FALSE";
  }

  public static HikariDataSource open(String url, String username, String password, int poolSize, String poolName) {
    return open(url, username, password, poolSize, poolName, true);
  }

  /** {@code durableCommits}: on PostgreSQL, every connection commits synchronously (see {@link #SYNCHRONOUS_COMMIT_SQL}). */
  public static HikariDataSource open(String url, String username, String password, int poolSize, String poolName,
      boolean durableCommits) {
    HikariConfig config = new HikariConfig();
    if (durableCommits && isPostgres(url)) config.setConnectionInitSql(SYNCHRONOUS_COMMIT_SQL);
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

  /**
   * What the store does at commit, for the start-up log: a warning when the PostgreSQL server runs
   * with {@code fsync=off} (its commits then never reach the disk, whatever Vigil asks) or its
   * connections do not commit synchronously.
   */
  public static void logDurability(DataSource dataSource, boolean durableCommits) {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      if (!c.getMetaData().getURL().startsWith("jdbc:postgresql:")) {
        if (durableCommits) log.info("durable commits: each group commit is synced to disk (CHECKPOINT SYNC, one fsync)");
        else log.warn("durable commits are off: a power loss can lose the last acknowledged decisions");
        return;
      }
      String fsync = show(s, "fsync");
      String synchronous = show(s, "synchronous_commit");
      if (fsync.equals("off")) {
        log.warn("the PostgreSQL server runs with fsync=off: a power loss can lose acknowledged decisions and corrupt the database");
      }
      if (synchronous.equals("off")) {
        log.warn("PostgreSQL synchronous_commit is off for Vigil's connections: a crash can lose the last acknowledged decisions");
      } else {
        log.info("durable commits: PostgreSQL synchronous_commit={} fsync={}", synchronous, fsync);
      }
    } catch (SQLException e) {
      log.warn("could not read the store's durability settings", RedactedFailure.of(e));
    }
  }

  private static String show(Statement s, String setting) throws SQLException {
    try (ResultSet r = s.executeQuery("SHOW " + setting)) {
      r.next();
      return r.getString(1);
    }
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
