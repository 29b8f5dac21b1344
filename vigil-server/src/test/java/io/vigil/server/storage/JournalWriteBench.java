package io.vigil.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.engine.journal.HashChain;
import io.vigil.server.journal.DecisionRulesBackfill;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.support.TestDatabases;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Journal write throughput per store and index layout: the measurement behind the journal having
 * no index on event_id (docs/performance.md). Not part of the test suite (the class name does not
 * end in Test); it asserts only that every row was written, and prints rows per second:
 * <pre>
 * ./mvnw -q -pl vigil-engine,vigil-server -am install -DskipTests
 * ./mvnw -q -pl vigil-server test -Dtest=JournalWriteBench -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class JournalWriteBench {
  private static final int ROWS = 30_000;
  private static final int BATCH_ROWS = 100;
  private static final int ROUNDS = 3;

  static Stream<Arguments> layouts() {
    String restoreEventIdIndex = "ALTER TABLE decisions ADD CONSTRAINT decisions_event_id_unique UNIQUE (event_id)";
    String primaryKeyOnly = "DROP INDEX decisions_account_time;DROP INDEX decisions_time;"
        + "ALTER TABLE decisions DROP CONSTRAINT decisions_decision_id_unique";
    return Stream.of(
        Arguments.of("h2, shipped schema", TestDatabases.h2(), ""),
        Arguments.of("h2, plus unique event_id index", TestDatabases.h2(), restoreEventIdIndex),
        Arguments.of("h2, primary key only", TestDatabases.h2(), primaryKeyOnly),
        Arguments.of("postgresql, shipped schema (partitioned)", TestDatabases.postgres(), ""),
        Arguments.of("postgresql, unpartitioned (before migration 15)", TestDatabases.postgres(), BEFORE_PARTITIONS),
        Arguments.of("postgresql, unpartitioned plus unique event_id index", TestDatabases.postgres(),
            BEFORE_PARTITIONS + ";" + restoreEventIdIndex));
  }

  /** Marks a PostgreSQL layout migrated only up to version 13: the journal as one table. */
  private static final String BEFORE_PARTITIONS = "-- before partitions";

  private static HikariDataSource open(TestDatabases.Store store, String ddl) {
    if (!ddl.startsWith(BEFORE_PARTITIONS)) return store.open();
    HikariDataSource ds = Storage.open(store.url(), store.username(), "", 4, "bench");
    Flyway.configure().dataSource(ds).locations("classpath:db/migration").javaMigrations(new DecisionRulesBackfill())
        .target("13").load().migrate();
    return ds;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layouts")
  void writeRate(String name, TestDatabases.Store store, String ddl) throws Exception {
    try (HikariDataSource ds = open(store, ddl)) {
      for (String statement : ddl.split(";")) {
        if (!statement.isBlank() && !statement.startsWith(BEFORE_PARTITIONS)) StorageSuiteTest.exec(ds, statement);
      }
      Random random = new Random(1);
      long sequence = 0;
      String previous = HashChain.GENESIS;
      for (int round = 1; round <= ROUNDS; round++) {
        long startNanos = System.nanoTime();
        for (int b = 0; b < ROWS / BATCH_ROWS; b++) {
          List<JournalRow> rows = new ArrayList<>(BATCH_ROWS);
          for (int i = 0; i < BATCH_ROWS; i++) {
            sequence++;
            // Random event ids and accounts, as clients send them; time-ordered decision ids, as Vigil makes them.
            JournalRow row = StorageSuiteTest.row(sequence, previous, UUID.randomUUID().toString(),
                "acc-" + random.nextInt(100_000), 1_700_000_000_000L + sequence, "ALLOW");
            rows.add(row);
            previous = row.record().hash();
          }
          try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            JournalRepository.insertBatch(c, rows);
            c.commit();
          }
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf("%-40s round %d: %,8.0f rows/s%n", name, round, ROWS / seconds);
      }
      assertThat(new JournalRepository(ds).count()).isEqualTo((long) ROWS * ROUNDS);
    }
  }
}
