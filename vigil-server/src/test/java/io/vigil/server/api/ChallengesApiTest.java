package io.vigil.server.api;

import static io.vigil.server.api.ApiTestSupport.assertError;
import static io.vigil.server.api.ApiTestSupport.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestClock;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Challenge results over HTTP: a pass makes the outcome ALLOW, a failure DENY, a result is
 * recorded once, and repeated failures freeze the account. Own server: it freezes accounts.
 */
class ChallengesApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-challenges-");

  @DynamicPropertySource
  static void ownDataDir(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    storeAsAsked(registry);
  }

  /** A 15,000.00 USD payment: the seeded large_payment rule challenges it with password_and_otp. */
  private Map<String, Object> challenged(String account) {
    Map<String, Object> body = new HashMap<>(Map.of("event_id", ApiTestSupport.id("c"), "type", "payment",
        "occurred_at", TestClock.daytime().toString(), "account_id", account, "amount", 1_500_000L, "currency", "USD"));
    ApiClient.Reply r = api.post("/v1/decisions", body);
    assertEquals(200, r.status(), r.body());
    assertEquals("CHALLENGE", r.json().get("action"), r.body());
    return r.json();
  }

  private ApiClient.Reply report(Object decisionId, String result) {
    return api.post("/v1/decisions/" + decisionId + "/challenge-result", Map.of("result", result, "method", "password_and_otp"));
  }

  @Test
  void aPassAllowsAndAResultIsRecordedOnce() {
    Object id = challenged(ApiTestSupport.id("acct")).get("decision_id");
    assertError(api.get("/v1/decisions/" + id + "/challenge-result"), 404, "not_found_error", "challenge_result_not_found",
        "decision_id");
    Map<String, Object> open = api.get("/v1/decisions/" + id).json();
    assertEquals("CHALLENGE", open.get("action"));
    assertEquals("CHALLENGE", open.get("final_action"));
    assertEquals(List.of("challenge"), open.get("waiting_for"));
    assertNull(open.get("settled_by"));
    assertNull(open.get("settled_at"));
    ApiClient.Reply passed = report(id, "passed");
    assertEquals(200, passed.status(), passed.body());
    assertEquals("ALLOW", passed.json().get("final_action"));
    Map<String, Object> settled = api.get("/v1/decisions/" + id).json();
    assertEquals("CHALLENGE", settled.get("action"));
    assertEquals("ALLOW", settled.get("final_action"));
    assertEquals("challenge", settled.get("settled_by"));
    assertEquals(passed.json().get("recorded_at"), settled.get("settled_at"));
    assertEquals(List.of(), settled.get("waiting_for"));
    assertEquals("password_and_otp", passed.json().get("challenge_kind"));
    assertEquals(passed.json().get("recorded_at"), report(id, "passed").json().get("recorded_at"), "the same result again is a replay");
    assertError(report(id, "failed"), 409, "invalid_request_error", "challenge_result_exists", "result");
    assertEquals("passed", api.get("/v1/decisions/" + id + "/challenge-result").json().get("result"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void repeatedFailuresFreezeTheAccount() {
    String account = ApiTestSupport.id("acct");
    for (int i = 1; i <= 2; i++) {
      Object id = challenged(account).get("decision_id");
      Map<String, Object> failed = report(id, "failed").json();
      assertEquals("DENY", failed.get("final_action"));
      assertEquals("DENY", api.get("/v1/decisions/" + id).json().get("final_action"));
      assertNull(failed.get("escalation"), "failure " + i + " of 3");
    }
    Map<String, Object> third = report(challenged(account).get("decision_id"), "failed").json();
    assertNotNull(third.get("escalation"), third::toString);
    Map<String, Object> next = api.post("/v1/decisions", Map.of("event_id", ApiTestSupport.id("c"), "type", "login",
        "occurred_at", TestClock.now().toString(), "account_id", account)).json();
    assertEquals("DENY", next.get("action"));
    Map<String, Object> first = (Map<String, Object>) ((List<Object>) next.get("reasons")).get(0);
    assertEquals("restriction.freeze", first.get("rule_id"));
    assertEquals("challenges", ((Map<String, Object>) first.get("values")).get("source"));
  }

  @Test
  void badReportsAreRefused() {
    Object id = challenged(ApiTestSupport.id("acct")).get("decision_id");
    assertInvalid(report(id, "maybe"), "invalid_result", "result");
    assertInvalid(api.post("/v1/decisions/" + id + "/challenge-result", Map.of("result", "passed", "otp", "123456")),
        "unknown_field", "otp");
    assertError(report("dec_missing", "passed"), 404, "not_found_error", "decision_not_found", "decision_id");
    ApiClient.Reply login = api.post("/v1/decisions", Map.of("event_id", ApiTestSupport.id("c"), "type", "login",
        "occurred_at", TestClock.now().toString(), "account_id", ApiTestSupport.id("acct")));
    assertError(report(login.json().get("decision_id"), "passed"), 409, "invalid_request_error", "not_challenged", "decision_id");
  }
}
