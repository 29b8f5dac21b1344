package io.vigil.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.engine.journal.HashChain;
import io.vigil.engine.journal.JournalRecord;
import io.vigil.server.journal.Anchor;
import io.vigil.server.journal.AnchorKey;
import io.vigil.server.journal.DecisionRulesBackfill;
import io.vigil.server.journal.JournalPartitions;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.journal.JournalVerifier;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL journal's monthly partitions (migration 15): rows land in the partition of their
 * recorded month, the decisions query pages newest first across partition boundaries, the keys stay
 * unique across all partitions (a duplicate is a unique violation, SQLSTATE 23505), the chain
 * verifies, and the migration moves an existing journal into partitions. Times are fixed instants
 * around month ends, never the wall clock.
 */
class JournalPartitionsTest {
  private static final long JAN_31_LATE = Instant.parse("2026-01-31T23:59:57Z").toEpochMilli();
  private static final long MAR_1_EARLY = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
  private static final String UNIQUE_VIOLATION = "23505";

  /** Six rows a second apart from 31 January 23:59:57 UTC (three in January, three in February), then three in March. */
  private static List<JournalRow> rowsAcrossMonths(String previous, long firstSequence) {
    List<JournalRow> rows = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      long seq = firstSequence + i;
      long at = i < 6 ? JAN_31_LATE + i * 1_000L : MAR_1_EARLY + (i - 6) * 60_000L;
      JournalRow r = StorageSuiteTest.row(seq, previous, "evt_" + seq, i % 2 == 0 ? "acc_even" : "acc_odd", at,
          i % 3 == 0 ? "DENY" : "ALLOW");
      rows.add(r);
      previous = r.record().hash();
    }
    return rows;
  }

  private static Clock clockAt(long millis) {
    return Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
  }

  @Test
  void rowsLandInTheirMonthsPartitionAndPageAcrossTheBoundary() throws SQLException {
    try (HikariDataSource ds = TestDatabases.postgres().open();
        JournalPartitions partitions = new JournalPartitions(ds, clockAt(JAN_31_LATE))) {
      assertThat(partitions.partitioned()).isTrue();
      assertThat(partitions.ensureAhead(JAN_31_LATE))
          .containsExactly("decisions_2026_01", "decisions_2026_02", "decisions_2026_03", "decisions_2026_04");
      List<JournalRow> rows = rowsAcrossMonths(HashChain.GENESIS, 1);
      StorageSuiteTest.write(ds, rows);

      Map<Long, String> partitionOf = partitionsBySequence(ds);
      assertThat(partitionOf).containsExactlyEntriesOf(expected(Map.of(
          1L, "decisions_2026_01", 2L, "decisions_2026_01", 3L, "decisions_2026_01",
          4L, "decisions_2026_02", 5L, "decisions_2026_02", 6L, "decisions_2026_02",
          7L, "decisions_2026_03", 8L, "decisions_2026_03", 9L, "decisions_2026_03")));

      JournalRepository journal = new JournalRepository(ds);
      // Everything, two rows a page, newest first: the pages cross both month boundaries.
      assertThat(pageThrough(journal, filter(null, null, null, null), 2)).containsExactly(9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L);
      // One account, across the January/February boundary.
      assertThat(pageThrough(journal, filter("acc_even", null, null, null), 2)).containsExactly(9L, 7L, 5L, 3L, 1L);
      // A time range straddling midnight of 1 February, and an action.
      assertThat(pageThrough(journal, filter(null, null, JAN_31_LATE + 1_000L, JAN_31_LATE + 5_000L), 1))
          .containsExactly(5L, 4L, 3L, 2L);
      assertThat(pageThrough(journal, filter(null, "DENY", null, null), 1)).containsExactly(7L, 4L, 1L);
      assertThat(journal.findByDecisionId(StorageSuiteTest.decisionId(5)).orElseThrow().record().sequence()).isEqualTo(5);
      assertThat(journal.head()).isEqualTo(new JournalRepository.Head(9, rows.get(8).record().hash()));
      assertThat(journal.count()).isEqualTo(9);

      JournalVerifier.Result verified = JournalVerifier.verify(journal);
      assertThat(verified.intact()).as("finding %s", verified.finding()).isTrue();
      assertThat(verified.rowsChecked()).isEqualTo(9);
    }
  }

  @Test
  void aDuplicateKeyInAnotherMonthIsAUniqueViolationAndStoresNothing() throws SQLException {
    try (HikariDataSource ds = TestDatabases.postgres().open();
        JournalPartitions partitions = new JournalPartitions(ds, clockAt(JAN_31_LATE))) {
      partitions.ensureAhead(JAN_31_LATE);
      List<JournalRow> rows = rowsAcrossMonths(HashChain.GENESIS, 1);
      StorageSuiteTest.write(ds, rows);
      String last = rows.get(8).record().hash();
      long april = Instant.parse("2026-04-02T10:00:00Z").toEpochMilli();

      // The event id of a January row, decided again in April.
      JournalRow sameEvent = StorageSuiteTest.row(10, last, "evt_1", "acc_even", april, "ALLOW");
      assertUniqueViolation(ds, sameEvent, "decision_keys_event_id_unique");
      // The decision id of a February row.
      JournalRow sameDecision = withDecisionId(StorageSuiteTest.row(10, last, "evt_10", "acc_even", april, "ALLOW"),
          StorageSuiteTest.decisionId(5));
      assertUniqueViolation(ds, sameDecision, "decision_keys_decision_id_unique");
      // A sequence already used in January, recorded in March.
      JournalRow sameSequence = withDecisionId(
          StorageSuiteTest.row(2, last, "evt_other", "acc_even", MAR_1_EARLY + 3_600_000L, "ALLOW"), "dec_other");
      assertUniqueViolation(ds, sameSequence, "decision_keys_pk");

      assertThat(new JournalRepository(ds).count()).isEqualTo(9);
      assertThat(keyCount(ds)).isEqualTo(9);
      // A fresh event id is taken, and its key kept.
      StorageSuiteTest.write(ds, List.of(StorageSuiteTest.row(10, last, "evt_10", "acc_even", april, "ALLOW")));
      assertThat(partitionsBySequence(ds).get(10L)).isEqualTo("decisions_2026_04");
      assertThat(keyCount(ds)).isEqualTo(10);
    }
  }

  @Test
  void aMonthWithoutAPartitionWaitsInTheDefaultUntilItsPartitionIsMade() throws SQLException {
    try (HikariDataSource ds = TestDatabases.postgres().open();
        JournalPartitions partitions = new JournalPartitions(ds, clockAt(JAN_31_LATE))) {
      // Only January exists: February's and March's rows go to the default partition.
      partitions.ensure(JAN_31_LATE);
      List<JournalRow> rows = rowsAcrossMonths(HashChain.GENESIS, 1);
      StorageSuiteTest.write(ds, rows);
      assertThat(partitionsBySequence(ds).get(4L)).isEqualTo("decisions_default");
      assertThat(partitionsBySequence(ds).get(9L)).isEqualTo("decisions_default");

      assertThat(partitions.ensure(MAR_1_EARLY)).isEqualTo("decisions_2026_03");
      Map<Long, String> after = partitionsBySequence(ds);
      assertThat(after.get(4L)).isEqualTo("decisions_default");
      assertThat(after.get(7L)).isEqualTo("decisions_2026_03");
      assertThat(after.get(9L)).isEqualTo("decisions_2026_03");
      // The moved rows kept their keys: their event ids are still taken.
      JournalRow again = StorageSuiteTest.row(10, rows.get(8).record().hash(), "evt_8", "acc_even", MAR_1_EARLY + 600_000L, "ALLOW");
      assertUniqueViolation(ds, again, "decision_keys_event_id_unique");
      assertThat(keyCount(ds)).isEqualTo(9);
      assertThat(JournalVerifier.verify(new JournalRepository(ds)).intact()).isTrue();
    }
  }

  @Test
  void anArchivedMonthLeavesAJournalThatVerifiesFromTheCheckpoint() throws SQLException {
    try (HikariDataSource ds = TestDatabases.postgres().open();
        JournalPartitions partitions = new JournalPartitions(ds, clockAt(JAN_31_LATE))) {
      partitions.ensureAhead(JAN_31_LATE);
      List<JournalRow> rows = rowsAcrossMonths(HashChain.GENESIS, 1);
      StorageSuiteTest.write(ds, rows);
      JournalRepository journal = new JournalRepository(ds);
      assertThat(JournalVerifier.verify(journal, () -> null, 3).intact()).as("before archiving").isTrue();

      // What scripts/journal/archive-partition.sh --drop does to January (rows 1 to 3).
      StorageSuiteTest.exec(ds, "ALTER TABLE decisions DETACH PARTITION decisions_2026_01");
      StorageSuiteTest.exec(ds, "DROP TABLE decisions_2026_01");

      JournalVerifier.Result fromCheckpoint = JournalVerifier.verify(journal, () -> null, 3);
      assertThat(fromCheckpoint.intact()).as("finding %s", fromCheckpoint.finding()).isTrue();
      assertThat(fromCheckpoint.rowsChecked()).isEqualTo(6);
      assertThat(fromCheckpoint.headHash()).isEqualTo(rows.get(8).record().hash());
      assertThat(JournalVerifier.verify(journal).finding().kind()).as("no checkpoint declared").isEqualTo("deleted");
      assertThat(JournalVerifier.verify(journal, () -> null, 2).finding().kind()).as("a checkpoint before the cut").isEqualTo("deleted");
      assertThat(pageThrough(journal, filter(null, null, null, null), 4)).containsExactly(9L, 8L, 7L, 6L, 5L, 4L);
      // Signed heads: the one of an archived row is passed over, the later one covers the rest.
      AnchorKey key = AnchorKey.generate();
      Anchor ofArchived = Anchor.signed(key, 2, rows.get(1).record().hash(), JAN_31_LATE, Anchor.INTERVAL);
      Anchor ofRow7 = Anchor.signed(key, 7, rows.get(6).record().hash(), MAR_1_EARLY, Anchor.INTERVAL);
      JournalVerifier.Result anchored = JournalVerifier.verify(journal, anchors(ofArchived, ofRow7), 3);
      assertThat(anchored.intact()).as("finding %s", anchored.finding()).isTrue();
      assertThat(anchored.lastAnchor()).isEqualTo(ofRow7);
      assertThat(anchored.unanchored().firstSequence()).isEqualTo(8);
      Anchor forged = Anchor.signed(key, 7, rows.get(5).record().hash(), MAR_1_EARLY, Anchor.INTERVAL);
      assertThat(JournalVerifier.verify(journal, anchors(ofArchived, forged), 3).finding().kind()).isEqualTo("rewritten");
      // The archived month's keys stay: its event ids are still taken.
      assertUniqueViolation(ds, StorageSuiteTest.row(10, rows.get(8).record().hash(), "evt_2", "acc_odd",
          MAR_1_EARLY + 600_000L, "ALLOW"), "decision_keys_event_id_unique");
    }
  }

  @Test
  void theMigrationMovesAnExistingJournalIntoPartitions() throws SQLException {
    TestDatabases.Store store = TestDatabases.postgres();
    try (HikariDataSource ds = Storage.open(store.url(), store.username(), "", 2, "test-v15")) {
      Flyway.configure().dataSource(ds).locations("classpath:db/migration").javaMigrations(new DecisionRulesBackfill())
          .target("13").load().migrate();
      List<JournalRow> rows = rowsAcrossMonths(HashChain.GENESIS, 1);
      StorageSuiteTest.write(ds, rows);

      Storage.migrate(ds);

      assertThat(new LinkedHashMap<>(partitionsBySequence(ds)).values()).containsExactly(
          "decisions_2026_01", "decisions_2026_01", "decisions_2026_01", "decisions_2026_02", "decisions_2026_02",
          "decisions_2026_02", "decisions_2026_03", "decisions_2026_03", "decisions_2026_03");
      assertThat(keyCount(ds)).isEqualTo(9);
      JournalRepository journal = new JournalRepository(ds);
      assertThat(JournalVerifier.verify(journal).intact()).isTrue();
      assertThat(pageThrough(journal, filter("acc_odd", null, null, null), 3)).containsExactly(8L, 6L, 4L, 2L);
      assertUniqueViolation(ds, StorageSuiteTest.row(10, rows.get(8).record().hash(), "evt_3", "acc_odd",
          TestClock.INSTANCE.millis(), "ALLOW"), "decision_keys_event_id_unique");
    }
  }

  /** The anchors in file order, then null. */
  private static Supplier<Anchor> anchors(Anchor... inOrder) {
    Iterator<Anchor> it = List.of(inOrder).iterator();
    return () -> it.hasNext() ? it.next() : null;
  }

  private static void assertUniqueViolation(HikariDataSource ds, JournalRow row, String constraint) {
    assertThatThrownBy(() -> StorageSuiteTest.write(ds, List.of(row)))
        .isInstanceOfSatisfying(SQLException.class, e -> {
          assertThat(e.getSQLState()).isEqualTo(UNIQUE_VIOLATION);
          assertThat(e.getMessage()).contains(constraint);
        });
  }

  private static JournalRow withDecisionId(JournalRow r, String decisionId) {
    JournalRecord c = r.record();
    JournalRecord record = new JournalRecord(c.sequence(), decisionId, c.eventId(), c.recordedAtMillis(),
        c.policyVersion(), c.requestHash(), c.eventJson(), c.responseJson(), c.previousHash(), c.hash());
    return new JournalRow(record, r.eventType(), r.accountId(), r.merchantId(), r.occurredAtMillis(), r.action(), r.score(),
        r.riskLevel(), r.amountMinor(), r.currency());
  }

  private static JournalRepository.Filter filter(String account, String action, Long fromMillis, Long toMillis) {
    return new JournalRepository.Filter(account, null, action, fromMillis, toMillis, null, null, null, null, null, null, null, null);
  }

  /** Every matching sequence, newest first, read a page of {@code pageSize} at a time with the keyset cursor. */
  private static List<Long> pageThrough(JournalRepository journal, JournalRepository.Filter f, int pageSize) {
    List<Long> seen = new ArrayList<>();
    Long cursor = null;
    while (true) {
      List<JournalRow> page = journal.query(f, cursor, pageSize);
      page.forEach(r -> seen.add(r.record().sequence()));
      if (page.size() < pageSize) return seen;
      cursor = page.get(page.size() - 1).record().sequence();
    }
  }

  private static Map<Long, String> partitionsBySequence(HikariDataSource ds) throws SQLException {
    Map<Long, String> out = new LinkedHashMap<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT sequence, tableoid::regclass::text FROM decisions ORDER BY sequence");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) out.put(rs.getLong(1), rs.getString(2));
    }
    return out;
  }

  private static long keyCount(HikariDataSource ds) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM decision_keys");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Map<Long, String> expected(Map<Long, String> unordered) {
    Map<Long, String> ordered = new LinkedHashMap<>();
    unordered.keySet().stream().sorted().forEach(k -> ordered.put(k, unordered.get(k)));
    return ordered;
  }
}
