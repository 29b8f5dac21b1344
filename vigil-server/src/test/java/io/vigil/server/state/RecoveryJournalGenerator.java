package io.vigil.server.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.hash.Hashing;
import com.zaxxer.hikari.HikariDataSource;
import io.vigil.engine.feature.FeatureCatalog;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.journal.HashChain;
import io.vigil.engine.journal.JournalRecord;
import io.vigil.engine.rule.RuleCompiler;
import io.vigil.server.api.Json;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.policy.PolicyRepository;
import io.vigil.server.policy.PolicyService;
import io.vigil.server.storage.Storage;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Writes a large journal straight into a store, for the recovery benchmark
 * (scripts/recovery-bench.sh, docs/performance.md "Checkpoints and recovery"): a valid hash chain
 * (the start verifies it) of payments, logins and transfers over 200,000 accounts at 50,000 events
 * a day, ending now, so that a longer journal is a longer history and the state (the last 30 days)
 * is the same size. Decisions are a fixed ALLOW answer: recovery replays events, not answers, and
 * deciding is not what is measured. Not part of the test suite (the name does not end in Test):
 * <pre>
 * VIGIL_BENCH_ROWS=2000000 VIGIL_BENCH_URL=jdbc:h2:file:/tmp/x/vigil VIGIL_BENCH_USER=sa \
 *   ./mvnw -o -q -B verify -pl vigil-server -am -Dtest=RecoveryJournalGenerator -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class RecoveryJournalGenerator {
  static final long EVENTS_PER_DAY = 50_000;
  static final int ACCOUNTS = 200_000;
  static final int BATCH_ROWS = 5_000;

  @Test
  void generate() throws Exception {
    long rows = Long.parseLong(System.getenv().getOrDefault("VIGIL_BENCH_ROWS", "10000"));
    String url = System.getenv("VIGIL_BENCH_URL");
    String user = System.getenv().getOrDefault("VIGIL_BENCH_USER", "sa");
    try (HikariDataSource ds = Storage.open(url, user, "", 2, "generator")) {
      Storage.migrate(ds);
      // The server's own default policy, stored as it would be at its first start.
      long policyVersion = (new PolicyService(new PolicyRepository(ds),
          new RuleCompiler(new FeatureCatalog(FeatureConfig.defaults())), Clock.systemUTC()).active().version());
      JournalRepository journal = new JournalRepository(ds);
      JournalRepository.Head head = journal.head();
      assertThat(head.sequence()).as("the store's journal must be empty").isZero();
      long nowMillis = System.currentTimeMillis();
      long stepMillis = 86_400_000L / EVENTS_PER_DAY;
      long firstMillis = nowMillis - rows * stepMillis - 60_000;
      SplittableRandom r = new SplittableRandom(20261206);
      String previous = HashChain.GENESIS;
      long startNanos = System.nanoTime();
      List<JournalRow> batch = new ArrayList<>(BATCH_ROWS);
      try (Connection c = ds.getConnection()) {
        c.setAutoCommit(false);
        for (long seq = 1; seq <= rows; seq++) {
          long t = firstMillis + seq * stepMillis;
          String eventId = "bench-" + seq;
          String account = "acc-" + r.nextInt(ACCOUNTS);
          int kind = r.nextInt(10);
          String type = kind < 2 ? "login" : kind < 9 ? "payment" : "transfer";
          Map<String, Object> e = new TreeMap<>();
          e.put("event_id", eventId);
          e.put("type", type);
          e.put("occurred_at", Instant.ofEpochMilli(t).toString());
          e.put("account_id", account);
          e.put("ip", "10." + r.nextInt(64) + "." + r.nextInt(256) + "." + r.nextInt(256));
          e.put("device", Map.of("id", "dev-" + (account.hashCode() & 0x3ffff) + "-" + r.nextInt(2)));
          Long amount = null;
          if (!type.equals("login")) {
            amount = 100L + r.nextInt(500_000);
            e.put("amount", amount);
            e.put("currency", "USD");
            e.put("merchant_id", "m-" + r.nextInt(20_000));
          } else {
            e.put("login", Map.of("success", r.nextInt(10) != 0));
          }
          String canonical = Json.canonical(e);
          String requestHash = Hashing.sha256().hashString(canonical, StandardCharsets.UTF_8).toString();
          String decisionId = String.format("dec_%011x%016x", t, seq);
          Map<String, Object> response = new LinkedHashMap<>();
          response.put("decision_id", decisionId);
          response.put("event_id", eventId);
          response.put("action", "ALLOW");
          response.put("score", 0);
          response.put("risk_level", "LOW");
          response.put("reasons", List.of());
          response.put("policy_version", policyVersion);
          String responseJson = Json.write(response);
          String hash = HashChain.hash(previous, seq, decisionId, eventId, t, policyVersion, requestHash, canonical, responseJson);
          JournalRecord record = new JournalRecord(seq, decisionId, eventId, t, policyVersion, requestHash, canonical, responseJson,
              previous, hash);
          batch.add(new JournalRow(record, type, account, (String) e.get("merchant_id"), t, "ALLOW", 0, "low", amount,
              amount == null ? null : "USD"));
          previous = hash;
          if (batch.size() == BATCH_ROWS || seq == rows) {
            JournalRepository.insertBatch(c, batch);
            c.commit();
            batch.clear();
          }
          if (seq % 1_000_000 == 0) {
            System.out.printf("%,d rows, %,.0f rows/s%n", seq, seq / ((System.nanoTime() - startNanos) / 1e9));
          }
        }
      }
      System.out.printf("generated %,d rows in %.1f s; head hash %s%n", rows, (System.nanoTime() - startNanos) / 1e9, previous);
      assertThat(journal.head().sequence()).isEqualTo(rows);
    }
  }
}
