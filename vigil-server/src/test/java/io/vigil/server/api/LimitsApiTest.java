package io.vigil.server.api;

import static io.vigil.server.api.ApiTestSupport.assertError;
import static io.vigil.server.api.ApiTestSupport.assertInvalid;
import static io.vigil.server.api.ApiTestSupport.list;
import static io.vigil.server.api.ApiTestSupport.map;
import static io.vigil.server.api.ApiTestSupport.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestAuth;
import io.vigil.server.support.TestClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Limits over HTTP (L3): exact under concurrency, released by outcomes and reversals, idempotent,
 * and configured through the versioned policy. Own server: it changes the policy.
 */
class LimitsApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-limits-");

  @DynamicPropertySource
  static void ownDataDir(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
  }

  /** A USD payment with a credit score: 300 maps to a daily cap of 200.00, 850 to 2,000.00 (the default pack). */
  private static Map<String, Object> scored(String account, long amountMinor, int creditScore) {
    return new HashMap<>(Map.of("event_id", ApiTestSupport.id("l"), "type", "payment", "occurred_at", TestClock.now().toString(),
        "account_id", account, "amount", amountMinor, "currency", "USD", "credit_score", creditScore));
  }

  private Map<String, Object> decide(Map<String, Object> body) {
    ApiClient.Reply r = api.post("/v1/decisions", body);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  private static Map<String, Object> limit(Map<String, Object> decision, String id) {
    return list(decision.get("limits")).stream().filter(l -> id.equals(l.get("limit_id"))).findFirst()
        .orElseThrow(() -> new AssertionError("no limit " + id + " in " + decision));
  }

  @Test
  void parallelPaymentsAgainstOneLimitNeverOvershoot() throws Exception {
    String account = ApiTestSupport.id("race");
    int payments = 48;
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<Map<String, Object>>> replies = new ArrayList<>();
    for (int i = 0; i < payments; i++) {
      Callable<Map<String, Object>> call = () -> decide(scored(account, 100_00, 850));
      replies.add(pool.submit(call));
    }
    long allowedMinor = 0;
    int allowed = 0;
    Set<Long> remaining = new TreeSet<>();
    for (Future<Map<String, Object>> f : replies) {
      Map<String, Object> d = f.get();
      if ("ALLOW".equals(d.get("action"))) {
        allowed++;
        allowedMinor += 100_00;
        remaining.add(num(limit(d, "daily_by_credit_score").get("remaining_minor")));
      } else {
        assertEquals("DENY", d.get("action"), d::toString);
        assertEquals("limit.daily_by_credit_score", map(list(d.get("reasons")).get(0)).get("rule_id"));
      }
    }
    pool.shutdown();
    assertEquals(20, allowed, "2,000.00 / 100.00");
    assertEquals(2_000_00, allowedMinor);
    assertEquals(20, remaining.size(), "each allowed payment saw its own remainder: " + remaining);
    assertEquals(0L, remaining.iterator().next());
  }

  @Test
  @SuppressWarnings("unchecked")
  void theResponseSaysWhichLimitAppliedWhatRemainsAndWhenItResets() {
    Map<String, Object> d = decide(scored(ApiTestSupport.id("shape"), 50_00, 300));
    Map<String, Object> l = limit(d, "daily_by_credit_score");
    assertEquals("daily", l.get("period"));
    assertEquals("USD", l.get("currency"));
    assertEquals(200_00L, num(l.get("limit_minor")));
    assertEquals(0L, num(l.get("used_minor")));
    assertEquals(150_00L, num(l.get("remaining_minor")));
    assertEquals(false, l.get("breached"));
    Instant resets = Instant.parse((String) l.get("resets_at"));
    assertTrue(resets.isAfter(TestClock.now()) && resets.toEpochMilli() % 86_400_000L == 0, "next UTC midnight: " + resets);
    assertTrue(((Number) d.get("policy_version")).longValue() >= 1);
  }

  @Test
  void theSameEventIdNeverCountsTwice() {
    String account = ApiTestSupport.id("idem");
    Map<String, Object> first = scored(account, 150_00, 300);
    Map<String, Object> d = decide(first);
    ApiClient.Reply again = api.post("/v1/decisions", first);
    assertEquals(d, again.json());
    assertEquals("ALLOW", decide(scored(account, 50_00, 300)).get("action"), "150 + 50 fits 200 only if the repeat did not count");
    assertEquals("DENY", decide(scored(account, 1, 300)).get("action"));
  }

  @Test
  void aRefundReleasesTheAmountOnceAndPartly() {
    String account = ApiTestSupport.id("refund");
    Object paid = decide(scored(account, 150_00, 300)).get("decision_id");
    assertEquals("DENY", decide(scored(account, 100_00, 300)).get("action"));
    ApiClient.Reply refund = api.post("/v1/decisions/" + paid + "/outcome", Map.of("outcome", "refunded", "amount_minor", 100_00,
        "reason", "customer returned the goods"));
    assertEquals(200, refund.status(), refund.body());
    assertEquals(100_00L, num(refund.json().get("released_minor")));
    assertEquals(50_00L, num(refund.json().get("held_minor")));
    assertEquals(false, refund.json().get("replayed"));
    ApiClient.Reply repeat = api.post("/v1/decisions/" + paid + "/outcome", Map.of("outcome", "refunded", "amount_minor", 100_00,
        "reason", "customer returned the goods"));
    assertEquals(true, repeat.json().get("replayed"), repeat.body());
    assertEquals(50_00L, num(repeat.json().get("held_minor")), "the same outcome again releases nothing more");
    assertError(api.post("/v1/decisions/" + paid + "/outcome", Map.of("outcome", "reversed")), 409, "invalid_request_error",
        "outcome_exists", "outcome");
    assertEquals("ALLOW", decide(scored(account, 150_00, 300)).get("action"), "50 held + 150 = 200");
    assertEquals("refunded", api.get("/v1/decisions/" + paid + "/outcome").json().get("outcome"));
  }

  @Test
  void anApprovedReversalReleasesTheReservation() {
    String account = ApiTestSupport.id("rev");
    Object paid = decide(scored(account, 200_00, 300)).get("decision_id");
    assertEquals("DENY", decide(scored(account, 10_00, 300)).get("action"));
    ApiClient.Reply reversal = api.post("/v1/decisions/" + paid + "/reversal-request", Map.of("verification", Map.of("method", "biometric")));
    assertEquals("approve", reversal.json().get("outcome"), reversal.body());
    assertEquals("reversed", api.get("/v1/decisions/" + paid + "/outcome").json().get("outcome"));
    assertEquals("ALLOW", decide(scored(account, 200_00, 300)).get("action"));
  }

  @Test
  void badOutcomesAreRefused() {
    String account = ApiTestSupport.id("bad");
    Object paid = decide(scored(account, 100_00, 300)).get("decision_id");
    assertInvalid(api.post("/v1/decisions/" + paid + "/outcome", Map.of("outcome", "chargeback")), "invalid_value", "outcome");
    assertInvalid(api.post("/v1/decisions/" + paid + "/outcome", Map.of()), "missing_field", "outcome");
    assertInvalid(api.post("/v1/decisions/" + paid + "/outcome", Map.of("outcome", "refunded", "amount_minor", 100_01)),
        "out_of_range", "amount_minor");
    assertInvalid(api.post("/v1/decisions/" + paid + "/outcome", Map.of("outcome", "refunded", "amount_minor", 0)),
        "out_of_range", "amount_minor");
    assertInvalid(api.post("/v1/decisions/" + paid + "/outcome", Map.of("outcome", "refunded", "amount_minor", "10")),
        "wrong_type", "amount_minor");
    assertInvalid(api.post("/v1/decisions/" + paid + "/outcome", Map.of("outcome", "refunded", "extra", 1)), "unknown_field", "extra");
    assertError(api.post("/v1/decisions/dec_missing/outcome", Map.of("outcome", "refunded")), 404, "not_found_error",
        "decision_not_found", "decision_id");
    Object denied = decide(scored(account, 150_00, 300)).get("decision_id");
    assertError(api.post("/v1/decisions/" + denied + "/outcome", Map.of("outcome", "refunded")), 409, "invalid_request_error",
        "nothing_reserved", "decision_id");
    assertError(api.get("/v1/decisions/" + paid + "/outcome"), 404, "not_found_error", "outcome_not_found", "decision_id");
  }

  @Test
  void aFailedChallengeReleasesAndFeedsTheFeatures() {
    String account = ApiTestSupport.id("fail");
    for (int i = 0; i < 2; i++) {
      Map<String, Object> d = decide(new HashMap<>(Map.of("event_id", ApiTestSupport.id("c"), "type", "payment",
          "occurred_at", TestClock.now().toString(), "account_id", account, "amount", 10_000_01L, "currency", "USD")));
      assertEquals("CHALLENGE", d.get("action"), d::toString);
      ApiClient.Reply failed = api.post("/v1/decisions/" + d.get("decision_id") + "/challenge-result", Map.of("result", "failed"));
      assertEquals(200, failed.status(), failed.body());
      assertEquals("challenge_failed", api.get("/v1/decisions/" + d.get("decision_id") + "/outcome").json().get("outcome"));
    }
    Map<String, Object> next = decide(scored(account, 10_00, 850));
    List<Object> rules = list(next.get("reasons")).stream().map(r -> r.get("rule_id")).toList();
    assertTrue(rules.contains("challenge_failures"), next::toString);
    assertEquals(0L, num(limit(next, "daily_password").get("used_minor")), "both failed payments were released");
  }

  @Test
  @SuppressWarnings("unchecked")
  void limitsAndTheChallengePolicyAreVersionedConfiguration() {
    Map<String, Object> originalLimits = api.get("/v1/policy/limits").json();
    Object originalChallenges = api.get("/v1/policy/challenges").json().get("challenges");
    try {
      changeLimitsAndChallenges(num(originalLimits.get("policy_version")));
    } finally {
      // The other tests of this class use the default pack's limits: put them back (a new version).
      assertEquals(200, api.put("/v1/policy/limits", Map.of("limits", originalLimits.get("limits"))).status());
      assertEquals(200, api.put("/v1/policy/challenges", Map.of("challenges", originalChallenges)).status());
    }
    assertEquals(originalLimits.get("limits"), api.get("/v1/policy/limits").json().get("limits"), "limits render as they parse");
  }

  @Test
  void oneLimitAtATimeLeavesTheOthersInPlace() {
    Map<String, Object> original = api.get("/v1/policy/limits").json();
    try {
      changeOneLimitAtATime(original);
    } finally {
      assertEquals(200, api.put("/v1/policy/limits", Map.of("limits", original.get("limits"))).status());
    }
  }

  private void changeOneLimitAtATime(Map<String, Object> original) {
    List<Map<String, Object>> seeded = list(original.get("limits"));
    long before = num(original.get("policy_version"));
    Map<String, Object> atm = new HashMap<>(Map.of("id", "eur_atm", "period", "rolling_24h", "currency", "EUR", "amount_minor", 500_00,
        "event_types", List.of("withdrawal"), "channels", List.of("atm"), "breach_action", "DENY"));

    ApiClient.Reply created = ApiTestSupport.send(base, "POST", "/v1/policy/limits", ApiClient.json(Map.of("limit", atm)));
    assertEquals(201, created.status(), created.body());
    assertEquals(before + 1, num(created.json().get("policy_version")));
    assertEquals(500_00L, num(map(created.json().get("limit")).get("amount_minor")));
    List<Map<String, Object>> after = list(api.get("/v1/policy/limits").json().get("limits"));
    assertEquals(seeded, after.subList(0, seeded.size()), "the seeded limits are all still there, unchanged");
    assertEquals("eur_atm", after.get(seeded.size()).get("id"));
    Map<String, Object> version = list(api.get("/v1/policy/versions").json().get("data")).get(0);
    assertEquals("create limit eur_atm", version.get("change"));
    assertEquals(TestAuth.actor(base, "PUT", "/v1/policy/limits"), version.get("created_by"));
    Map<String, Object> withdrawal = new HashMap<>(Map.of("event_id", ApiTestSupport.id("w"), "type", "withdrawal", "occurred_at",
        TestClock.now().toString(), "account_id", ApiTestSupport.id("atm"), "amount", 600_00, "currency", "EUR", "channel", "atm"));
    assertEquals("limit.eur_atm", map(list(decide(withdrawal).get("reasons")).get(0)).get("rule_id"));
    Map<String, Object> usd = decide(scored(ApiTestSupport.id("usd"), 1_000, 850));
    assertEquals(10_000_00L, num(limit(usd, "daily_password").get("limit_minor")), "a seeded limit still applies");

    assertError(api.post("/v1/policy/limits", Map.of("limit", atm)), 409, "invalid_request_error", "limit_exists", "limit.id");
    atm.remove("id");
    atm.put("amount_minor", 1_000_00);
    ApiClient.Reply updated = api.put("/v1/policy/limits/eur_atm", Map.of("limit", atm));
    assertEquals(200, updated.status(), updated.body());
    assertEquals(1_000_00L, num(map(api.get("/v1/policy/limits/eur_atm").json().get("limit")).get("amount_minor")));
    assertEquals("update limit eur_atm", list(api.get("/v1/policy/versions").json().get("data")).get(0).get("change"));
    withdrawal.put("event_id", ApiTestSupport.id("w"));
    withdrawal.put("account_id", ApiTestSupport.id("atm"));
    assertEquals("ALLOW", decide(withdrawal).get("action"), "600.00 is under the new 1,000.00");

    long version2 = num(updated.json().get("policy_version"));
    atm.put("id", "other");
    assertInvalid(api.put("/v1/policy/limits/eur_atm", Map.of("limit", atm)), "id_mismatch", "limit.id");
    atm.put("id", "eur_atm");
    assertError(api.put("/v1/policy/limits/nope", Map.of("limit", atm)), 400, "invalid_request_error", "id_mismatch", "limit.id");
    atm.remove("id");
    assertError(api.put("/v1/policy/limits/nope", Map.of("limit", atm)), 404, "not_found_error", "limit_not_found", "id");
    assertInvalid(api.post("/v1/policy/limits", Map.of("limit", Map.of("id", "x", "period", "weekly", "currency", "USD",
        "amount_minor", 1, "breach_action", "DENY"))), "invalid_limits", "limit.period");
    assertInvalid(api.post("/v1/policy/limits", Map.of("limit", Map.of("id", "x", "period", "daily", "currency", "USD",
        "amount_minor", 1, "breach_action", "DENY", "weekly", true))), "unknown_field", "limit.weekly");
    assertInvalid(api.post("/v1/policy/limits", Map.of()), "missing_field", "limit");
    assertInvalid(api.post("/v1/policy/limits", Map.of("limit", 5)), "wrong_type", "limit");
    assertInvalid(api.post("/v1/policy/limits", Map.of("limits", List.of())), "unknown_field", "limits");
    assertEquals(version2, num(api.get("/v1/policy/limits").json().get("policy_version")), "refused changes change nothing");

    ApiClient.Reply deleted = api.delete("/v1/policy/limits/eur_atm");
    assertEquals(200, deleted.status(), deleted.body());
    assertEquals(true, deleted.json().get("deleted"));
    assertEquals("eur_atm", map(deleted.json().get("limit")).get("id"));
    assertEquals("delete limit eur_atm", list(api.get("/v1/policy/versions").json().get("data")).get(0).get("change"));
    assertEquals(seeded, list(api.get("/v1/policy/limits").json().get("limits")), "back to the seeded limits");
    assertError(api.get("/v1/policy/limits/eur_atm"), 404, "not_found_error", "limit_not_found", "id");
    assertError(api.delete("/v1/policy/limits/eur_atm"), 404, "not_found_error", "limit_not_found", "id");
  }

  private void changeLimitsAndChallenges(long before) {
    Map<String, Object> custom = Map.of("id", "eur_withdrawals", "period", "rolling_24h", "currency", "EUR", "amount_minor", 500_00,
        "event_types", List.of("withdrawal"), "channels", List.of("atm"), "breach_action", "DENY");
    ApiClient.Reply put = api.put("/v1/policy/limits", Map.of("limits", List.of(custom)));
    assertEquals(200, put.status(), put.body());
    long version = num(put.json().get("policy_version"));
    assertEquals(before + 1, version);
    Map<String, Object> body = new HashMap<>(Map.of("event_id", ApiTestSupport.id("w"), "type", "withdrawal", "occurred_at",
        TestClock.now().toString(), "account_id", ApiTestSupport.id("eur"), "amount", 600_00, "currency", "EUR", "channel", "atm"));
    Map<String, Object> d = decide(body);
    assertEquals("DENY", d.get("action"));
    assertEquals(version, num(d.get("policy_version")));
    assertEquals("limit.eur_withdrawals", map(list(d.get("reasons")).get(0)).get("rule_id"));
    Map<String, Object> change = list(api.get("/v1/policy/versions").json().get("data")).get(0);
    assertEquals("change limits", change.get("change"));

    assertInvalid(api.put("/v1/policy/limits", Map.of("limits", List.of(Map.of("id", "x", "period", "weekly", "currency", "USD",
        "amount_minor", 1, "breach_action", "DENY")))), "invalid_limits", "limits[0].period");
    assertInvalid(api.put("/v1/policy/limits", Map.of("limits", List.of(Map.of("id", "x", "period", "daily", "currency", "USD",
        "amount_minor", 1, "breach_action", "CHALLENGE")))), "invalid_limits", "limits[0]");
    assertInvalid(api.put("/v1/policy/limits", Map.of("limits", List.of(custom, custom))), "invalid_limits", "limits[1].id");
    assertInvalid(api.put("/v1/policy/limits", Map.of("limits", List.of(Map.of("id", "x", "period", "daily", "currency", "USD",
        "amount_minor", -5, "breach_action", "DENY")))), "out_of_range", "limits[0].amount_minor");
    assertInvalid(api.put("/v1/policy/limits", Map.of("limitz", List.of())), "unknown_field", "limitz");
    assertEquals(version, num(api.get("/v1/policy/limits").json().get("policy_version")), "refused changes change nothing");

    ApiClient.Reply challenges = api.put("/v1/policy/challenges",
        Map.of("challenges", Map.of("failures_to_lock", 1, "window_minutes", 10, "lock_minutes", 30)));
    assertEquals(200, challenges.status(), challenges.body());
    assertEquals(1L, num(map(challenges.json().get("challenges")).get("failures_to_lock")));
    assertInvalid(api.put("/v1/policy/challenges", Map.of("challenges", Map.of("failures_to_lock", 1, "window_minutes", 0,
        "lock_minutes", 30))), "out_of_range", "challenges.window_minutes");
    // One failure now freezes: the challenge comes from the seeded large_payment rule.
    String account = ApiTestSupport.id("one");
    Map<String, Object> c = decide(new HashMap<>(Map.of("event_id", ApiTestSupport.id("c"), "type", "payment",
        "occurred_at", TestClock.now().toString(), "account_id", account, "amount", 1_500_000L, "currency", "USD")));
    Map<String, Object> failed = api.post("/v1/decisions/" + c.get("decision_id") + "/challenge-result", Map.of("result", "failed")).json();
    assertTrue(failed.get("escalation") instanceof Map, failed::toString);
  }

  @Test
  void aLowerLimitRestrictionCapsTheAccountsDay() {
    String account = ApiTestSupport.id("low");
    ApiClient.Reply set = api.post("/v1/accounts/" + account + "/restrictions", Map.of("kind", "lower_limit",
        "daily_limit_minor", 100_00, "currency", "USD", "reason", "privileges limited pending review"));
    assertEquals(201, set.status(), set.body());
    assertEquals(100_00L, num(set.json().get("daily_limit_minor")));
    assertEquals("ALLOW", decide(scored(account, 80_00, 850)).get("action"));
    Map<String, Object> over = decide(scored(account, 30_00, 850));
    assertEquals("DENY", over.get("action"));
    assertTrue(((String) map(list(over.get("reasons")).get(0)).get("rule_id")).startsWith("limit.restriction_rst_"), over::toString);
    Map<String, Object> login = decide(new HashMap<>(Map.of("event_id", ApiTestSupport.id("li"), "type", "login",
        "occurred_at", TestClock.now().toString(), "account_id", account)));
    assertEquals("ALLOW", login.get("action"), "a lower limit stops nothing outright");

    assertInvalid(api.post("/v1/accounts/" + account + "/restrictions", Map.of("kind", "lower_limit", "currency", "USD",
        "reason", "x")), "missing_field", "daily_limit_minor");
    assertInvalid(api.post("/v1/accounts/" + account + "/restrictions", Map.of("kind", "lower_limit", "daily_limit_minor", 0,
        "currency", "USD", "reason", "x")), "out_of_range", "daily_limit_minor");
    assertInvalid(api.post("/v1/accounts/" + account + "/restrictions", Map.of("kind", "lower_limit", "daily_limit_minor", 5,
        "currency", "XYZ", "reason", "x")), "invalid_currency", "currency");
    assertInvalid(api.post("/v1/accounts/" + account + "/restrictions", Map.of("kind", "freeze", "daily_limit_minor", 5,
        "reason", "x")), "invalid_kind", "daily_limit_minor");
  }

  @Test
  void aRuleThatRestrictsFreezesTheAccountForTheNextEvent() {
    Map<String, Object> rule = Map.of("id", "odd_amount_freeze", "description", "test: an agreed amount freezes",
        "event_types", List.of("withdrawal"), "expression", "event.amount == 77777",
        "effect", Map.of("action", "DENY", "restrict", Map.of("kind", "freeze", "duration_minutes", 60)),
        "reason", "The agreed amount");
    ApiClient.Reply created = api.post("/v1/rules", rule);
    assertEquals(201, created.status(), created.body());
    assertEquals(Map.of("kind", "freeze", "duration_minutes", 60), map(created.json().get("effect")).get("restrict"));
    String account = ApiTestSupport.id("ruled");
    Map<String, Object> d = decide(new HashMap<>(Map.of("event_id", ApiTestSupport.id("w"), "type", "withdrawal",
        "occurred_at", TestClock.now().toString(), "account_id", account, "amount", 77777, "currency", "USD")));
    assertEquals("DENY", d.get("action"));
    Map<String, Object> set = list(d.get("restrictions_set")).get(0);
    assertEquals("freeze", set.get("kind"));
    assertEquals("odd_amount_freeze", set.get("rule_id"));
    Map<String, Object> next = decide(scored(account, 1_00, 850));
    Map<String, Object> first = map(list(next.get("reasons")).get(0));
    assertEquals("restriction.freeze", first.get("rule_id"), next::toString);
    assertEquals("rule", map(first.get("values")).get("source"));
    Map<String, Object> stored = list(api.get("/v1/accounts/" + account + "/restrictions").json().get("active")).get(0);
    assertEquals(set.get("restriction_id"), stored.get("id"));
    assertEquals("rule:odd_amount_freeze", stored.get("created_by"));
    assertEquals(200, api.post("/v1/rules/odd_amount_freeze/disable", Map.of()).status());

    assertInvalid(api.post("/v1/rules", Map.of("id", "bad_restrict", "expression", "true", "reason", "x",
        "effect", Map.of("points", 5, "restrict", Map.of("kind", "lower_limit", "duration_minutes", 5)))), "invalid_effect",
        "effect.restrict.kind");
    assertInvalid(api.post("/v1/rules", Map.of("id", "bad_restrict", "expression", "true", "reason", "x",
        "effect", Map.of("points", 5, "restrict", Map.of("kind", "freeze", "duration_minutes", 0)))), "invalid_effect",
        "effect.restrict.duration_minutes");
  }
}
