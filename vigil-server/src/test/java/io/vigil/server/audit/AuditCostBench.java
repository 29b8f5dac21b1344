package io.vigil.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.server.storage.DurableCommit;
import io.vigil.server.storage.Storage;
import io.vigil.server.support.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the audit trail costs: rows a second appended one per transaction (an operator's action) and
 * 256 per transaction (the writer under a burst of refusals), with durable commits; bytes a row on
 * disk (PostgreSQL: table and indexes; H2: the store file's growth); verification rows a second. Rows
 * are typical: a rule update with its before and after (about 600 characters of JSON). Not part of
 * the test suite (the class name does not end in Test):
 * <pre>
 * ./mvnw -q -B verify -pl vigil-server -am -Dtest=AuditCostBench -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class AuditCostBench {
  private static final int SINGLE_ROWS = 500;
  private static final int BATCHED_ROWS = 20_000;

  static AuditEntry typical(int i) {
    String rule = "{\"description\":\"Large payment from a new device\",\"effect\":{\"points\":" + (i % 50)
        + "},\"enabled\":true,\"event_types\":[\"payment\"],\"expression\":\"event.amount > 1000000 && features.device_age_days < 2\","
        + "\"id\":\"large_new_device\",\"reason\":\"A large payment from a device seen for the first time\"}";
    return AuditEntry.of(1_773_151_200_000L + i, AuditEntry.OPERATOR, "ops.karim", null, "203.0.113.7",
        "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0", "PUT", "/v1/rules/{id}", "rule", "large_new_device",
        "{\"id\":\"large_new_device\"}", "rule.update", "{\"policy_version\":" + i + ",\"rule\":" + rule + "}",
        "{\"policy_version\":" + (i + 1) + ",\"rule\":" + rule + "}", 200, null);
  }

  @Test
  void appendSizeAndVerify() throws Exception {
    Path h2Dir = Files.createTempDirectory("vigil-audit-bench-");
    TestDatabases.Store h2 = new TestDatabases.Store("h2", Storage.embeddedUrl(h2Dir.toString()), "");
    for (TestDatabases.Store store : Stream.of(h2, TestDatabases.postgres()).toList()) {
      try (HikariDataSource ds = store.open()) {
        AuditRepository repo = new AuditRepository(ds, DurableCommit.SYNC);
        TestSeal seal = new TestSeal();
        long h2Before = store.name().equals("h2") ? Files.size(h2Dir.resolve("vigil.mv.db")) : 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < SINGLE_ROWS; i++) repo.append(List.of(typical(i)), seal);
        long t1 = System.nanoTime();
        List<AuditEntry> batch = new ArrayList<>(256);
        for (int i = 0; i < BATCHED_ROWS; i++) {
          batch.add(typical(i));
          if (batch.size() == 256) {
            repo.append(batch, seal);
            batch.clear();
          }
        }
        repo.append(batch, seal);
        long t2 = System.nanoTime();
        AuditVerifier.Result r = AuditVerifier.verify(repo, 0, AuditHash.GENESIS);
        long t3 = System.nanoTime();
        assertThat(r.intact()).isTrue();
        long rows = SINGLE_ROWS + BATCHED_ROWS;
        long bytes;
        if (store.name().equals("h2")) {
          try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CHECKPOINT SYNC");
          }
          bytes = Files.size(h2Dir.resolve("vigil.mv.db")) - h2Before;
        } else {
          try (Connection c = ds.getConnection(); Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("SELECT pg_total_relation_size('audit_trail')")) {
            rs.next();
            bytes = rs.getLong(1);
          }
        }
        System.out.printf("%s: one row a transaction %.0f rows/s; 256 a transaction %.0f rows/s; %d bytes a row on disk;"
            + " verification %.0f rows/s%n", store.name(), SINGLE_ROWS / ((t1 - t0) / 1e9), BATCHED_ROWS / ((t2 - t1) / 1e9),
            bytes / rows, rows / ((t3 - t2) / 1e9));
      }
    }
  }
}
