package io.vigil.server.api;

import static io.vigil.server.api.ApiTestSupport.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Reversal requests over HTTP, with real decisions, challenge results and the request history. */
class ReversalsApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-reversals-");

  @DynamicPropertySource
  static void ownDataDir(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    storeAsAsked(registry);
  }

  private Map<String, Object> pay(String type, String account, long amountMinor, long agoMillis) {
    Map<String, Object> body = new HashMap<>(Map.of("event_id", ApiTestSupport.id("v"), "type", type,
        "occurred_at", TestClock.now().minusMillis(agoMillis).toString(), "account_id", account, "amount", amountMinor,
        "currency", "USD"));
    ApiClient.Reply r = api.post("/v1/decisions", body);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  private Map<String, Object> reverse(Object decisionId, String method) {
    Map<String, Object> body = method == null ? Map.of() : Map.of("verification", Map.of("method", method));
    ApiClient.Reply r = api.post("/v1/decisions/" + decisionId + "/reversal-request", body);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  @SuppressWarnings("unchecked")
  private static List<String> codes(Map<String, Object> answer) {
    return ((List<Map<String, Object>>) answer.get("reasons")).stream().map(m -> (String) m.get("code")).toList();
  }

  @Test
  void aVerifiedReversalWithinTenMinutesIsApprovedOnce() {
    Map<String, Object> d = pay("payment", ApiTestSupport.id("acct"), 2_500L, 60_000);
    assertEquals("ALLOW", d.get("action"), d::toString);
    assertEquals(List.of("identity_not_verified"), codes(reverse(d.get("decision_id"), null)));
    Map<String, Object> before = api.get("/v1/decisions/" + d.get("decision_id")).json();
    assertEquals("ALLOW", before.get("final_action"), "a denied request changes nothing");
    assertEquals("decision", before.get("settled_by"));
    assertEquals(before.get("recorded_at"), before.get("settled_at"));
    Map<String, Object> approved = reverse(d.get("decision_id"), "biometric");
    assertEquals("approve", approved.get("outcome"), approved::toString);
    Map<String, Object> reversed = api.get("/v1/decisions/" + d.get("decision_id")).json();
    assertEquals("ALLOW", reversed.get("action"));
    assertEquals("REVERSED", reversed.get("final_action"));
    assertEquals("reversal", reversed.get("settled_by"));
    assertEquals(approved.get("requested_at"), reversed.get("settled_at"));
    assertEquals(List.of("already_reversed"), codes(reverse(d.get("decision_id"), "biometric")));
    assertEquals(3, ((List<?>) api.get("/v1/decisions/" + d.get("decision_id") + "/reversal-requests").json().get("data")).size());
  }

  @Test
  void latePaymentsRefundsAndUnfinishedChallengesAreDenied() {
    assertEquals(List.of("window_passed"), codes(reverse(pay("payment", ApiTestSupport.id("acct"), 2_500L, 11 * 60_000).get("decision_id"),
        "biometric")));
    assertEquals(List.of("refund_of_refund"), codes(reverse(pay("refund", ApiTestSupport.id("acct"), 2_500L, 0).get("decision_id"),
        "biometric")));
    String account = ApiTestSupport.id("acct");
    Map<String, Object> challenged = pay("payment", account, 1_500_000L, 0); // over 10,000: password + OTP
    assertEquals("CHALLENGE", challenged.get("action"));
    assertEquals(List.of("not_completed"), codes(reverse(challenged.get("decision_id"), "biometric")));
    api.post("/v1/decisions/" + challenged.get("decision_id") + "/challenge-result", Map.of("result", "passed"));
    assertEquals("approve", reverse(challenged.get("decision_id"), "biometric").get("outcome"));
  }

  @Test
  void timestampsWithoutSecondsAndMalformedVerificationsAreHandled() {
    String minute = TestClock.now().minusSeconds(60).toString().substring(0, 16) + "Z"; // 2026-11-21T15:54Z
    Map<String, Object> body = new HashMap<>(Map.of("event_id", ApiTestSupport.id("v"), "type", "payment", "occurred_at", minute,
        "account_id", ApiTestSupport.id("acct"), "amount", 1_000L, "currency", "USD"));
    Object id = api.post("/v1/decisions", body).json().get("decision_id");
    assertEquals("approve", reverse(id, "biometric").get("outcome"));
    ApiTestSupport.assertInvalid(api.post("/v1/decisions/" + id + "/reversal-request", Map.of("verification", "biometric")),
        "wrong_type", "verification");
    ApiTestSupport.assertInvalid(api.post("/v1/decisions/" + id + "/reversal-request",
        Map.of("verification", Map.of("metod", "biometric"))), "unknown_field", "verification.metod");
  }

  @Test
  void aThirdRequestWithinADayGoesToAPerson() {
    String account = ApiTestSupport.id("acct");
    reverse(pay("payment", account, 1_000L, 0).get("decision_id"), "biometric");
    reverse(pay("payment", account, 1_000L, 0).get("decision_id"), "biometric");
    Map<String, Object> third = reverse(pay("payment", account, 1_000L, 0).get("decision_id"), "biometric");
    assertEquals("review", third.get("outcome"));
    assertEquals(List.of("frequent_reversals"), codes(third));
    assertEquals(List.of("already_reversed"), codes(reverse(third.get("decision_id"), "biometric")),
        "a request in review blocks another");
    assertError(api.post("/v1/decisions/dec_missing/reversal-request", Map.of()), 404, "not_found_error", "decision_not_found",
        "decision_id");
  }
}
