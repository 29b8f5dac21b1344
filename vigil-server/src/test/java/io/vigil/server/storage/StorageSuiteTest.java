package io.vigil.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.feature.Entity;
import io.vigil.engine.feature.FeatureCatalog;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.journal.HashChain;
import io.vigil.engine.journal.JournalRecord;
import io.vigil.engine.list.ListEntity;
import io.vigil.engine.list.ListEntry;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.list.ListKind;
import io.vigil.engine.model.ModelArtifact;
import io.vigil.engine.model.ModelFeatures;
import io.vigil.engine.model.ModelMetadata;
import io.vigil.engine.restriction.Restriction;
import io.vigil.engine.restriction.RestrictionKind;
import io.vigil.engine.rule.RuleCompiler;
import io.vigil.server.account.RestrictionRepository;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import io.vigil.server.api.TimeCursor;
import io.vigil.server.challenge.ChallengeRepository;
import io.vigil.server.decision.DecisionPipeline;
import io.vigil.server.decision.Outcome;
import io.vigil.server.hold.ApprovalRepository;
import io.vigil.server.journal.DecisionRules;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.journal.JournalVerifier;
import io.vigil.server.list.ListRepository;
import io.vigil.server.model.ModelFiles;
import io.vigil.server.model.ModelRepository;
import io.vigil.server.policy.PolicyRepository;
import io.vigil.server.policy.PolicyService;
import io.vigil.server.reference.ReferenceRepository;
import io.vigil.server.reversal.ReversalRepository;
import io.vigil.server.support.Events;
import io.vigil.server.support.OnnxFiles;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.groups.Tuple;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The storage suite, run against both stores: embedded H2 and a real PostgreSQL server. The same
 * migrations and repository code serve both.
 */
class StorageSuiteTest {
  static Stream<TestDatabases.Store> stores() {
    return Stream.of(TestDatabases.h2(), TestDatabases.postgres());
  }

  static TestDatabases.Store fresh(TestDatabases.Store kind) {
    return kind.name().equals("h2") ? TestDatabases.h2() : TestDatabases.postgres();
  }

  /** Time-ordered like the ids the pipeline makes, so index behaviour matches production. */
  static String decisionId(long seq) {
    return String.format("dec_%016x", seq);
  }

  static JournalRow row(long seq, String previous, String eventId, String account, long occurredAt, String action) {
    String decisionId = decisionId(seq);
    String eventJson = Json.canonical(Map.of("event_id", eventId, "type", "payment", "occurred_at",
        Instant.ofEpochMilli(occurredAt).toString(), "account_id", account, "amount", 100, "currency", "USD"));
    String response = Json.write(Map.of("decision_id", decisionId, "action", action, "score", 0, "risk_level", "low"));
    String hash = HashChain.hash(previous, seq, decisionId, eventId, occurredAt, 1, "h" + seq, eventJson, response);
    return new JournalRow(new JournalRecord(seq, decisionId, eventId, occurredAt, 1, "h" + seq, eventJson, response, previous, hash),
        "payment", account, null, occurredAt, action, 0, "low", 100L, "USD");
  }

  static List<JournalRow> chain(int n, long t0) {
    List<JournalRow> rows = new ArrayList<>();
    String previous = HashChain.GENESIS;
    for (int i = 1; i <= n; i++) {
      JournalRow r = row(i, previous, "e" + i, i % 2 == 0 ? "even" : "odd", t0 + i * 1_000L, i % 3 == 0 ? "DENY" : "ALLOW");
      rows.add(r);
      previous = r.record().hash();
    }
    return rows;
  }

  static void write(HikariDataSource ds, List<JournalRow> rows) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        JournalRepository.insertBatch(c, rows);
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void journalWritesReadsAndQueries(TestDatabases.Store store) throws Exception {
    try (HikariDataSource ds = store.open()) {
      JournalRepository journal = new JournalRepository(ds);
      assertThat(journal.head().sequence()).isZero();
      List<JournalRow> rows = chain(20, 1_700_000_000_000L);
      write(ds, rows);
      assertThat(journal.count()).isEqualTo(20);
      assertThat(journal.head().sequence()).isEqualTo(20);
      assertThat(journal.head().hash()).isEqualTo(rows.get(19).record().hash());
      assertThat(journal.findBySequence(7)).contains(rows.get(6));
      assertThat(journal.findByDecisionId(decisionId(8))).contains(rows.get(7));
      assertThat(journal.findBySequence(21)).isEmpty();

      var evenDenies = journal.query(filter("even", "payment", "DENY", null, null), null, 100);
      assertThat(evenDenies).extracting(r -> r.record().sequence()).containsExactly(18L, 12L, 6L);
      var page = journal.query(filter(null, null, null, 1_700_000_005_000L, 1_700_000_010_000L), 9L, 100);
      assertThat(page).extracting(r -> r.record().sequence()).containsExactly(8L, 7L, 6L, 5L);
      List<Long> streamed = new ArrayList<>();
      journal.forEachInOrder(r -> streamed.add(r.record().sequence()));
      assertThat(streamed).hasSize(20).isSorted();
      assertThat(JournalVerifier.verify(journal).intact()).isTrue();
    }
  }

  /** A payment row with the query columns and reasons a reviewer filters on. */
  static JournalRow reviewed(long seq, String previous, String merchant, int score, String riskLevel, long amountMinor,
      String currency, List<String> ruleIds) {
    String decisionId = decisionId(seq);
    long occurredAt = 1_700_000_000_000L + seq * 1_000L;
    String eventJson = Json.canonical(Map.of("event_id", "r" + seq, "type", "payment", "occurred_at",
        Instant.ofEpochMilli(occurredAt).toString(), "account_id", "acc", "merchant_id", merchant, "amount", amountMinor,
        "currency", currency));
    String response = Json.write(Map.of("decision_id", decisionId, "action", "ALLOW", "score", score, "risk_level", riskLevel,
        "reasons", ruleIds.stream().map(id -> Map.of("rule_id", id, "message", "m", "values", Map.of())).toList()));
    String hash = HashChain.hash(previous, seq, decisionId, "r" + seq, occurredAt, 1, "h" + seq, eventJson, response);
    return new JournalRow(new JournalRecord(seq, decisionId, "r" + seq, occurredAt, 1, "h" + seq, eventJson, response, previous, hash),
        "payment", "acc", merchant, occurredAt, "ALLOW", score, riskLevel, amountMinor, currency);
  }

  static List<Long> sequences(JournalRepository journal, JournalRepository.Filter filter) {
    return journal.query(filter, null, 100).stream().map(r -> r.record().sequence()).toList();
  }

  /** The account, type, action and time filters alone. */
  static JournalRepository.Filter filter(String accountId, String eventType, String action, Long fromMillis, Long toMillis) {
    return new JournalRepository.Filter(accountId, eventType, action, fromMillis, toMillis, null, null, null, null, null, null,
        null, null);
  }

  static JournalRepository.Filter filter(String merchant, String riskLevel, String rule, Integer scoreMin, Integer scoreMax,
      Long amountMin, Long amountMax, String currency) {
    return new JournalRepository.Filter(null, null, null, null, null, merchant, riskLevel, rule, scoreMin, scoreMax, amountMin,
        amountMax, currency);
  }

  /**
   * The reviewer's filters run in SQL on both stores; the rule filter finds both the decisions whose
   * index rows the migration filled in and a decision whose index rows were written with it.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void reviewerFiltersRunInSqlAndTheRuleIndexCoversOlderDecisions(TestDatabases.Store kind) throws Exception {
    TestDatabases.Store store = fresh(kind);
    try (HikariDataSource ds = Storage.open(store.url(), store.username(), "", 4, "test-filters")) {
      // The schema before the backfill: decisions stored now have no rule index rows.
      Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("10").load().migrate();
      JournalRow r1 = reviewed(1, HashChain.GENESIS, "shop_a", 0, "low", 1_000, "USD", List.of());
      JournalRow r2 = reviewed(2, r1.record().hash(), "shop_b", 55, "medium", 250_000, "EUR", List.of("off_hours", "new_device"));
      JournalRow r3 = reviewed(3, r2.record().hash(), "shop_a", 80, "critical", 9_999, "USD",
          List.of("list.block.ip", "off_hours", "off_hours"));
      write(ds, List.of(r1, r2, r3));
      Storage.migrate(ds);
      JournalRepository journal = new JournalRepository(ds);
      assertThat(sequences(journal, filter(null, null, "off_hours", null, null, null, null, null))).containsExactly(3L, 2L);
      assertThat(sequences(journal, filter(null, null, "list.block.ip", null, null, null, null, null))).containsExactly(3L);

      // A decision stored after the migration, its index rows written by DecisionRules.insertAll in the
      // same transaction (this test writes them itself; it does not go through the decision pipeline).
      JournalRow r4 = reviewed(4, r3.record().hash(), "shop_b", 20, "low", 5_000, "USD", List.of("new_device"));
      try (Connection c = ds.getConnection()) {
        c.setAutoCommit(false);
        JournalRepository.insertBatch(c, List.of(r4));
        DecisionRules.insertAll(c, List.of(new DecisionRules.Fired(4, Set.of("new_device"))));
        c.commit();
      }
      assertThat(sequences(journal, filter(null, null, "new_device", null, null, null, null, null))).containsExactly(4L, 2L);
      assertThat(sequences(journal, filter("shop_a", null, null, null, null, null, null, null))).containsExactly(3L, 1L);
      assertThat(sequences(journal, filter(null, "medium", null, null, null, null, null, null))).containsExactly(2L);
      assertThat(sequences(journal, filter(null, null, null, 20, 55, null, null, null))).containsExactly(4L, 2L);
      assertThat(sequences(journal, filter(null, null, null, null, null, 5_000L, 9_999L, null))).containsExactly(4L, 3L);
      assertThat(sequences(journal, filter(null, null, null, null, null, null, null, "EUR"))).containsExactly(2L);
      assertThat(sequences(journal, filter("shop_b", null, "new_device", null, 30, null, null, "USD"))).containsExactly(4L);
      assertThat(JournalVerifier.verify(journal).intact()).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aFailingBatchLeavesNothingBehind(TestDatabases.Store store) throws Exception {
    try (HikariDataSource ds = store.open()) {
      JournalRepository journal = new JournalRepository(ds);
      List<JournalRow> rows = chain(5, 1_700_000_000_000L);
      write(ds, rows.subList(0, 2));
      // Rows 3-5, but row 5 reuses sequence 1: the whole batch must fail.
      List<JournalRow> bad = new ArrayList<>(rows.subList(2, 4));
      bad.add(row(1, rows.get(3).record().hash(), "e5", "odd", 1_700_000_005_000L, "ALLOW"));
      assertThatThrownBy(() -> write(ds, bad)).isInstanceOf(SQLException.class);
      assertThat(journal.count()).isEqualTo(2);
      assertThat(journal.head().sequence()).isEqualTo(2);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void verifierFindsAlteredDeletedAndInsertedRows(TestDatabases.Store store) throws Exception {
    try (HikariDataSource ds = fresh(store).open()) {
      JournalRepository journal = new JournalRepository(ds);
      write(ds, chain(30, 1_700_000_000_000L));
      exec(ds, "UPDATE decisions SET response_json = REPLACE(response_json, 'ALLOW', 'DENY') WHERE sequence = 10");
      var altered = JournalVerifier.verify(journal).finding();
      assertThat(altered.kind()).isEqualTo("altered");
      assertThat(altered.sequence()).isEqualTo(10);
    }
    try (HikariDataSource ds = fresh(store).open()) {
      JournalRepository journal = new JournalRepository(ds);
      write(ds, chain(30, 1_700_000_000_000L));
      exec(ds, "UPDATE decisions SET action = 'ALLOW' WHERE sequence = 12"); // a query column only
      assertThat(JournalVerifier.verify(journal).finding()).extracting("kind", "sequence").containsExactly("altered", 12L);
    }
    try (HikariDataSource ds = fresh(store).open()) {
      JournalRepository journal = new JournalRepository(ds);
      write(ds, chain(30, 1_700_000_000_000L));
      exec(ds, "DELETE FROM decisions WHERE sequence = 17");
      assertThat(JournalVerifier.verify(journal).finding()).extracting("kind", "sequence").containsExactly("deleted", 17L);
    }
    try (HikariDataSource ds = fresh(store).open()) {
      JournalRepository journal = new JournalRepository(ds);
      List<JournalRow> rows = chain(30, 1_700_000_000_000L);
      write(ds, rows.subList(0, 20));
      // A forged row 21 with a valid hash of its own, but chained to nothing.
      JournalRow forged = row(21, "f".repeat(64), "forged", "odd", 1_700_000_021_000L, "ALLOW");
      write(ds, List.of(forged));
      assertThat(JournalVerifier.verify(journal).finding()).extracting("kind", "sequence").containsExactly("inserted", 21L);
    }
  }

  /** The account-control tables: restrictions, hold approvals, challenge results, reversal requests, reference versions. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void accountControlsPersistAndRefuseDuplicates(TestDatabases.Store store) {
    try (HikariDataSource ds = store.open()) {
      long now = TestClock.INSTANCE.millis();
      RestrictionRepository restrictions = new RestrictionRepository(ds);
      restrictions.insert(new Restriction("rst_1", "a1",
          RestrictionKind.FREEZE, "holder", "stolen", "app", now, 0, 0));
      restrictions.insert(new Restriction("rst_2", "a1",
          RestrictionKind.NO_WITHDRAWALS, "operator", "case 1", "ops", now, now - 1, 0));
      assertThat(restrictions.inForce(now)).extracting(Restriction::id).containsExactly("rst_1");
      assertThat(restrictions.lift("rst_1", now, "app", "verified", "biometric")).isTrue();
      assertThat(restrictions.lift("rst_1", now, "app", "again", "biometric")).isFalse();
      assertThat(restrictions.ofAccount("a1", null, 10)).filteredOn(r -> r.restriction().id().equals("rst_1"))
          .singleElement().satisfies(r -> {
            assertThat(r.verificationMethod()).isEqualTo("biometric");
            assertThat(r.restriction().liftedAtMillis()).isEqualTo(now);
          });

      ApprovalRepository approvals = new ApprovalRepository(ds);
      approvals.insert(new ApprovalRepository.Approval("dec_1", "ops.a", "approver", now, "console"));
      assertThatThrownBy(() -> approvals.insert(new ApprovalRepository.Approval("dec_1", "ops.a",
          "supervisor", now, "console"))).isInstanceOf(ApprovalRepository.DuplicateApprover.class);
      assertThat(approvals.of("dec_1")).hasSize(1);
      approvals.insertRejection(new ApprovalRepository.Rejection("dec_1", "ops.b", now, "unknown payee", "ops.b"));
      assertThatThrownBy(() -> approvals.insertRejection(new ApprovalRepository.Rejection("dec_1", "ops.c", now, null, "ops.c")))
          .isInstanceOf(ApprovalRepository.AlreadyRejected.class);
      assertThat(approvals.rejectionOf("dec_1").reason()).isEqualTo("unknown payee");
      assertThat(approvals.rejectionsOfAll(List.of("dec_1", "dec_9"))).containsOnlyKeys("dec_1");

      ChallengeRepository challenges = new ChallengeRepository(ds);
      challenges.insert(new ChallengeRepository.Result("dec_2", "a1", "failed", null, now, "gw"));
      assertThatThrownBy(() -> challenges.insert(new ChallengeRepository.Result("dec_2", "a1", "passed",
          null, now, "gw"))).isInstanceOf(ChallengeRepository.AlreadyRecorded.class);
      assertThat(challenges.failuresSince("a1", now - 1)).isEqualTo(1);

      ReversalRepository reversals = new ReversalRepository(ds);
      reversals.insert(new ReversalRepository.Request("rev_1", "dec_3", "a1", "deny", null, "[]", now, "app"));
      assertThat(reversals.answeredYes("dec_3")).isFalse();
      reversals.insert(new ReversalRepository.Request("rev_2", "dec_3", "a1", "review", "biometric", "[]",
          now, "app"));
      assertThat(reversals.answeredYes("dec_3")).isTrue();
      assertThat(reversals.countSince("a1", now - 1)).isEqualTo(2);

      ReferenceRepository references = new ReferenceRepository(ds);
      references.insert(new ReferenceRepository.Version(1, now, "startup", "{}"));
      assertThat(references.latestVersion()).isEqualTo(1);
      assertThatThrownBy(() -> references.insert(new ReferenceRepository.Version(1, now, "x", "{}")))
          .isInstanceOf(RuntimeException.class);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void modelBodiesAreFilesTheirRowsNameAndOlderChunkedRowsStillRead(TestDatabases.Store store) throws Exception {
    Path dir = Files.createTempDirectory("vigil-models-");
    try (HikariDataSource ds = store.open()) {
      ModelRepository models = new ModelRepository(ds, new ModelFiles(dir));
      ModelMetadata metadata = new ModelMetadata("onnx-1", ModelMetadata.FORMAT_ONNX, ModelFeatures.SCHEMA, 1L, 0, 0, 0, 0,
          Map.of(), Map.of());
      byte[] onnx = OnnxFiles.logisticRegression(ModelFeatures.SCHEMA.size(), 1_000_000);
      Path upload = Files.write(dir.resolveSibling(dir.getFileName() + ".onnx"), onnx);
      models.insertOnnx(metadata, "{}", upload, "alice", 5L);
      Files.delete(upload);
      assertThat(models.artifact("onnx-1").body()).isEqualTo(onnx);
      assertThat(models.find("onnx-1").orElseThrow().createdBy()).isEqualTo("alice");
      assertThat(Files.list(dir).toList()).hasSize(1);
      assertThatThrownBy(() -> models.insertOnnx(metadata, "{}", dir.resolve("unused"), "bob", 6L))
          .isInstanceOf(ApiException.class).hasMessageContaining("exists");
      assertThat(Files.list(dir).toList()).as("a refused insert leaves no file").hasSize(1);

      // A row stored before bodies were files: its text is in model_chunks.
      ModelArtifact older = new ModelArtifact(new ModelMetadata("onnx-0", ModelMetadata.FORMAT_ONNX, ModelFeatures.SCHEMA, 1L, 0, 0,
          0, 0, Map.of(), Map.of()), onnx);
      String text = older.toText();
      exec(ds, "INSERT INTO models (model_id, format, metadata, role, created_at_millis, created_by) VALUES"
          + " ('onnx-0', 'onnx', '{}', 'inactive', 1, 'seed')");
      try (Connection c = ds.getConnection();
          var ps = c.prepareStatement("INSERT INTO model_chunks (model_id, chunk, body) VALUES ('onnx-0', ?, ?)")) {
        for (int i = 0, n = 0; i < text.length(); i += 500_000, n++) {
          ps.setInt(1, n);
          ps.setString(2, text.substring(i, Math.min(text.length(), i + 500_000)));
          ps.executeUpdate();
        }
      }
      assertThat(models.artifact("onnx-0").body()).isEqualTo(onnx);
      models.deleteUnreferencedFiles();
      assertThat(models.artifact("onnx-1").body()).as("a named file survives the start-up clean-up").isEqualTo(onnx);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void policyVersionsAndListsPersist(TestDatabases.Store store) {
    try (HikariDataSource ds = store.open()) {
      FeatureCatalog catalog = new FeatureCatalog(FeatureConfig.defaults());
      PolicyRepository repo = new PolicyRepository(ds);
      PolicyService first = new PolicyService(repo, new RuleCompiler(catalog), TestClock.INSTANCE);
      assertThat(first.document().version()).isEqualTo(1);
      first.setEnabled("off_hours", false, "alice");
      PolicyService reopened = new PolicyService(repo, new RuleCompiler(catalog), TestClock.INSTANCE);
      assertThat(reopened.document().version()).isEqualTo(2);
      assertThat(reopened.rule("off_hours").orElseThrow().enabled()).isFalse();
      assertThat(repo.history(null, 10)).extracting(PolicyRepository.Version::createdBy).containsExactly("alice", "seed");
      assertThatThrownBy(() -> repo.insert(new PolicyRepository.Version(2, 0, "x", "dup", "{}")))
          .isInstanceOf(RuntimeException.class);

      ListRepository lists = new ListRepository(ds);
      ListEntry entry = new ListEntry("le_1", ListKind.BLOCK, ListEntity.IP, "203.0.113.0/24", "r", "s", "bob", 1, 0);
      lists.insert(entry, "bob", "{}");
      assertThatThrownBy(() -> lists.insert(new ListEntry("le_2", ListKind.BLOCK, ListEntity.IP, "203.0.113.0/24", "r", "s", "bob", 1, 0), "bob", "{}"))
          .isInstanceOf(ListRepository.DuplicateEntry.class);
      assertThat(lists.all()).containsExactly(entry);
      assertThat(lists.delete("le_1", "carol", 2, "{}")).isTrue();
      assertThat(lists.delete("le_1", "carol", 2, "{}")).isFalse();
      assertThat(lists.all()).isEmpty();
      assertThat(lists.changes("le_1", null, 10)).extracting(ListRepository.Change::operation, ListRepository.Change::actor)
          .containsExactly(Tuple.tuple("delete", "carol"), Tuple.tuple("create", "bob"));
      assertThat(lists.changes("le_2", null, 10)).isEmpty(); // the refused duplicate left no audit row
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void listEntriesPageByCursorAndAnImportIsAllOrNothing(TestDatabases.Store store) {
    try (HikariDataSource ds = store.open()) {
      ListRepository lists = new ListRepository(ds);
      // 23 entries over 5 creation times: entries of one millisecond (an import) share a time, so the cursor needs the id too.
      List<ListEntry> entries = new ArrayList<>();
      for (int i = 0; i < 23; i++) {
        entries.add(new ListEntry(String.format("le_%02d", (i * 7) % 23), ListKind.WATCH, ListEntity.MERCHANT, "m_" + i, "r", null,
            "bob", 1_000L + i % 5, 0));
      }
      lists.insertAll(entries, "bob", e -> "{}");
      List<ListEntry> expected = entries.stream().sorted(Comparator.comparingLong(ListEntry::createdAtMillis).reversed()
          .thenComparing(ListEntry::id)).toList();
      List<ListEntry> paged = new ArrayList<>();
      TimeCursor cursor = null;
      for (int page = 0; page < 10; page++) {
        List<ListEntry> rows = lists.page(ListKind.WATCH, ListEntity.MERCHANT, null, cursor, 4);
        paged.addAll(rows);
        if (rows.size() < 4) break;
        ListEntry last = rows.get(rows.size() - 1);
        cursor = new TimeCursor(last.createdAtMillis(), last.id());
      }
      assertThat(paged).containsExactlyElementsOf(expected);
      // Each entry is handed over with no connection held, so a slow reader (an export download) blocks no writer.
      List<ListEntry> each = new ArrayList<>();
      List<Integer> connectionsInUse = new ArrayList<>();
      lists.each(ListKind.WATCH, null, e -> {
        each.add(e);
        connectionsInUse.add(ds.getHikariPoolMXBean().getActiveConnections());
      });
      assertThat(each).containsExactlyElementsOf(expected);
      assertThat(connectionsInUse).containsOnly(0);
      assertThat(lists.findValues(ListKind.WATCH, ListEntity.MERCHANT, List.of("m_3", "m_99")).keySet()).containsExactly("m_3");
      Map<String, Long> createdAtMillis = entries.stream().collect(Collectors.toMap(ListEntry::id, ListEntry::createdAtMillis));
      assertThat(lists.changes(null, null, 100)).hasSize(23).allSatisfy(c -> {
        assertThat(c.operation()).isEqualTo("create");
        assertThat(c.atMillis()).isEqualTo(createdAtMillis.get(c.entryId())); // each change at its entry's creation
      });

      // A batch holding a value already stored is refused whole: its new entry and its change records are not written.
      List<ListEntry> clash = List.of(
          new ListEntry("le_new", ListKind.WATCH, ListEntity.MERCHANT, "m_new", null, null, "eve", 9_000L, 0),
          new ListEntry("le_dup", ListKind.WATCH, ListEntity.MERCHANT, "m_3", null, null, "eve", 9_000L, 0));
      assertThatThrownBy(() -> lists.insertAll(clash, "eve", e -> "{}")).isInstanceOf(ListRepository.DuplicateEntry.class);
      assertThat(lists.all()).hasSize(23).noneMatch(e -> e.id().equals("le_new"));
      assertThat(lists.changes(null, null, 100)).hasSize(23);
      long newest = lists.changes(null, null, 1).get(0).changeId();
      assertThat(lists.changes(null, newest, 100)).hasSize(22).allMatch(c -> c.changeId() < newest);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void pipelineStateSurvivesARestart(TestDatabases.Store store) throws Exception {
    try (HikariDataSource ds = store.open()) {
      FeatureConfig config = FeatureConfig.defaults();
      JournalRepository journal = new JournalRepository(ds);
      PolicyService policies = new PolicyService(new PolicyRepository(ds), new RuleCompiler(new FeatureCatalog(config)), TestClock.INSTANCE);
      long[] before;
      try (DecisionPipeline p = pipeline(ds, journal, config, policies)) {
        for (int i = 0; i < 300; i++) {
          Outcome o = submit(p, Events.payment("ev-" + i, "acc-" + (i % 7), 1_000 + i));
          assertThat(o).isInstanceOf(Outcome.Response.class);
        }
        before = p.engine().features().query(Entity.ACCOUNT, "acc-3", TestClock.INSTANCE.millis(), "USD");
      }
      try (DecisionPipeline p = pipeline(ds, journal, config, policies)) {
        long[] after = p.engine().features().query(Entity.ACCOUNT, "acc-3", TestClock.INSTANCE.millis(), "USD");
        assertThat(after).containsExactly(before);
        assertThat(after[0 * 7]).as("count_1m of acc-3").isEqualTo(43);
        assertThat(submit(p, Events.payment("ev-5", "acc-5", 1_005))).isInstanceOf(Outcome.Lookup.class);
        assertThat(submit(p, Events.payment("ev-new", "acc-5", 1))).isInstanceOf(Outcome.Response.class);
        assertThat(journal.count()).isEqualTo(301);
        assertThat(JournalVerifier.verify(journal).intact()).isTrue();
      }
    }
  }

  static DecisionPipeline pipeline(HikariDataSource ds, JournalRepository journal, FeatureConfig config, PolicyService policies) {
    return new DecisionPipeline(journal, ds, config, new ListIndex(), policies.active(), 1_024, 64, new SimpleMeterRegistry(),
        TestClock.INSTANCE);
  }

  static Outcome submit(DecisionPipeline p, Map<String, Object> body) throws Exception {
    String canonical = Json.canonical(body);
    CompletableFuture<Outcome> reply = p.submit(new DecisionPipeline.Submission(EventParser.parse(body), canonical,
        p.requestHash(canonical), System.nanoTime(), false, new CompletableFuture<>()));
    return reply.get(10, TimeUnit.SECONDS);
  }

  static void exec(HikariDataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
