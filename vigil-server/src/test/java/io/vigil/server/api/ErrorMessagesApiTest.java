package io.vigil.server.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestClock;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Error messages never repeat what the client sent: an id, a value, a field or parameter name it
 * made up. Each request carries a marker nobody else sends; a refused answer may name the field in
 * {@code param} (so a made-up field name may be there), but the marker is nowhere else in it.
 */
class ErrorMessagesApiTest extends SharedServerBase {
  private static final String MARKER = marker();

  /** A request with the marker in place; markerInParam when the marker is a field name the param must name. */
  private record Case(String name, Function<String, ApiClient.Reply> send, boolean markerInParam) {}

  @Test
  void noErrorMessageRepeatsAClientValue() {
    List<Case> cases = new ArrayList<>();
    cases.addAll(madeUpNames());
    cases.addAll(ids());
    cases.addAll(values());
    List<String> failures = new ArrayList<>();
    for (Case c : cases) {
      try {
        check(c);
      } catch (AssertionError e) {
        failures.add(e.getMessage());
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
    assertTrue(cases.size() >= 40, "cases: " + cases.size());
  }

  private void check(Case c) {
    {
      ApiClient.Reply r = c.send().apply(MARKER);
      assertTrue(r.status() >= 400 && r.status() < 500, c.name() + ": refused with a 4xx: " + r.status() + " " + r.body());
      Map<String, Object> error = r.error();
      assertFalse(String.valueOf(error.get("message")).contains(MARKER), c.name() + ": the message repeats the value: " + r.body());
      if (c.markerInParam()) {
        assertTrue(String.valueOf(error.get("param")).contains(MARKER), c.name() + ": param names the made-up field: " + r.body());
        assertFalse(r.body().replaceFirst("\"param\":\"[^\"]*\"", "").contains(MARKER), c.name() + ": only param names it: " + r.body());
      } else {
        assertFalse(r.body().contains(MARKER), c.name() + ": the answer repeats the value: " + r.body());
      }
    }
  }

  /** Field and parameter names the client made up. */
  private List<Case> madeUpNames() {
    List<Case> c = new ArrayList<>();
    c.add(new Case("feedback field", m -> api.post("/v1/feedback", Map.of(m, 1)), true));
    c.add(new Case("restriction field", m -> api.post("/v1/accounts/acct_e1/restrictions", Map.of("kind", "freeze", m, 1)), true));
    c.add(new Case("list entry field", m -> api.post("/v1/lists/entries", Map.of("list", "block", "entity", "ip", "value",
        "198.51.100.7", m, 1)), true));
    c.add(new Case("rule field", m -> api.post("/v1/rules", Map.of("id", "r_e1", m, 1)), true));
    c.add(new Case("threshold field", m -> api.put("/v1/policy/thresholds", Map.of("default", Map.of(m, 1))), true));
    c.add(new Case("thresholds event type", m -> api.put("/v1/policy/thresholds", Map.of("default", Map.of("challenge", 40,
        "review", 60, "deny", 80, "medium", 30, "high", 60, "critical", 80, "challenge_kind", "sms_otp"), m, Map.of())), true));
    c.add(new Case("weights field", m -> api.put("/v1/policy/weights", Map.of("weights", Map.of("rules", 1, "model", 0, m, 0))), true));
    c.add(new Case("policy body field", m -> api.put("/v1/policy/limits", Map.of(m, List.of())), true));
    c.add(new Case("scorecard field", m -> api.put("/v1/scorecards/sc_e1", Map.of(m, 1)), true));
    c.add(new Case("limit field", m -> api.post("/v1/policy/limits", Map.of("limit", Map.of("id", "l_e1", m, 1))), true));
    c.add(new Case("hold field", m -> api.put("/v1/policy/holds", Map.of("holds", List.of(Map.of("id", "h_e1", m, 1)))), true));
    c.add(new Case("training parameter", m -> api.post("/v1/models/train", Map.of("from", TestClock.now().toString(),
        "params", Map.of(m, 1))), true));
    c.add(new Case("event field", m -> api.post("/v1/decisions", event(e -> e.put(m, 1))), true));
    c.add(new Case("event device field", m -> api.post("/v1/decisions", event(e -> e.put("device", Map.of(m, "x")))), true));
    c.add(new Case("event attribute too long", m -> api.post("/v1/decisions", event(e -> e.put("attributes",
        Map.of(m, "x".repeat(10_000))))), true));
    c.add(new Case("event attribute of a wrong type", m -> api.post("/v1/decisions", event(e -> e.put("attributes",
        Map.of(m, List.of(1))))), true));
    c.add(new Case("query parameter", m -> api.get("/v1/decisions?" + m + "=1"), true));
    c.add(new Case("query parameter on a change", m -> api.post("/v1/lists/entries?" + m + "=1", Map.of()), true));
    c.add(new Case("CSV column", m -> importCsv("list,entity,value," + m + "\r\nblock,ip,198.51.100.8,x\r\n"), true));
    c.add(new Case("JSON import entry field", m -> ApiTestSupport.send(base, "POST", "/v1/lists/import?format=json",
        "application/json", ApiClient.json(Map.of("entries", List.of(Map.of("list", "block", "entity", "ip", "value", "198.51.100.9",
            m, 1)))).getBytes(StandardCharsets.UTF_8)), true));
    return c;
  }

  /** Ids that name nothing, in paths and bodies. */
  private List<Case> ids() {
    List<Case> c = new ArrayList<>();
    for (String path : List.of("/v1/rules/", "/v1/scorecards/", "/v1/decisions/", "/v1/models/", "/v1/lists/entries/",
        "/v1/policy/limits/", "/v1/policy/versions/")) {
      c.add(new Case("GET " + path + "{id}", m -> api.get(path + m), false));
    }
    c.add(new Case("hold of no decision", m -> api.get("/v1/decisions/" + m + "/hold"), false));
    c.add(new Case("features of no decision", m -> api.get("/v1/decisions/" + m + "/features"), false));
    c.add(new Case("disable no rule", m -> api.post("/v1/rules/" + m + "/disable", Map.of()), false));
    c.add(new Case("enable no scorecard", m -> api.post("/v1/scorecards/" + m + "/enable", Map.of()), false));
    c.add(new Case("delete no limit", m -> api.delete("/v1/policy/limits/" + m), false));
    c.add(new Case("delete no list entry", m -> api.delete("/v1/lists/entries/" + m), false));
    c.add(new Case("role of no model", m -> api.post("/v1/models/" + m + "/role", Map.of("role", "shadow")), false));
    c.add(new Case("feedback on no decision", m -> api.post("/v1/feedback", Map.of("label_id", "lab_e1", "decision_id", m,
        "kind", "fraud")), false));
    c.add(new Case("approval of no decision", m -> api.post("/v1/decisions/" + m + "/approvals",
        Map.of("approver_id", "ops_e1", "role", "approver")), false));
    c.add(new Case("challenge result of no decision", m -> api.post("/v1/decisions/" + m + "/challenge-result",
        Map.of("result", "passed")), false));
    c.add(new Case("reversal of no decision", m -> api.post("/v1/decisions/" + m + "/reversal-request", Map.of()), false));
    c.add(new Case("outcome of no decision", m -> api.post("/v1/decisions/" + m + "/outcome", Map.of("outcome", "refunded")), false));
    c.add(new Case("lift of no restriction", m -> api.post("/v1/accounts/acct_e1/restrictions/" + m + "/lift",
        Map.of("reason", "x")), false));
    c.add(new Case("rule that does not compile, by its id", m -> api.post("/v1/rules", Map.of("id", m, "expression",
        "event.amount >", "reason", "x", "effect", Map.of("points", 1))), false));
    c.add(new Case("scorecard that does not compile, by its id", m -> api.put("/v1/scorecards/" + m, Map.of("factors", List.of(),
        "admit_at", 70, "review_at", 40)), false));
    c.add(new Case("two limits with one id", m -> {
      Map<String, Object> limit = Map.of("id", m, "period", "daily", "currency", "USD", "amount_minor", 100, "breach_action", "DENY");
      return api.put("/v1/policy/limits", Map.of("limits", List.of(limit, limit)));
    }, false));
    return c;
  }

  /** Values that are refused. */
  private List<Case> values() {
    List<Case> c = new ArrayList<>();
    c.add(new Case("restriction kind", m -> api.post("/v1/accounts/acct_e1/restrictions", Map.of("kind", m, "reason", "x")), false));
    c.add(new Case("list kind", m -> api.post("/v1/lists/entries", Map.of("list", m, "entity", "ip", "value", "198.51.100.1")), false));
    c.add(new Case("list entity", m -> api.post("/v1/lists/entries", Map.of("list", "block", "entity", m, "value", "x")), false));
    c.add(new Case("list value", m -> api.post("/v1/lists/entries", Map.of("list", "block", "entity", "ip", "value", m)), false));
    c.add(new Case("event type", m -> api.post("/v1/decisions", event(e -> e.put("type", m))), false));
    c.add(new Case("event currency", m -> api.post("/v1/decisions", event(e -> e.put("currency", m))), false));
    c.add(new Case("event time", m -> api.post("/v1/decisions", event(e -> e.put("occurred_at", m))), false));
    c.add(new Case("hold expiry action", m -> api.put("/v1/policy/holds", Map.of("holds", List.of(Map.of("id", "h_e1",
        "amount_over", 100, "approvals_required", 1, "deadline_minutes", 60, "expiry_action", m)))), false));
    c.add(new Case("hold role", m -> api.put("/v1/policy/holds", Map.of("holds", List.of(Map.of("id", "h_e1",
        "amount_over", 100, "required_roles", Map.of(m, 1), "approvals_required", 1, "deadline_minutes", 60,
        "expiry_action", "DENY")))), false));
    c.add(new Case("feedback kind", m -> api.post("/v1/feedback", Map.of("label_id", "lab_e1", "decision_id", "dec_e1", "kind", m)),
        false));
    c.add(new Case("model role", m -> api.post("/v1/models/m_e1/role", Map.of("role", m)), false));
    c.add(new Case("training time", m -> api.post("/v1/models/train", Map.of("from", m)), false));
    c.add(new Case("page cursor", m -> api.get("/v1/models?starting_after=" + m), false));
    c.add(new Case("page size", m -> api.get("/v1/policy/versions?limit=" + m), false));
    c.add(new Case("list export format", m -> api.get("/v1/lists/export?format=" + m), false));
    c.add(new Case("method", m -> ApiTestSupport.send(base, m.toUpperCase(), "/v1/rules", null), false));
    return c;
  }

  private static Map<String, Object> event(java.util.function.Consumer<Map<String, Object>> edit) {
    Map<String, Object> e = new HashMap<>(Map.of("event_id", ApiTestSupport.id("e"), "type", "login",
        "occurred_at", TestClock.now().toString(), "account_id", "acct_e1"));
    edit.accept(e);
    return e;
  }

  private ApiClient.Reply importCsv(String csv) {
    return ApiTestSupport.send(base, "POST", "/v1/lists/import?format=csv", "text/csv", csv.getBytes(StandardCharsets.UTF_8));
  }

  /** Lower-case letters only: a valid field name, id and keyword, so each check reaches the value. */
  private static String marker() {
    SecureRandom random = new SecureRandom();
    StringBuilder m = new StringBuilder("zqmark");
    for (int i = 0; i < 12; i++) m.append((char) ('a' + random.nextInt(26)));
    return m.toString();
  }
}
