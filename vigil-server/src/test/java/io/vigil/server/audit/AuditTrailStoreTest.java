package io.vigil.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.server.storage.DurableCommit;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The audit trail's store and chain on both stores (embedded H2 and PostgreSQL): rows edited,
 * deleted, inserted or cut off with plain SQL are found at the right row; concurrent appenders (two
 * pools standing for two processes) still build one ordered chain; queries filter as documented.
 */
class AuditTrailStoreTest {
  static Stream<TestDatabases.Store> stores() {
    return Stream.of(TestDatabases.h2(), TestDatabases.postgres());
  }

  private static final String ADDRESS = "192.0.2.55"; // TEST-NET-1: documentation addresses, nobody's

  static AuditEntry entry(int i, String actor, String entityId, int status) {
    return AuditEntry.of(TestClock.now().toEpochMilli() + i, AuditEntry.OPERATOR, actor, null, ADDRESS, "test-agent/1",
        "PUT", "/v1/rules/{id}", "rule", entityId, "{\"id\":\"" + entityId + "\"}", "rule.update",
        "{\"version\":" + i + "}", "{\"version\":" + (i + 1) + "}", status, status >= 400 ? "permission_denied" : null);
  }

  static AuditRepository fill(HikariDataSource ds, int rows) {
    AuditRepository repo = new AuditRepository(ds, DurableCommit.SYNC);
    TestSeal seal = new TestSeal();
    for (int i = 1; i <= rows; i++) repo.append(List.of(entry(i, "op_" + (i % 2), "rule_" + i, i == 4 ? 403 : 200)), seal);
    return repo;
  }

  static AuditVerifier.Result verify(AuditRepository repo) {
    return AuditVerifier.verify(repo, 0, AuditHash.GENESIS);
  }

  static void sql(HikariDataSource ds, String... statements) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      for (String sql : statements) s.execute(sql);
    }
  }

  @ParameterizedTest
  @MethodSource("stores")
  void anIntactTrailVerifiesAndSealsTheAddress(TestDatabases.Store store) {
    try (HikariDataSource ds = store.open()) {
      AuditRepository repo = fill(ds, 6);
      AuditVerifier.Result r = verify(repo);
      assertThat(r.intact()).as("%s", r.finding()).isTrue();
      assertThat(r.rowsChecked()).isEqualTo(6);
      assertThat(r.headSeq()).isEqualTo(6);
      assertThat(r.headHash()).isEqualTo(repo.head().hash());
      AuditRow first = repo.queryAscending(AuditRepository.Filter.ALL, 0, 1).get(0);
      assertThat(first.entry().sourceIp()).doesNotContain(ADDRESS).isNotBlank();
    }
  }

  @ParameterizedTest
  @MethodSource("stores")
  void anEditedRowIsFound(TestDatabases.Store store) throws SQLException {
    try (HikariDataSource ds = store.open()) {
      AuditRepository repo = fill(ds, 6);
      sql(ds, "UPDATE audit_trail SET status = 200, error_code = NULL WHERE seq = 4");
      AuditVerifier.Result r = verify(repo);
      assertThat(r.finding().kind()).isEqualTo("altered");
      assertThat(r.finding().seq()).isEqualTo(4);
    }
  }

  @ParameterizedTest
  @MethodSource("stores")
  void aDeletedRowIsFound(TestDatabases.Store store) throws SQLException {
    try (HikariDataSource ds = store.open()) {
      AuditRepository repo = fill(ds, 6);
      sql(ds, "DELETE FROM audit_trail WHERE seq = 3");
      AuditVerifier.Result r = verify(repo);
      assertThat(r.finding().kind()).isEqualTo("deleted");
      assertThat(r.finding().seq()).isEqualTo(3);
    }
  }

  @ParameterizedTest
  @MethodSource("stores")
  void aRowCutOffTheEndIsFoundAgainstTheWritersHead(TestDatabases.Store store) throws SQLException {
    try (HikariDataSource ds = store.open()) {
      AuditRepository repo = fill(ds, 6);
      sql(ds, "DELETE FROM audit_trail WHERE seq = 6");
      AuditVerifier.Result r = verify(repo);
      assertThat(r.finding().kind()).isEqualTo("deleted");
      assertThat(r.finding().seq()).isEqualTo(6);
    }
  }

  /** A forged row with a correct hash of its own, put in the middle by renumbering the rows after it. */
  @ParameterizedTest
  @MethodSource("stores")
  void anInsertedRowIsFound(TestDatabases.Store store) throws SQLException {
    try (HikariDataSource ds = store.open()) {
      AuditRepository repo = fill(ds, 6);
      AuditRow second = repo.queryAscending(AuditRepository.Filter.ALL, 1, 1).get(0);
      AuditEntry forged = entry(99, "op_forged", "rule_forged", 200);
      String hash = AuditHash.of(3, forged, second.hash());
      sql(ds, "UPDATE audit_trail SET seq = seq + 100 WHERE seq >= 3", "UPDATE audit_trail SET seq = seq - 99 WHERE seq >= 103");
      sql(ds, "INSERT INTO audit_trail (seq, at_millis, actor_kind, actor_id, source_ip, user_agent, method, route, entity_type,"
          + " entity_id, path_params, action, before_json, after_json, status, prev_hash, hash) VALUES (3, " + forged.atMillis()
          + ", 'operator', 'op_forged', '" + forged.sourceIp() + "', 'test-agent/1', 'PUT', '/v1/rules/{id}', 'rule', 'rule_forged',"
          + " '{\"id\":\"rule_forged\"}', 'rule.update', '{\"version\":99}', '{\"version\":100}', 200, '" + second.hash() + "', '"
          + hash + "')");
      AuditVerifier.Result r = verify(repo);
      assertThat(r.finding().kind()).isEqualTo("inserted");
      assertThat(r.finding().seq()).isEqualTo(4);
    }
  }

  @ParameterizedTest
  @MethodSource("stores")
  void verificationStartsFromAnArchivedHead(TestDatabases.Store store) throws SQLException {
    try (HikariDataSource ds = store.open()) {
      AuditRepository repo = fill(ds, 6);
      AuditRow third = repo.queryAscending(AuditRepository.Filter.ALL, 2, 1).get(0);
      assertThat(AuditVerifier.verify(repo, 3, third.hash()).intact()).as("nothing archived yet").isTrue();
      assertThat(AuditVerifier.verify(repo, 3, "f".repeat(64)).finding().kind()).isEqualTo("altered");
      sql(ds, "DELETE FROM audit_trail WHERE seq <= 3");
      AuditVerifier.Result r = AuditVerifier.verify(repo, 3, third.hash());
      assertThat(r.intact()).as("%s", r.finding()).isTrue();
      assertThat(r.rowsChecked()).isEqualTo(3);
      assertThat(verify(repo).finding().kind()).as("without the archived head").isEqualTo("deleted");
      assertThat(AuditVerifier.verify(repo, 3, "e".repeat(64)).finding().kind()).isEqualTo("inserted");
    }
  }

  /** Two pools (two processes on one database) and several threads append at once: one chain, no gap. */
  @ParameterizedTest
  @MethodSource("stores")
  void concurrentAppendersBuildOneOrderedChain(TestDatabases.Store store) {
    try (HikariDataSource a = store.open(); HikariDataSource b = store.open()) {
      TestSeal seal = new TestSeal();
      List<CompletableFuture<Void>> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        AuditRepository repo = new AuditRepository(w % 2 == 0 ? a : b, DurableCommit.OFF);
        int writer = w;
        writers.add(CompletableFuture.runAsync(() -> {
          for (int i = 0; i < 25; i++) repo.append(List.of(entry(i, "op_" + writer, "rule_" + i, 200), entry(i, "op_" + writer, "x", 200)), seal);
        }));
      }
      writers.forEach(CompletableFuture::join);
      AuditRepository repo = new AuditRepository(a, DurableCommit.OFF);
      AuditVerifier.Result r = verify(repo);
      assertThat(r.intact()).as("%s", r.finding()).isTrue();
      assertThat(r.rowsChecked()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @MethodSource("stores")
  void queriesFilterByActorEntityOutcomeAndTime(TestDatabases.Store store) {
    try (HikariDataSource ds = store.open()) {
      AuditRepository repo = fill(ds, 6);
      long t0 = TestClock.now().toEpochMilli(); // entries are at t0 + i, give or take the clock's progress
      assertThat(repo.query(new AuditRepository.Filter("op_1", null, null, null, null, null, null, null), null, 10))
          .extracting(row -> row.entry().entityId()).containsExactly("rule_5", "rule_3", "rule_1");
      assertThat(repo.query(new AuditRepository.Filter(null, null, "rule", "rule_2", null, null, null, null), null, 10))
          .extracting(AuditRow::seq).containsExactly(2L);
      assertThat(repo.query(new AuditRepository.Filter(null, null, null, null, null, AuditRepository.Outcome.DENIED, null, null),
          null, 10)).extracting(AuditRow::seq).containsExactly(4L);
      List<AuditRow> all = repo.query(AuditRepository.Filter.ALL, null, 10);
      long third = all.get(3).entry().atMillis();
      assertThat(repo.query(new AuditRepository.Filter(null, null, null, null, null, null, third, null), null, 10))
          .allMatch(row -> row.entry().atMillis() >= third).isNotEmpty();
      assertThat(repo.query(AuditRepository.Filter.ALL, 4L, 2)).extracting(AuditRow::seq).containsExactly(3L, 2L);
      assertThat(t0).isPositive();
    }
  }
}
