package io.vigil.server.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.server.api.ApiTestSupport;
import io.vigil.server.console.ConsoleServerBase;
import io.vigil.server.security.Role;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import io.vigil.server.support.TestOperators;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** POST /v1/rules/validate, /test and /backtest: draft rules checked without changing the policy. */
class RuleDraftsApiTest extends ConsoleServerBase {

  private static Map<String, Object> rule(String expression, Map<String, Object> effect) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", "draft_rule");
    r.put("expression", expression);
    r.put("effect", effect);
    r.put("reason", "Amount {event.amount}");
    return r;
  }

  /** The digits with their Luhn check digit appended. */
  private static String luhn(String digits) {
    int sum = 0;
    for (int i = 0; i < digits.length(); i++) {
      int d = digits.charAt(digits.length() - 1 - i) - '0';
      if (i % 2 == 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    return digits + (10 - sum % 10) % 10;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> error(ApiClient.Reply r, int status, String code, String param) {
    assertEquals(status, r.status(), r.body());
    Map<String, Object> error = (Map<String, Object>) r.json().get("error");
    assertEquals(code, error.get("code"), r.body());
    assertEquals(param, error.get("param"), r.body());
    assertThat((String) error.get("message")).isNotBlank();
    return error;
  }

  @Test
  @SuppressWarnings("unchecked")
  void validateCompilesOnlyAndReportsLineAndColumn() {
    long before = ((Number) api.get("/v1/rules").json().get("policy_version")).longValue();
    ApiClient.Reply ok = api.post("/v1/rules/validate", rule("event.amount > 10000", Map.of("points", 10)));
    assertEquals(200, ok.status(), ok.body());
    assertEquals(true, ok.json().get("valid"));
    assertThat((List<String>) ok.json().get("referenced_names")).contains("event.amount");

    Map<String, Object> noId = rule("event.amount > 10000", Map.of("points", 10));
    noId.remove("id");
    assertEquals("draft", api.post("/v1/rules/validate", noId).json().get("id"));

    Map<String, Object> error = error(api.post("/v1/rules/validate", rule("event.amount > 10000 &&\n  event.currency > 5",
        Map.of("points", 10))), 400, "rule_compile_error", "expression");
    List<Map<String, Object>> issues = (List<Map<String, Object>>) error.get("issues");
    assertThat(issues).isNotEmpty();
    assertEquals(2, ((Number) issues.get(0).get("line")).intValue(), error.toString());
    assertThat(((Number) issues.get(0).get("column")).intValue()).isPositive();

    error(api.post("/v1/rules/validate", "{\"expression\": "), 400, "invalid_json", null);
    error(api.post("/v1/rules/validate", rule("event.amount > 1 || " + "event.amount > 1 || ".repeat(250) + "true",
        Map.of("points", 1))), 400, "rule_compile_error", "expression");
    error(api.post("/v1/rules/validate", Map.of("expression", "true", "reason", "x")), 400, "missing_field", "effect");
    assertEquals(before, ((Number) api.get("/v1/rules").json().get("policy_version")).longValue(), "nothing was saved");
  }

  @Test
  @SuppressWarnings("unchecked")
  void testEvaluatesADraftAgainstAPastedEvent() {
    Map<String, Object> event = Events.payment("draft-test-1", "acct_draft_test", 12_500);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("rule", rule("event.amount > 10000 && event.currency == \"USD\"", Map.of("action", "REVIEW")));
    body.put("event", event);
    ApiClient.Reply fires = api.post("/v1/rules/test", body);
    assertEquals(200, fires.status(), fires.body());
    assertEquals(true, fires.json().get("fires"));
    assertEquals(true, fires.json().get("applies"));
    assertEquals(12_500, ((Number) ((Map<String, Object>) fires.json().get("values")).get("event.amount")).intValue());
    assertEquals("Amount 12500", fires.json().get("reason"));

    // A phone whose digits pass the card check is exempt, as in POST /v1/decisions.
    event.put("phone", "+" + luhn("34612345678901"));
    ApiClient.Reply phone = api.post("/v1/rules/test", body);
    assertEquals(200, phone.status(), phone.body());
    event.remove("phone");

    event.put("amount", 500);
    ApiClient.Reply quiet = api.post("/v1/rules/test", body);
    assertEquals(false, quiet.json().get("fires"), quiet.body());

    body.put("rule", rule("facts.new_device_for_account && event.amount > 100", Map.of("points", 20)));
    assertEquals(false, api.post("/v1/rules/test", body).json().get("fires"), "a fact reads false unless given");
    body.put("values", Map.of("facts.new_device_for_account", true));
    ApiClient.Reply given = api.post("/v1/rules/test", body);
    assertEquals(true, given.json().get("fires"), given.body());

    body.put("values", Map.of("no.such_name", 1));
    error(api.post("/v1/rules/test", body), 400, "unknown_field", "values.no.such_name");
    body.put("values", Map.of("facts.new_device_for_account", "yes"));
    error(api.post("/v1/rules/test", body), 400, "wrong_type", "values.facts.new_device_for_account");
    body.remove("values");

    event.remove("type");
    assertThat((String) error(api.post("/v1/rules/test", body), 400, "missing_field", "event.type").get("message")).isNotBlank();
    event.put("type", "payment");
    body.put("rule", rule("event.amount > \"10\"", Map.of("points", 1)));
    error(api.post("/v1/rules/test", body), 400, "rule_compile_error", "rule.expression");
    error(api.post("/v1/rules/test", Map.of("event", event)), 400, "missing_field", "rule");
    error(api.post("/v1/rules/test", "[1, 2"), 400, "invalid_json", null);
  }

  @Test
  @SuppressWarnings("unchecked")
  void backtestRunsADraftOverStoredDecisions() {
    String account = ApiTestSupport.id("acct_backtest"); // random hex, never a card number (a nanoTime could be one)
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ApiClient.Reply d = api.post("/v1/decisions", Events.payment("bt-" + account + "-" + i, account, 1_000 + i));
      assertEquals(200, d.status(), d.body());
      ids.add((String) d.json().get("decision_id"));
    }
    assertEquals(201, api.post("/v1/feedback", Map.of("label_id", "bt-f-" + account, "decision_id", ids.get(0),
        "kind", "fraud", "verdict", "fraud")).status());
    assertEquals(201, api.post("/v1/feedback", Map.of("label_id", "bt-l-" + account, "decision_id", ids.get(1),
        "kind", "legitimate", "verdict", "legitimate")).status());

    Map<String, Object> body = new LinkedHashMap<>();
    body.put("rule", rule("event.account_id == \"" + account + "\"", Map.of("action", "DENY")));
    body.put("days", 1);
    ApiClient.Reply r = api.post("/v1/rules/backtest", body);
    assertEquals(200, r.status(), r.body());
    Map<String, Object> out = r.json();
    assertEquals(4, ((Number) out.get("fires")).intValue(), r.body());
    assertEquals(2, ((Number) out.get("labelled")).intValue(), r.body());
    assertEquals(0.5, ((Number) out.get("precision")).doubleValue(), 1e-9, r.body());
    assertEquals(4, ((Number) out.get("action_changes")).intValue(), r.body());
    List<Map<String, Object>> changes = (List<Map<String, Object>>) out.get("changes");
    assertThat(changes).extracting(c -> c.get("decision_id")).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(changes).allMatch(c -> "DENY".equals(c.get("would_be")));
    assertThat(((Number) out.get("evaluated")).intValue()).isGreaterThanOrEqualTo(4);

    body.put("days", 0);
    error(api.post("/v1/rules/backtest", body), 400, "out_of_range", "days");
    body.put("days", 31);
    error(api.post("/v1/rules/backtest", body), 400, "out_of_range", "days");
    body.put("days", "7");
    error(api.post("/v1/rules/backtest", body), 400, "wrong_type", "days");
    body.remove("days");
    error(api.post("/v1/rules/backtest", body), 400, "missing_field", "days");
    body.put("days", 7);
    body.put("rule", rule("event.amount == \"x\"", Map.of("points", 1)));
    error(api.post("/v1/rules/backtest", body), 400, "rule_compile_error", "rule.expression");
    body.put("extra", 1);
    error(api.post("/v1/rules/backtest", body), 400, "unknown_field", "extra");
    error(api.post("/v1/rules/backtest", "{\"days\": 7,"), 400, "invalid_json", null);
  }

  @Test
  void aViewerMayValidateAndTestButNotBacktest() {
    TestOperators.Signed viewer = TestOperators.signIn(base, TestOperators.newUsername("draftviewer"), Set.of(Role.VIEWER));
    Map<String, Object> draft = rule("event.amount > 1", Map.of("points", 1));
    assertEquals(200, TestOperators.post(base, "/v1/rules/validate", draft, viewer.headers()).status());
    assertEquals(200, TestOperators.post(base, "/v1/rules/test",
        Map.of("rule", draft, "event", Events.payment("v-1", "acct_v", 100)), viewer.headers()).status());
    TestOperators.Exchange refused = TestOperators.post(base, "/v1/rules/backtest", Map.of("rule", draft, "days", 1), viewer.headers());
    assertEquals(403, refused.status(), refused.body());
    assertThat(refused.body()).contains("\"error\"");
  }
}
