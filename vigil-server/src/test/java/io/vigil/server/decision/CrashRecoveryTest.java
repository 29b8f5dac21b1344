package io.vigil.server.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.journal.VerifyJournalCommand;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestClockServer;
import io.vigil.server.support.TestKeys;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Starts Vigil as its own process, loads it, kills it with SIGKILL mid-load, restarts it on the
 * same data directory and checks that every acknowledged decision is there, byte for byte, and
 * that the velocity windows equal a recount of the journal.
 */
class CrashRecoveryTest {
  private static final int ACCOUNTS = 20;
  private static final int CLIENTS = 16;
  /** Acknowledged decisions to collect before the kill; the kill lands while more are in flight. */
  private static final int ACKED_BEFORE_KILL = 400;

  record Acked(Map<String, Object> body, String response) {}

  @Test
  void noAcknowledgedDecisionIsLostAndWindowsEqualARecount() throws Exception {
    Path dataDir = Files.createTempDirectory("vigil-crash-");
    int port = freePort();
    ApiClient api = new ApiClient("http://localhost:" + port);
    Map<String, Acked> acked = new ConcurrentHashMap<>();

    Process first = start(port, dataDir);
    try {
      awaitHealthy(api, first);
      // State beyond the windows that must survive too: a holder's lock, and two accounts sharing a phone.
      assertThat(api.post("/v1/accounts/acc-locked/lock", Map.of("reason", "stolen phone")).status()).isEqualTo(200);
      for (String account : List.of("acc-phone-1", "acc-phone-2")) {
        Map<String, Object> body = new java.util.HashMap<>(Events.payment("link-" + account, account, 500));
        body.put("phone", "+8801712345678");
        assertThat(api.post("/v1/decisions", body).status()).isEqualTo(200);
      }
      // Limits: one reservation that must survive, and one released reservation that must stay released.
      assertThat(api.post("/v1/decisions", scored("limit-held", "acc-limit-held", 150_00)).json().get("action")).isEqualTo("ALLOW");
      Map<String, Object> released = api.post("/v1/decisions", scored("limit-released", "acc-limit-released", 150_00)).json();
      assertThat(api.post("/v1/decisions/" + released.get("decision_id") + "/outcome", Map.of("outcome", "refunded")).status())
          .isEqualTo(200);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger counter = new AtomicInteger();
      AtomicInteger refusals = new AtomicInteger();
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      for (int c = 0; c < CLIENTS; c++) {
        clients.submit(() -> {
          while (!stop.get()) {
            int n = counter.incrementAndGet();
            Map<String, Object> body = Events.payment("crash-" + n, "acc-" + (n % ACCOUNTS), 100 + n);
            try {
              ApiClient.Reply r = api.post("/v1/decisions", body);
              if (r.status() == 200) acked.put((String) body.get("event_id"), new Acked(body, r.body()));
              else if (refusals.incrementAndGet() < 5) System.err.println("refused: " + r.status() + " " + r.body());
            } catch (RuntimeException connectionLost) {
              if (stop.get()) return;
            }
          }
        });
      }
      long deadline = System.currentTimeMillis() + 60_000;
      while (acked.size() < ACKED_BEFORE_KILL && System.currentTimeMillis() < deadline) Thread.sleep(20);
      first.destroyForcibly(); // SIGKILL while requests are in flight
      first.waitFor(10, TimeUnit.SECONDS);
      stop.set(true);
      clients.shutdown();
      assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      first.destroyForcibly();
    }
    assertThat(acked).hasSizeGreaterThanOrEqualTo(ACKED_BEFORE_KILL);

    Process second = start(port, dataDir);
    try {
      awaitHealthy(api, second);
      for (Acked a : acked.values()) {
        Map<String, Object> decision = new ApiClient.Reply(200, a.response(), null).json();
        ApiClient.Reply stored = api.get("/v1/decisions/" + decision.get("decision_id"));
        assertThat(stored.status()).as("acknowledged decision %s", decision.get("decision_id")).isEqualTo(200);
        assertThat(stored.json().get("decision")).isEqualTo(decision);
      }
      // Replays after the restart return the acknowledged bytes and count nothing twice.
      int replayed = 0;
      for (Acked a : acked.values()) {
        if (replayed++ == 200) break;
        ApiClient.Reply again = api.post("/v1/decisions", a.body());
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(a.response());
      }
      long at = TestClock.INSTANCE.millis();
      for (int i = 0; i < ACCOUNTS; i++) assertWindowsEqualRecount(api, "acc-" + i, at);
      assertStateBeyondTheWindowsSurvived(api);
    } finally {
      second.destroy();
      second.waitFor(30, TimeUnit.SECONDS);
      second.destroyForcibly();
    }
    assertThat(VerifyJournalCommand.run(new String[] {"verify-journal", "--data-dir", dataDir.toString()})).isZero();
  }

  /** A payment with credit score 300: the default pack caps its account's day at 200.00 USD. */
  private static Map<String, Object> scored(String eventId, String account, long amountMinor) {
    Map<String, Object> body = new java.util.HashMap<>(Events.payment(eventId, account, amountMinor));
    body.put("credit_score", 300);
    return body;
  }

  /** The lock and limit releases are read back from storage; the link graph and reservations are rebuilt from the journal. */
  @SuppressWarnings("unchecked")
  private static void assertStateBeyondTheWindowsSurvived(ApiClient api) {
    Map<String, Object> held = api.post("/v1/decisions", scored("after-restart-held", "acc-limit-held", 100_00)).json();
    assertThat(held.get("action")).as("150 reserved before the kill + 100 > 200: %s", held).isEqualTo("DENY");
    Map<String, Object> free = api.post("/v1/decisions", scored("after-restart-released", "acc-limit-released", 150_00)).json();
    assertThat(free.get("action")).as("the refunded 150 stays released: %s", free).isEqualTo("ALLOW");
    ApiClient.Reply locked = api.post("/v1/decisions", Events.payment("after-restart-locked", "acc-locked", 100));
    assertThat(locked.json().get("action")).isEqualTo("DENY");
    assertThat(((List<Map<String, Object>>) locked.json().get("reasons")).get(0).get("rule_id")).isEqualTo("restriction.freeze");
    Map<String, Object> links = api.get("/v1/accounts/acc-phone-1/links").json();
    List<Map<String, Object>> identifiers = (List<Map<String, Object>>) links.get("links");
    assertThat(identifiers).as("links of acc-phone-1 after restart: %s", links).hasSize(1);
    assertThat(identifiers.get(0)).containsEntry("kind", "phone").containsEntry("accounts_sharing", 1);
  }

  @SuppressWarnings("unchecked")
  private static void assertWindowsEqualRecount(ApiClient api, String account, long atMillis) {
    List<Map<String, Object>> events = new ArrayList<>();
    String cursor = "";
    while (true) {
      ApiClient.Reply page = api.get("/v1/decisions?limit=500&account_id=" + account + cursor);
      assertThat(page.status()).isEqualTo(200);
      for (Map<String, Object> row : (List<Map<String, Object>>) page.json().get("data")) {
        Map<String, Object> event = new java.util.HashMap<>((Map<String, Object>) row.get("event"));
        event.put("decided_action", ((Map<String, Object>) row.get("decision")).get("action"));
        events.add(event);
      }
      if (!(Boolean) page.json().get("has_more")) break;
      cursor = "&starting_after=" + page.json().get("next_cursor");
    }
    long count1m = 0, count1h = 0, sum1h = 0;
    for (Map<String, Object> e : events) {
      long t = Instant.parse((String) e.get("occurred_at")).toEpochMilli();
      if (t > atMillis) continue;
      if (t > atMillis - 60_000) count1m++;
      if (t > atMillis - 3_600_000) {
        count1h++;
        sum1h += ((Number) e.get("amount")).longValue();
      }
    }
    Map<String, Object> features = (Map<String, Object>) api.get(
        "/v1/features/account/" + account + "?currency=USD&at=" + Instant.ofEpochMilli(atMillis)).json().get("features");
    assertThat(((Number) features.get("count_1h")).longValue()).as("count_1h of %s", account).isEqualTo(count1h);
    assertThat(((Number) features.get("count_1m")).longValue()).as("count_1m of %s", account).isEqualTo(count1m);
    assertThat(((Number) features.get("sum_1h")).longValue()).as("sum_1h of %s", account).isEqualTo(sum1h);

    // The limit ledger: a probe payment sees exactly today's reserved spend (UTC day; denials hold nothing).
    long dayStart = atMillis - Math.floorMod(atMillis, 86_400_000L);
    long spentToday = 0;
    for (Map<String, Object> e : events) {
      if (Instant.parse((String) e.get("occurred_at")).toEpochMilli() >= dayStart && !"DENY".equals(e.get("decided_action"))) spentToday += ((Number) e.get("amount")).longValue();
    }
    Map<String, Object> probe = api.post("/v1/decisions", Events.payment("probe-" + account, account, 1)).json();
    Map<String, Object> daily = ((List<Map<String, Object>>) probe.get("limits")).stream()
        .filter(l -> "daily_password".equals(l.get("limit_id"))).findFirst().orElseThrow();
    assertThat(((Number) daily.get("used_minor")).longValue()).as("daily spend of %s", account).isEqualTo(spentToday);
  }

  private static Process start(int port, Path dataDir) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx512m"));
    command.addAll(TestClock.childOptions());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), TestClockServer.class.getName(), "--server.port=" + port,
        "--vigil.data-dir=" + dataDir));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(new File(dataDir.toFile(), "server-" + System.nanoTime() + ".log"));
    builder.environment().putAll(TestKeys.environment());
    return builder.start();
  }

  private static void awaitHealthy(ApiClient api, Process process) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 90_000;
    while (System.currentTimeMillis() < deadline) {
      assertThat(process.isAlive()).as("server process is running").isTrue();
      try {
        if (api.get("/actuator/health").status() == 200) return;
      } catch (RuntimeException notYet) {
        // still starting
      }
      Thread.sleep(200);
    }
    throw new AssertionError("server did not become healthy");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
