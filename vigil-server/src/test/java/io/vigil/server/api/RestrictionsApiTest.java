package io.vigil.server.api;

import static io.vigil.server.api.ApiTestSupport.assertError;
import static io.vigil.server.api.ApiTestSupport.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.engine.restriction.RestrictionIndex;
import io.vigil.server.account.RestrictionRepository;
import io.vigil.server.account.RestrictionService;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestAuth;
import io.vigil.server.support.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Account restrictions and the holder's lock over real HTTP: each takes effect on the very next
 * decision, stops only what it names, expires, needs a verified identity step to unlock, and
 * survives a restart (a fresh service over the same database sees it). Own server: it restricts
 * accounts.
 */
class RestrictionsApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-restrictions-");

  @Autowired HikariDataSource dataSource;

  @DynamicPropertySource
  static void ownDataDir(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
  }

  private Map<String, Object> decide(String account, String type) {
    Map<String, Object> body = new HashMap<>(Map.of("event_id", ApiTestSupport.id("r"), "type", type,
        "occurred_at", TestClock.now().toString(), "account_id", account));
    if (!type.equals("login")) {
      body.put("amount", 1000L);
      body.put("currency", "USD");
    }
    ApiClient.Reply r = api.post("/v1/decisions", body);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  @SuppressWarnings("unchecked")
  private static String firstReason(Map<String, Object> decision) {
    List<Object> reasons = (List<Object>) decision.get("reasons");
    return reasons.isEmpty() ? "" : (String) ((Map<String, Object>) reasons.get(0)).get("rule_id");
  }

  /** {@code who} names the caller in the story; the request goes with the credentials the route takes ({@link TestAuth}). */
  private ApiClient.Reply post(String path, Map<String, ?> body, String who) {
    return ApiTestSupport.send(base, "POST", path, ApiClient.json(body));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theHoldersLockStopsTheNextEventAndOnlyAVerifiedStepLiftsIt() {
    String account = ApiTestSupport.id("acct");
    assertNotEquals("restriction.freeze", firstReason(decide(account, "payment")));
    ApiClient.Reply lock = post("/v1/accounts/" + account + "/lock", Map.of("reason", "phone stolen"), "wallet-app");
    assertEquals(200, lock.status(), lock.body());
    assertEquals("holder", lock.json().get("source"));
    String lockId = (String) lock.json().get("id");
    assertEquals(lockId, post("/v1/accounts/" + account + "/lock", Map.of(), "wallet-app").json().get("id"), "locking twice is one lock");

    Map<String, Object> denied = decide(account, "login");
    assertEquals("DENY", denied.get("action"));
    assertEquals("restriction.freeze", firstReason(denied));

    assertInvalid(post("/v1/accounts/" + account + "/unlock", Map.of(), "wallet-app"), "verification_required", "verification");
    assertError(post("/v1/accounts/" + account + "/restrictions/" + lockId + "/lift", Map.of("reason", "asked nicely"), "ops"),
        409, "invalid_request_error", "use_unlock", "restriction_id");
    assertInvalid(post("/v1/accounts/" + account + "/unlock", Map.of("verification", Map.of("method", "biometric", "ok", true)),
        "wallet-app"), "unknown_field", "verification.ok");
    assertInvalid(post("/v1/accounts/" + account + "/unlock", Map.of("verification", Map.of("method", "sms_otp")), "wallet-app"),
        "invalid_verification_method", "verification.method");
    assertEquals("DENY", decide(account, "login").get("action"), "a refused unlock changes nothing");

    ApiClient.Reply unlock = post("/v1/accounts/" + account + "/unlock", Map.of("verification", Map.of("method", "biometric")),
        "wallet-app");
    assertEquals(200, unlock.status(), unlock.body());
    Map<String, Object> unlocked = (Map<String, Object>) ((List<Object>) unlock.json().get("unlocked")).get(0);
    assertEquals(lockId, unlocked.get("id"));
    assertEquals(false, unlocked.get("active"), "the reply shows the lock as lifted");
    assertNotNull(unlocked.get("lifted_at"));
    assertNotEquals("restriction.freeze", firstReason(decide(account, "login")));
    assertError(post("/v1/accounts/" + account + "/unlock", Map.of("verification", Map.of("method", "biometric")), "wallet-app"),
        409, "invalid_request_error", "not_locked", "account_id");

    Map<String, Object> history = api.get("/v1/accounts/" + account + "/restrictions").json();
    assertEquals(List.of(), history.get("active"));
    assertEquals(false, history.get("has_more"));
    Map<String, Object> past = (Map<String, Object>) ((List<Object>) history.get("data")).get(0);
    assertEquals("biometric", past.get("verification_method"));
    assertEquals(TestAuth.actor(base, "POST", "/v1/accounts/" + account + "/unlock"), past.get("lifted_by"));
  }

  @Test
  void noWithdrawalsStopsWithdrawalsOnlyAndAnOperatorLiftsIt() {
    String account = ApiTestSupport.id("acct");
    ApiClient.Reply r = post("/v1/accounts/" + account + "/restrictions",
        Map.of("kind", "no_withdrawals", "reason", "account-takeover pattern, case 88"), "analyst.rahim");
    assertEquals(201, r.status(), r.body());
    assertEquals(TestAuth.actor(base, "POST", "/v1/accounts/" + account + "/restrictions"), r.json().get("created_by"));
    assertEquals("restriction.no_withdrawals", firstReason(decide(account, "withdrawal")));
    assertNotEquals("restriction.no_withdrawals", firstReason(decide(account, "payment")));

    String id = (String) r.json().get("id");
    assertInvalid(post("/v1/accounts/" + account + "/restrictions/" + id + "/lift", Map.of(), "analyst.rahim"), "missing_field", "reason");
    assertEquals(200, post("/v1/accounts/" + account + "/restrictions/" + id + "/lift", Map.of("reason", "customer verified"),
        "analyst.rahim").status());
    assertNotEquals("restriction.no_withdrawals", firstReason(decide(account, "withdrawal")));
    assertError(post("/v1/accounts/" + account + "/restrictions/" + id + "/lift", Map.of("reason", "again"), "analyst.rahim"),
        404, "not_found_error", "restriction_not_found", "restriction_id");
  }

  private Map<String, Object> payTo(String merchant, long amountMinor) {
    Map<String, Object> body = new HashMap<>(Map.of("event_id", ApiTestSupport.id("r"), "type", "payment",
        "occurred_at", TestClock.now().toString(), "account_id", ApiTestSupport.id("buyer"), "merchant_id", merchant,
        "amount", amountMinor, "currency", "USD"));
    ApiClient.Reply r = api.post("/v1/decisions", body);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  @Test
  @SuppressWarnings("unchecked")
  void aFreezeOfAMerchantIdStopsPaymentsToThatMerchantUntilLifted() {
    String merchant = ApiTestSupport.id("shop");
    assertEquals("ALLOW", payTo(merchant, 1_000).get("action"));
    Map<String, Object> challenged = payTo(merchant, 1_500_000); // over 10,000: password + OTP, decided before the freeze
    assertEquals("CHALLENGE", challenged.get("action"));

    ApiClient.Reply freeze = post("/v1/accounts/" + merchant + "/restrictions",
        Map.of("kind", "freeze", "reason", "merchant under investigation"), "risk.lead");
    assertEquals(201, freeze.status(), freeze.body());
    Map<String, Object> denied = payTo(merchant, 1_000);
    assertEquals("DENY", denied.get("action"), denied::toString);
    Map<String, Object> reason = (Map<String, Object>) ((List<Object>) denied.get("reasons")).get(0);
    assertEquals("restriction.merchant_freeze", reason.get("rule_id"));
    assertTrue(((String) reason.get("message")).contains("payments to it are stopped"), reason::toString);
    assertEquals(merchant, ((Map<String, Object>) reason.get("values")).get("merchant_id"));
    assertEquals(freeze.json().get("id"), ((Map<String, Object>) reason.get("values")).get("restriction_id"));
    assertEquals("ALLOW", payTo(ApiTestSupport.id("shop"), 1_000).get("action"), "other merchants are not affected");
    assertError(api.post("/v1/decisions/" + challenged.get("decision_id") + "/challenge-result", Map.of("result", "passed")), 409,
        "invalid_request_error", "account_restricted", "decision_id");

    assertEquals(200, post("/v1/accounts/" + merchant + "/restrictions/" + freeze.json().get("id") + "/lift",
        Map.of("reason", "investigation closed"), "risk.lead").status());
    assertEquals("ALLOW", payTo(merchant, 1_000).get("action"));
  }

  @Test
  void aTemporaryFreezeEndsAtItsExpiry() {
    String account = ApiTestSupport.id("acct");
    Instant expiry = TestClock.now().plus(Duration.ofMinutes(10));
    assertEquals(201, post("/v1/accounts/" + account + "/restrictions",
        Map.of("kind", "freeze", "reason", "cooling-off", "expires_at", expiry.toString()), "ops").status());
    assertEquals("restriction.freeze", firstReason(decide(account, "transfer")));
    TestClock.advance(Duration.ofMinutes(10).plusSeconds(1));
    assertNotEquals("restriction.freeze", firstReason(decide(account, "transfer")));
  }

  @Test
  void restrictionsSurviveARestart() {
    String account = ApiTestSupport.id("acct");
    assertEquals(201, post("/v1/accounts/" + account + "/restrictions",
        Map.of("kind", "no_transfers_out", "reason", "court order 12/2026"), "ops").status());
    // A fresh service over the same database (what start-up builds) has it in force.
    RestrictionIndex index = new RestrictionIndex();
    new RestrictionService(new RestrictionRepository(dataSource), index, TestClock.INSTANCE);
    assertEquals(1, index.active(account, TestClock.INSTANCE.millis()).size());
    assertEquals("no_transfers_out", index.active(account, TestClock.INSTANCE.millis()).get(0).kind().wireName());
  }

  @Test
  void badRequestsAreRefused() {
    String path = "/v1/accounts/acct_bad/restrictions";
    assertInvalid(post(path, Map.of("kind", "deep_freeze", "reason", "x"), "ops"), "invalid_kind", "kind");
    assertInvalid(post(path, Map.of("kind", "freeze"), "ops"), "missing_field", "reason");
    assertInvalid(post(path, Map.of("kind", "freeze", "reason", "x", "expires_at", "2020-01-01T00:00:00Z"), "ops"),
        "expires_in_past", "expires_at");
    assertInvalid(post(path, Map.of("kind", "freeze", "reason", "x", "until", "soon"), "ops"), "unknown_field", "until");
    assertInvalid(post(path, Map.of("kind", "freeze", "reason", "x", "expires_at", "+1000000000-01-01T00:00:00Z"), "ops"),
        "invalid_timestamp", "expires_at");
    assertInvalid(post(path, Map.of("kind", "freeze", "reason", "x", "expires_at", "2999-01-01T00:00:00Z"), "ops"),
        "out_of_range", "expires_at");
    assertInvalid(post(path, Map.of("kind", "freeze", "reason", "x".repeat(2_000)), "ops"), "value_too_long", "reason");
    assertInvalid(post("/v1/accounts/" + "a".repeat(200) + "/lock", Map.of(), "ops"), "invalid_format", "account_id");
    assertTrue(api.get("/v1/accounts/acct_bad/restrictions").json().get("active") instanceof List<?> l && l.isEmpty());
  }
}
