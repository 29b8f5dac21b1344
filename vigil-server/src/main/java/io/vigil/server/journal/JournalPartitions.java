package io.vigil.server.journal;

import io.vigil.server.logging.RedactedFailure;
import io.vigil.server.storage.Storage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the monthly partitions of the PostgreSQL journal (migration 15) created ahead of time: at
 * start and then once a day, the partitions of the current month (UTC, by the injected clock) and
 * the next {@value #MONTHS_AHEAD} exist. Creating a partition is a short DDL statement on an empty
 * table; done ahead, it never meets a decision being written into that month. Should the clock
 * outrun the partitions anyway (the server stopped for months, a clock far off), the rows land in
 * the default partition and the next creation of their month moves them out of it.
 *
 * <p>On H2, or on a PostgreSQL journal that is not partitioned, this does nothing.
 */
public final class JournalPartitions implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JournalPartitions.class);
  /** Months created beyond the current one. */
  public static final int MONTHS_AHEAD = 3;
  static final long CHECK_EVERY_MILLIS = TimeUnit.HOURS.toMillis(24);

  private final DataSource dataSource;
  private final Clock clock;
  private final boolean partitioned;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "vigil-journal-partitions");
    t.setDaemon(true);
    return t;
  });

  public JournalPartitions(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
    this.partitioned = isPartitioned(dataSource);
  }

  /** Creates the months due now, then schedules the daily check. */
  public JournalPartitions start() {
    if (!partitioned) return this;
    List<String> created = ensureAhead(clock.millis());
    log.info("journal partitions ready through {} ({} checked)", created.get(created.size() - 1), created.size());
    scheduler.scheduleWithFixedDelay(() -> {
      try {
        ensureAhead(clock.millis());
      } catch (Throwable t) { // an escaping throwable would end the schedule silently
        log.error("creating the journal's partitions ahead failed; the next check tries again (decisions meanwhile"
            + " go to the default partition)", RedactedFailure.of(t));
      }
    }, CHECK_EVERY_MILLIS, CHECK_EVERY_MILLIS, TimeUnit.MILLISECONDS);
    return this;
  }

  public boolean partitioned() {
    return partitioned;
  }

  /**
   * The partitions of the month of {@code nowMillis} and the {@value #MONTHS_AHEAD} after it, each
   * created if missing; their names, oldest first. Empty when the journal is not partitioned.
   */
  public List<String> ensureAhead(long nowMillis) {
    List<String> names = new ArrayList<>();
    if (!partitioned) return names;
    YearMonth month = YearMonth.from(Instant.ofEpochMilli(nowMillis).atOffset(ZoneOffset.UTC));
    for (int i = 0; i <= MONTHS_AHEAD; i++) names.add(ensure(monthStartMillis(month.plusMonths(i))));
    return names;
  }

  /** The partition of the month containing {@code atMillis}, created if missing; its name. */
  public String ensure(long atMillis) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT vigil_journal_partition(?)")) {
      ps.setLong(1, atMillis);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    } catch (SQLException e) {
      throw new StorageException("creating a journal partition failed", e);
    }
  }

  static long monthStartMillis(YearMonth month) {
    return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  /** True on PostgreSQL when the journal is the partitioned table of migration 15. */
  static boolean isPartitioned(DataSource dataSource) {
    if (!Storage.isPostgres(dataSource)) return false;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass('decisions')");
        ResultSet rs = ps.executeQuery()) {
      return rs.next();
    } catch (SQLException e) {
      throw new StorageException("reading the journal's layout failed", e);
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
