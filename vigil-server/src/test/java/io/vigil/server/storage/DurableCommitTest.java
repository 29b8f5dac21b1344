package io.vigil.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.ChildServer;
import io.vigil.server.support.Events;
import io.vigil.server.support.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A decision that was answered is on disk: the committer syncs every group commit before its
 * replies, and a server killed with SIGKILL right after its last reply finds every acknowledged
 * decision in its journal when it starts again. On PostgreSQL, Vigil's connections commit
 * synchronously even where the server or role turned {@code synchronous_commit} off.
 */
class DurableCommitTest {
  private static final int CLIENTS = 8;
  private static final int DECISIONS_PER_CLIENT = 40;
  /** A busy machine must not turn into 503s: generous budgets, and a 503 is retried with the same event id. */
  private static final List<String> PATIENT = List.of("--vigil.decisions.admission-budget-millis=30000",
      "--vigil.decisions.reply-timeout-millis=60000");

  private record Acknowledged(String decisionId, String action) {}

  @Test
  void everyAcknowledgedDecisionSurvivesSigkillAndEachBatchWasSynced() throws Exception {
    Path dataDir = Files.createTempDirectory("vigil-durable-");
    List<Acknowledged> acknowledged = new ArrayList<>();
    ChildServer first = ChildServer.start(dataDir, List.of("-Xmx384m"), PATIENT);
    try {
      first.awaitHealthy();
      // Several clients at once, so that group commits of more than one decision form.
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      try {
        List<Future<List<Acknowledged>>> futures = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          int client = c;
          futures.add(clients.submit(() -> decide(first.api, client)));
        }
        for (Future<List<Acknowledged>> f : futures) acknowledged.addAll(f.get());
      } finally {
        clients.shutdown();
      }
      String metrics = first.api.get("/actuator/prometheus").body();
      double batches = metric(metrics, "vigil_commit_batch_size_count");
      double syncs = metric(metrics, "vigil_commit_sync_seconds_count");
      assertThat(metric(metrics, "vigil_commit_batch_size_sum")).isEqualTo(CLIENTS * DECISIONS_PER_CLIENT);
      assertThat(syncs).as("one sync per group commit").isEqualTo(batches).isPositive();

      // No shutdown hook, no close of the store: the process dies as in a crash.
      first.process().destroyForcibly();
      assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      if (first.process().isAlive()) first.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    try (ChildServer second = ChildServer.start(dataDir, List.of("-Xmx384m"), PATIENT)) {
      second.awaitHealthy();
      assertThat(acknowledged).hasSize(CLIENTS * DECISIONS_PER_CLIENT);
      for (Acknowledged a : acknowledged) {
        ApiClient.Reply r = second.api.get("/v1/decisions/" + a.decisionId());
        assertThat(r.status()).as("decision %s after the kill: %s", a.decisionId(), r.body()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> decision = (Map<String, Object>) r.json().get("decision");
        assertThat(decision.get("action")).isEqualTo(a.action());
      }
    }
  }

  private static List<Acknowledged> decide(ApiClient api, int client) {
    List<Acknowledged> out = new ArrayList<>();
    for (int i = 0; i < DECISIONS_PER_CLIENT; i++) {
      Map<String, Object> event = Events.payment("durable-" + client + "-" + i, "acct-" + client, 100 + i);
      ApiClient.Reply r = api.post("/v1/decisions", event);
      // A 503 was not acknowledged (it may or may not be stored); the same event id again gets the stored answer.
      for (int attempt = 0; r.status() == 503 && attempt < 20; attempt++) r = api.post("/v1/decisions", event);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      out.add(new Acknowledged((String) r.json().get("decision_id"), (String) r.json().get("action")));
    }
    return out;
  }

  private static double metric(String prometheus, String name) {
    return prometheus.lines().filter(l -> l.startsWith(name + " ")).findFirst()
        .map(l -> Double.parseDouble(l.substring(name.length() + 1).trim()))
        .orElseThrow(() -> new AssertionError("no metric " + name));
  }

  @Test
  void postgresConnectionsCommitSynchronouslyEvenWhenTheSessionDefaultIsOff() throws SQLException {
    TestDatabases.Store store = TestDatabases.postgres();
    String off = store.url() + "&options=-c%20synchronous_commit%3Doff";
    try (HikariDataSource durable = Storage.open(off, store.username(), "", 2, "durable", true);
        HikariDataSource asConfigured = Storage.open(off, store.username(), "", 2, "as-configured", false)) {
      assertThat(show(durable, "synchronous_commit")).isEqualTo("on");
      assertThat(show(asConfigured, "synchronous_commit")).isEqualTo("off");
    }
    String stronger = store.url() + "&options=-c%20synchronous_commit%3Dremote_apply";
    try (HikariDataSource durable = Storage.open(stronger, store.username(), "", 2, "stronger", true)) {
      assertThat(show(durable, "synchronous_commit")).as("a stronger setting is kept").isEqualTo("remote_apply");
    }
  }

  private static String show(HikariDataSource ds, String setting) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW " + setting)) {
      r.next();
      return r.getString(1);
    }
  }
}
