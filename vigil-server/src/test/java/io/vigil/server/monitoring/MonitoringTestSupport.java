package io.vigil.server.monitoring;

import static io.vigil.server.api.ApiTestSupport.data;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.server.api.ApiTestSupport;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Events through the real decision API, and bounded waits for the monitor that follows the journal. */
final class MonitoringTestSupport {
  /** How long a test waits for the monitor (it polls every 100 ms in tests) to process a decision. */
  private static final Duration MONITOR_WAIT_MAX = Duration.ofSeconds(30);
  private static final long POLL_MILLIS = 100;
  private static final int RETRIES_MAX = 3;

  private final ApiClient api;

  MonitoringTestSupport(ApiClient api) {
    this.api = api;
  }

  /** Posts an event now (test clock); its decision id. {@code extra} adds fields (device, phone...). */
  String event(String type, String account, String counterparty, long amountMinor, String currency, Map<String, Object> extra) {
    Map<String, Object> body = new HashMap<>(Map.of("event_id", ApiTestSupport.id("ev"), "type", type,
        "occurred_at", TestClock.now().toString(), "account_id", account));
    if (counterparty != null) body.put("counterparty_id", counterparty);
    if (amountMinor > 0) {
      body.put("amount", amountMinor);
      body.put("currency", currency);
    }
    body.putAll(extra);
    ApiClient.Reply r = api.post("/v1/decisions", body);
    // A checkpoint after a test-clock jump can hold the sequencer past the admission budget: a
    // client retries the same event (same id: idempotent), as the 503 asks.
    for (int retry = 0; r.status() == 503 && retry < RETRIES_MAX; retry++) r = api.post("/v1/decisions", body);
    assertEquals(200, r.status(), r.body());
    return (String) r.json().get("decision_id");
  }

  String transfer(String from, String to, long amountMinor) {
    return event("transfer", from, to, amountMinor, "USD", Map.of());
  }

  /** The alerts of the scenario on the account, once the monitor has processed the decision (bounded wait). */
  List<Map<String, Object>> alertsAfter(String decisionId, String scenarioId, String account) {
    long sequence = sequenceOf(decisionId);
    waitUntil(() -> ((Number) api.get("/v1/monitoring/status").json().get("processed_sequence")).longValue() >= sequence,
        "the monitor to process " + decisionId);
    return data(api.get("/v1/monitoring/alerts?scenario_id=" + scenarioId + "&account_id=" + account));
  }

  /** The one alert of the scenario on the account after the decision; fails if there is none. */
  Map<String, Object> alert(String decisionId, String scenarioId, String account) {
    List<Map<String, Object>> alerts = alertsAfter(decisionId, scenarioId, account);
    assertEquals(1, alerts.size(), "alerts of " + scenarioId + ": " + alerts);
    ApiClient.Reply r = api.get("/v1/monitoring/alerts/" + alerts.get(0).get("alert_id"));
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  private long sequenceOf(String decisionId) {
    long[] seq = {-1};
    waitUntil(() -> {
      ApiClient.Reply r = api.get("/v1/decisions/" + decisionId);
      if (r.status() != 200) return false;
      seq[0] = ((Number) r.json().get("sequence")).longValue();
      return true;
    }, "decision " + decisionId + " in the journal");
    return seq[0];
  }

  interface Check {
    boolean holds();
  }

  static void waitUntil(Check check, String what) {
    long deadline = System.nanoTime() + MONITOR_WAIT_MAX.toNanos();
    while (System.nanoTime() < deadline) {
      if (check.holds()) return;
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("timed out waiting for " + what);
  }

  @SuppressWarnings("unchecked")
  static List<String> decisionIds(Map<String, Object> alert) {
    return (List<String>) alert.get("decision_ids");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> evidence(Map<String, Object> alert) {
    return (Map<String, Object>) alert.get("evidence");
  }
}
