package io.vigil.server.api;

import static io.vigil.server.api.ApiTestSupport.assertError;
import static io.vigil.server.api.ApiTestSupport.assertInvalid;
import static io.vigil.server.api.ApiTestSupport.data;
import static io.vigil.server.api.ApiTestSupport.enc;
import static io.vigil.server.api.ApiTestSupport.id;
import static io.vigil.server.api.ApiTestSupport.list;
import static io.vigil.server.api.ApiTestSupport.map;
import static io.vigil.server.api.ApiTestSupport.noonZone;
import static io.vigil.server.api.ApiTestSupport.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import io.vigil.server.support.TestAuth;
import io.vigil.server.support.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Rules, policy versions, thresholds and lists over real HTTP, with their effect on the very next
 * decision. This class changes the global policy and lists, so it runs its own server with its
 * own fresh H2 directory (no other test class sees its rules).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RulesAndListsApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-rules-");
  private static final List<String> DEFAULT_RULES = List.of("off_hours", "new_device", "ip_velocity",
      "failed_logins_account_challenge", "failed_logins_account_lockout", "failed_logins_ip_challenge",
      "failed_logins_ip_lockout", "many_accounts_one_device", "structuring", "large_payment", "no_exchange_rate", "challenge_failures", "card_testing", "watch_list",
      "many_accounts_one_device_24h", "geofence_sanctioned_country", "sanctions_hit", "country_sanctioned", "geofence_withdrawal_abroad", "far_from_usual_region",
      "impossible_travel", "many_regions_24h", "nonresident_local_proxy", "anonymizer_ip", "hosting_ip", "country_mismatch",
      "bin_country_mismatch", "prepaid_card", "disposable_email", "invalid_national_id", "document_rejected",
      "shared_identity", "linked_to_bad_account", "new_phone_money_out", "account_takeover_pattern", "fresh_sim", "unknown_payment_code",
      "payment_code_merchant_mismatch");

  @DynamicPropertySource
  static void ownDataDir(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** A request by the caller the route takes (an operator for policy, the test key for lists); {@code who} names the step. */
  private ApiClient.Reply as(String who, String method, String path, Object body) {
    return ApiTestSupport.send(base, method, path, body == null ? null : ApiClient.json(body));
  }

  /** Who the server records for a change of the policy. */
  private String policyActor() {
    return TestAuth.actor(base, "PUT", "/v1/policy/thresholds");
  }

  /** Who the server records for a change of a list. */
  private String listActor() {
    return TestAuth.actor(base, "POST", "/v1/lists/entries");
  }

  private long policyVersion() {
    ApiClient.Reply r = api.get("/v1/rules");
    assertEquals(200, r.status(), r.body());
    return num(r.json().get("policy_version"));
  }

  /** A payment at noon local time from a fresh account (so only the rules under test can fire). */
  private static Map<String, Object> payment(long amount) {
    Map<String, Object> m = Events.payment(id("evt"), id("acc"), amount);
    m.put("timezone", noonZone(Instant.parse((String) m.get("occurred_at"))));
    return m;
  }

  /**
   * A first, device-less event for {@code account}. The engine never calls the device of an
   * account's very first event "new" (nothing was known before it), so tests of new_device prime
   * the account first.
   */
  private void prime(String account) {
    Map<String, Object> m = payment(100);
    m.put("account_id", account);
    Map<String, Object> d = decide(m);
    assertEquals(0L, num(d.get("score")), d.toString());
  }

  private Map<String, Object> decide(Map<String, Object> event) {
    ApiClient.Reply r = api.post("/v1/decisions", event);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  private static List<Map<String, Object>> reasons(Map<String, Object> decision) {
    return list(decision.get("reasons"));
  }

  private static List<String> ruleIds(Map<String, Object> decision) {
    return reasons(decision).stream().map(r -> (String) r.get("rule_id")).toList();
  }

  private static Map<String, Object> rule(String id, String expression, int points, String reason) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", id);
    r.put("description", "API test rule");
    r.put("event_types", List.of("payment"));
    r.put("expression", expression);
    r.put("effect", Map.of("points", points));
    r.put("reason", reason);
    return r;
  }

  private static Map<String, Object> entry(String list, String entity, String value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("list", list);
    m.put("entity", entity);
    m.put("value", value);
    m.put("reason", "api test");
    m.put("source", "test");
    return m;
  }

  private String createEntry(String actor, Map<String, Object> entry) {
    ApiClient.Reply r = as(actor, "POST", "/v1/lists/entries", entry);
    assertEquals(201, r.status(), r.body());
    return (String) r.json().get("id");
  }

  // ---- rules --------------------------------------------------------------------------------

  @Test
  @Order(1)
  void defaultPackIsSeededAsVersionOne() {
    ApiClient.Reply r = api.get("/v1/rules");
    assertEquals(200, r.status(), r.body());
    assertEquals(1L, num(r.json().get("policy_version")), "fresh data directory: the seeded pack is version 1");
    List<Map<String, Object>> rules = data(r);
    assertEquals(DEFAULT_RULES, rules.stream().map(x -> (String) x.get("id")).toList());
    Map<String, Object> ipVelocity = rules.get(2);
    assertEquals("velocity.ip.count_1h > 5", ipVelocity.get("expression"));
    assertEquals(Map.of("points", 25), ipVelocity.get("effect"));
    assertEquals(true, ipVelocity.get("enabled"));
    assertEquals(List.of(), ipVelocity.get("event_types"));
    Map<String, Object> largePayment = rules.get(9);
    assertEquals(Map.of("action", "CHALLENGE", "challenge", "password_and_otp"), largePayment.get("effect"));
    assertEquals(List.of("payment", "transfer"), largePayment.get("event_types"));

    List<Map<String, Object>> versions = data(api.get("/v1/policy/versions"));
    assertEquals(1, versions.size());
    assertEquals(1L, num(versions.get(0).get("version")));
    assertEquals("seed", versions.get(0).get("created_by"));

    Map<String, Object> policy = api.get("/v1/policy").json();
    assertEquals(1L, num(policy.get("version")));
    Map<String, Object> defaults = map(map(policy.get("thresholds")).get("default"));
    assertEquals(40, defaults.get("challenge"));
    assertEquals(60, defaults.get("review"));
    assertEquals(80, defaults.get("deny"));
  }

  @Test
  void expressionsThatDoNotCompileAreRefusedAndChangeNothing() {
    long before = policyVersion();
    for (String expression : List.of(
        "velocity.ip.count_1h > \"x\"",   // int compared with string
        "velocity.ip.cont_1h > 5",        // undeclared name
        "1 + 2",                          // not a boolean
        "event.amount >",                 // syntax error
        "event.amount > 5 &&\n  event.currency > 3")) { // second line: string compared with int
      ApiClient.Reply r = as("alice", "POST", "/v1/rules", rule("test_bad_rule", expression, 10, "bad"));
      Map<String, Object> error = assertInvalid(r, "rule_compile_error", "expression");
      List<Map<String, Object>> issues = list(error.get("issues"));
      assertFalse(issues.isEmpty(), r.body());
      Map<String, Object> issue = issues.get(0);
      assertTrue(num(issue.get("line")) >= 1, () -> expression + ": " + r.body());
      assertTrue(num(issue.get("column")) >= 1, () -> expression + ": " + r.body());
      assertTrue(issue.get("message") instanceof String s && !s.isBlank(), r.body());
      if (expression.contains("\n")) assertEquals(2L, num(issue.get("line")), r.body());
    }
    assertEquals(before, policyVersion(), "a refused rule creates no policy version");
    assertError(api.get("/v1/rules/test_bad_rule"), 404, "not_found_error", "rule_not_found", "id");
  }

  @Test
  void malformedRuleDefinitionsNameTheirField() {
    long before = policyVersion();
    Map<String, Object> badId = rule("Bad-Id", "event.amount > 1", 10, "x");
    assertInvalid(as("alice", "POST", "/v1/rules", badId), "rule_compile_error", "id");
    Map<String, Object> badPlaceholder = rule("test_bad_placeholder", "event.amount > 1", 10, "see {event.amout}");
    assertInvalid(as("alice", "POST", "/v1/rules", badPlaceholder), "rule_compile_error", "reason");
    Map<String, Object> zeroPoints = rule("test_zero_points", "event.amount > 1", 0, "x");
    assertInvalid(as("alice", "POST", "/v1/rules", zeroPoints), "rule_compile_error", "effect.points");
    Map<String, Object> noEffect = rule("test_no_effect", "event.amount > 1", 10, "x");
    noEffect.remove("effect");
    assertInvalid(as("alice", "POST", "/v1/rules", noEffect), "missing_field", "effect");
    Map<String, Object> unknown = rule("test_unknown_field", "event.amount > 1", 10, "x");
    unknown.put("priority", 3);
    assertInvalid(as("alice", "POST", "/v1/rules", unknown), "unknown_field", "priority");
    Map<String, Object> badType = rule("test_bad_type", "event.amount > 1", 10, "x");
    badType.put("event_types", List.of("teleport"));
    assertInvalid(as("alice", "POST", "/v1/rules", badType), "invalid_type", "event_types");
    Map<String, Object> noExpression = rule("test_no_expression", "event.amount > 1", 10, "x");
    noExpression.remove("expression");
    assertInvalid(as("alice", "POST", "/v1/rules", noExpression), "missing_field", "expression");
    assertEquals(before, policyVersion());
  }

  @Test
  void ruleLifecycleChangesTheVeryNextDecision() {
    long v0 = policyVersion();

    // Create.
    ApiClient.Reply created = as("alice", "POST", "/v1/rules",
        rule("test_big_refund", "event.amount > 777", 90, "amount {event.amount}"));
    assertEquals(201, created.status(), created.body());
    assertEquals(v0 + 1, num(created.json().get("policy_version")));
    assertEquals("test_big_refund", created.json().get("id"));
    assertEquals(true, created.json().get("enabled"));
    assertEquals(v0 + 1, policyVersion());
    assertTrue(data(api.get("/v1/rules")).stream().anyMatch(r -> r.get("id").equals("test_big_refund")));
    try {
      Map<String, Object> denyEvent = payment(778);
      ApiClient.Reply denyReply = api.post("/v1/decisions", denyEvent);
      assertEquals(200, denyReply.status(), denyReply.body());
      Map<String, Object> deny = denyReply.json();
      assertEquals("DENY", deny.get("action"), denyReply.body());
      assertEquals(90L, num(deny.get("score")));
      assertEquals("critical", deny.get("risk_level"));
      assertEquals(v0 + 1, num(deny.get("policy_version")));
      Map<String, Object> reason = reasons(deny).stream().filter(r -> r.get("rule_id").equals("test_big_refund"))
          .findFirst().orElseThrow(() -> new AssertionError(denyReply.body()));
      assertEquals("amount 778", reason.get("message"));
      assertEquals(90L, num(reason.get("points")));
      assertEquals(778L, num(map(reason.get("values")).get("event.amount")));

      Map<String, Object> under = decide(payment(777));
      assertEquals("ALLOW", under.get("action"));
      assertFalse(ruleIds(under).contains("test_big_refund"));

      // Disable.
      ApiClient.Reply disabled = as("bob", "POST", "/v1/rules/test_big_refund/disable", null);
      assertEquals(200, disabled.status(), disabled.body());
      assertEquals(v0 + 2, num(disabled.json().get("policy_version")));
      assertEquals(false, disabled.json().get("enabled"));
      Map<String, Object> allow = decide(payment(778));
      assertEquals("ALLOW", allow.get("action"));
      assertFalse(ruleIds(allow).contains("test_big_refund"));
      assertEquals(v0 + 2, num(allow.get("policy_version")));

      // A replay of the earlier event is the stored decision, not a re-decision under the new policy.
      ApiClient.Reply replay = api.post("/v1/decisions", denyEvent);
      assertEquals(200, replay.status());
      assertEquals(denyReply.body(), replay.body());
      assertEquals("true", replay.headers().firstValue("Idempotent-Replayed").orElse(null));

      // Update and re-enable with PUT (an update that omits "enabled" keeps the current state).
      Map<String, Object> updated = rule("test_big_refund", "event.amount > 700", 50, "over 700: {event.amount}");
      updated.remove("id");
      updated.put("enabled", true);
      ApiClient.Reply put = as("carol", "PUT", "/v1/rules/test_big_refund", updated);
      assertEquals(200, put.status(), put.body());
      assertEquals(v0 + 3, num(put.json().get("policy_version")));
      assertEquals("event.amount > 700", put.json().get("expression"));
      Map<String, Object> fetched = api.get("/v1/rules/test_big_refund").json();
      assertEquals("event.amount > 700", fetched.get("expression"));
      assertEquals(Map.of("points", 50), fetched.get("effect"));
      assertEquals(true, fetched.get("enabled"));
      Map<String, Object> challenge = decide(payment(701));
      assertEquals("CHALLENGE", challenge.get("action"), challenge.toString());
      assertEquals(50L, num(challenge.get("score")));
      assertEquals("sms_otp", map(challenge.get("challenge")).get("kind"));
      assertEquals("over 700: 701", reasons(challenge).get(0).get("message"));
      assertEquals(v0 + 3, num(challenge.get("policy_version")));

      Map<String, Object> mismatch = rule("other_id", "event.amount > 700", 50, "x");
      assertInvalid(as("carol", "PUT", "/v1/rules/test_big_refund", mismatch), "id_mismatch", "id");
      assertInvalid(as("carol", "PUT", "/v1/rules/test_big_refund", rule("test_big_refund", "event.amount >", 50, "x")),
          "rule_compile_error", "expression");

      // Duplicate and unknown ids.
      assertError(as("alice", "POST", "/v1/rules", rule("test_big_refund", "event.amount > 1", 10, "x")), 409,
          "invalid_request_error", "rule_exists", "id");
      assertError(api.get("/v1/rules/no_such_rule"), 404, "not_found_error", "rule_not_found", "id");
      assertError(as("bob", "POST", "/v1/rules/no_such_rule/disable", null), 404, "not_found_error", "rule_not_found", "id");
      assertError(as("bob", "POST", "/v1/rules/no_such_rule/enable", null), 404, "not_found_error", "rule_not_found", "id");
      assertError(as("bob", "PUT", "/v1/rules/no_such_rule", rule("no_such_rule", "event.amount > 1", 10, "x")), 404,
          "not_found_error", "rule_not_found", "id");
      assertEquals(v0 + 3, policyVersion(), "refused changes make no version");

      // The history names who changed what.
      List<Map<String, Object>> versions = data(api.get("/v1/policy/versions"));
      assertEquals(v0 + 3, num(versions.get(0).get("version")), "newest first");
      assertEquals(Collections.nCopies(3, policyActor()), versions.subList(0, 3).stream().map(v -> v.get("created_by")).toList());
      assertEquals(List.of("update rule test_big_refund", "disable rule test_big_refund", "create rule test_big_refund"),
          versions.subList(0, 3).stream().map(v -> v.get("change")).toList());
      Map<String, Object> v1doc = map(api.get("/v1/policy/versions/" + (v0 + 1)).json().get("document"));
      Map<String, Object> asCreated = list(v1doc.get("rules")).stream().filter(r -> r.get("id").equals("test_big_refund"))
          .findFirst().orElseThrow();
      assertEquals("event.amount > 777", asCreated.get("expression"));
      assertError(api.get("/v1/policy/versions/999999"), 404, "not_found_error", "policy_version_not_found", "version");
    } finally {
      // Leave no custom rule in force for the other tests of this class.
      ApiClient.Reply off = as("cleanup", "POST", "/v1/rules/test_big_refund/disable", null);
      assertEquals(200, off.status(), off.body());
    }
  }

  @Test
  void thresholdsAreValidatedAndVersioned() {
    Map<String, Object> original = map(api.get("/v1/policy").json().get("thresholds"));
    long v0 = policyVersion();

    Map<String, Object> inverted = new LinkedHashMap<>(map(original.get("default")));
    inverted.put("challenge", 70);
    inverted.put("review", 60);
    assertInvalid(as("dave", "PUT", "/v1/policy/thresholds", Map.of("default", inverted)), "invalid_thresholds", "default");
    Map<String, Object> levels = new LinkedHashMap<>(map(original.get("default")));
    levels.put("critical", 10);
    assertInvalid(as("dave", "PUT", "/v1/policy/thresholds", Map.of("default", levels)), "invalid_thresholds", "default");
    assertInvalid(as("dave", "PUT", "/v1/policy/thresholds", Map.of("withdrawal", original.get("default"))),
        "invalid_thresholds", "default");
    assertInvalid(as("dave", "PUT", "/v1/policy/thresholds", Map.of("default", original.get("default"), "teleport",
        original.get("default"))), "invalid_thresholds", "teleport");
    Map<String, Object> notInt = new LinkedHashMap<>(map(original.get("default")));
    notInt.put("deny", "80");
    assertInvalid(as("dave", "PUT", "/v1/policy/thresholds", Map.of("default", notInt)), "wrong_type", "default.deny");
    assertEquals(v0, policyVersion(), "refused thresholds make no version");

    // A device new to its account scores 35: ALLOW under the standard thresholds (challenge 40).
    String account1 = id("acc");
    prime(account1); // before the event is built: the prime must be earlier in event time
    Map<String, Object> before = payment(100);
    before.put("account_id", account1);
    before.put("device", Map.of("id", id("dev")));
    Map<String, Object> standard = decide(before);
    assertEquals(35L, num(standard.get("score")), standard.toString());
    assertEquals("ALLOW", standard.get("action"));

    Map<String, Object> strict = new LinkedHashMap<>(map(original.get("default")));
    strict.put("challenge", 20);
    strict.put("review", 30);
    strict.put("deny", 50);
    Map<String, Object> body = new LinkedHashMap<>(original);
    body.put("default", strict);
    try {
      ApiClient.Reply ok = as("dave", "PUT", "/v1/policy/thresholds", body);
      assertEquals(200, ok.status(), ok.body());
      assertEquals(v0 + 1, num(ok.json().get("policy_version")));
      assertEquals(30, map(map(ok.json().get("thresholds")).get("default")).get("review"));
      assertEquals(map(original.get("withdrawal")), map(map(ok.json().get("thresholds")).get("withdrawal")));
      assertEquals(30, map(map(api.get("/v1/policy").json().get("thresholds")).get("default")).get("review"));
      Map<String, Object> versions0 = data(api.get("/v1/policy/versions")).get(0);
      assertEquals(policyActor(), versions0.get("created_by"));
      assertEquals("change thresholds", versions0.get("change"));

      String account2 = id("acc");
      prime(account2);
      Map<String, Object> after = payment(100);
      after.put("account_id", account2);
      after.put("device", Map.of("id", id("dev")));
      Map<String, Object> review = decide(after);
      assertEquals(35L, num(review.get("score")));
      assertEquals("REVIEW", review.get("action"), review.toString());
      assertEquals(v0 + 1, num(review.get("policy_version")));
    } finally {
      ApiClient.Reply restored = as("dave", "PUT", "/v1/policy/thresholds", original);
      assertEquals(200, restored.status(), restored.body());
      assertEquals(v0 + 2, num(restored.json().get("policy_version")));
    }
  }

  // ---- lists --------------------------------------------------------------------------------

  @Test
  void blockedIpRangeDeniesTheVeryNextDecisionUntilDeleted() {
    ApiClient.Reply created = as("erin", "POST", "/v1/lists/entries",
        Map.of("list", "block", "entity", "ip", "value", "198.51.100.0/24", "reason", "botnet", "source", "test"));
    assertEquals(201, created.status(), created.body());
    Map<String, Object> entry = created.json();
    String entryId = (String) entry.get("id");
    assertTrue(entryId != null && !entryId.isBlank(), created.body());
    assertEquals("block", entry.get("list"));
    assertEquals("ip", entry.get("entity"));
    assertEquals("198.51.100.0/24", entry.get("value"));
    assertEquals(listActor(), entry.get("created_by"));
    assertEquals(true, entry.get("active"));

    Map<String, Object> event = payment(500);
    event.put("ip", "198.51.100.77");
    Map<String, Object> denied = decide(event);
    assertEquals("DENY", denied.get("action"), denied.toString());
    Map<String, Object> first = reasons(denied).get(0);
    assertEquals("list.block.ip", first.get("rule_id"));
    assertEquals("DENY", first.get("action"));
    assertEquals(entryId, map(first.get("values")).get("list_entry_id"));
    assertTrue(((String) first.get("message")).contains("botnet"), first.toString());

    // Outside the range: not blocked.
    Map<String, Object> outside = payment(500);
    outside.put("ip", "198.51.101.77");
    assertEquals("ALLOW", decide(outside).get("action"));

    assertEquals(entryId, api.get("/v1/lists/entries/" + entryId).json().get("id"));
    List<Map<String, Object>> found = data(api.get("/v1/lists/entries?list=block&entity=ip&value=" + enc("198.51.100.0/24")));
    assertEquals(List.of(entryId), found.stream().map(e -> e.get("id")).toList());

    // The same value again, even spelled with spaces, is a conflict.
    assertError(as("erin", "POST", "/v1/lists/entries", entry("block", "ip", "198.51.100.0/24")), 409,
        "invalid_request_error", "list_entry_exists", "value");
    assertError(as("erin", "POST", "/v1/lists/entries", entry("block", "ip", " 198.51.100.0/24 ")), 409,
        "invalid_request_error", "list_entry_exists", "value");

    ApiClient.Reply deleted = as("frank", "DELETE", "/v1/lists/entries/" + entryId, null);
    assertEquals(200, deleted.status(), deleted.body());
    assertEquals(true, deleted.json().get("deleted"));
    Map<String, Object> after = payment(500);
    after.put("ip", "198.51.100.77");
    Map<String, Object> allowed = decide(after);
    assertNotEquals("DENY", allowed.get("action"), allowed.toString());
    assertFalse(ruleIds(allowed).contains("list.block.ip"), allowed.toString());

    assertError(api.get("/v1/lists/entries/" + entryId), 404, "not_found_error", "list_entry_not_found", "id");
    assertError(as("frank", "DELETE", "/v1/lists/entries/" + entryId, null), 404, "not_found_error", "list_entry_not_found", "id");

    List<Map<String, Object>> changes = data(api.get("/v1/lists/changes?entry_id=" + entryId));
    assertEquals(List.of("delete", "create"), changes.stream().map(c -> c.get("operation")).toList(), "newest first");
    assertEquals(List.of(listActor(), listActor()), changes.stream().map(c -> c.get("actor")).toList());
    for (Map<String, Object> c : changes) {
      assertEquals(entryId, c.get("entry_id"));
      assertEquals("198.51.100.0/24", map(c.get("entry")).get("value"));
    }
  }

  @Test
  void badListEntriesAreRefusedWithTheirParam() {
    int before = data(api.get("/v1/lists/entries?limit=500")).size();
    String future = TestClock.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MILLIS).toString();
    assertInvalid(as("erin", "POST", "/v1/lists/entries", entry("block", "ip", "198.51.100.0/33")), "invalid_list_value", "value");
    assertInvalid(as("erin", "POST", "/v1/lists/entries", entry("block", "ip", "198.51.100.0/x")), "invalid_list_value", "value");
    assertInvalid(as("erin", "POST", "/v1/lists/entries", entry("block", "ip", "999.51.100.0/24")), "invalid_list_value", "value");
    assertInvalid(as("erin", "POST", "/v1/lists/entries", entry("block", "ip", "localhost")), "invalid_list_value", "value");
    assertInvalid(as("erin", "POST", "/v1/lists/entries", entry("block", "bin", "12345")), "invalid_list_value", "value");
    assertInvalid(as("erin", "POST", "/v1/lists/entries", entry("block", "planet", "mars")), "invalid_entity", "entity");
    assertInvalid(as("erin", "POST", "/v1/lists/entries", entry("grey", "ip", "198.51.100.1")), "invalid_list", "list");
    Map<String, Object> past = entry("block", "ip", "198.51.100.2");
    past.put("expires_at", TestClock.now().minus(Duration.ofMinutes(1)).toString());
    assertInvalid(as("erin", "POST", "/v1/lists/entries", past), "expires_in_past", "expires_at");
    Map<String, Object> malformed = entry("block", "ip", "198.51.100.2");
    malformed.put("expires_at", "tomorrow");
    assertInvalid(as("erin", "POST", "/v1/lists/entries", malformed), "invalid_timestamp", "expires_at");
    Map<String, Object> noValue = entry("block", "ip", "x");
    noValue.remove("value");
    assertInvalid(as("erin", "POST", "/v1/lists/entries", noValue), "missing_field", "value");
    Map<String, Object> numeric = entry("block", "ip", "x");
    numeric.put("value", 5);
    assertInvalid(as("erin", "POST", "/v1/lists/entries", numeric), "wrong_type", "value");
    assertInvalid(api.post("/v1/lists/entries", "[]"), "invalid_json", null);
    assertInvalid(api.get("/v1/lists/entries?list=grey"), "invalid_list", "list");
    assertInvalid(api.get("/v1/lists/entries?entity=planet"), "invalid_entity", "entity");
    assertError(as("erin", "DELETE", "/v1/lists/entries/le_nope", null), 404, "not_found_error", "list_entry_not_found", "id");
    assertEquals(before, data(api.get("/v1/lists/entries?limit=500")).size(), "nothing was stored");

    // A future expiry is fine.
    Map<String, Object> expiring = entry("watch", "ip", "198.51.100.3");
    expiring.put("expires_at", future);
    String id = createEntry("erin", expiring);
    assertEquals(future, api.get("/v1/lists/entries/" + id).json().get("expires_at"));
    assertEquals(200, as("erin", "DELETE", "/v1/lists/entries/" + id, null).status());
  }

  // BUG: ListService.create (vigil-server/.../list/ListService.java:35) reports an unknown field with
  // param "list" instead of the field's name (the event parser and the rules API name the field).
  @Test
  void unknownListEntryFieldNamesTheField() {
    Map<String, Object> body = entry("block", "ip", "198.51.100.9");
    body.put("colour", "red");
    assertInvalid(as("erin", "POST", "/v1/lists/entries", body), "unknown_field", "colour");
  }

  @Test
  void unknownListEntryFieldIsRefusedAndStoresNothing() {
    Map<String, Object> body = entry("block", "ip", "198.51.100.9");
    body.put("colour", "red");
    ApiClient.Reply r = as("erin", "POST", "/v1/lists/entries", body);
    assertEquals(400, r.status(), r.body());
    assertEquals("unknown_field", r.error().get("code"));
    assertEquals(List.of(), data(api.get("/v1/lists/entries?list=block&entity=ip&value=198.51.100.9")));
  }

  @Test
  void allowListedAccountOverridesABlock() {
    String blocked = createEntry("gina", entry("block", "ip", "203.0.113.9"));
    String allowedAccount = id("acc");
    String allowed = createEntry("gina", entry("allow", "account", allowedAccount));
    try {
      Map<String, Object> other = payment(500);
      other.put("ip", "203.0.113.9");
      Map<String, Object> deny = decide(other);
      assertEquals("DENY", deny.get("action"), "control: the IP alone is DENY-worthy");
      assertEquals("list.block.ip", reasons(deny).get(0).get("rule_id"));

      Map<String, Object> event = payment(500);
      event.put("account_id", allowedAccount);
      event.put("ip", "203.0.113.9");
      Map<String, Object> allow = decide(event);
      assertEquals("ALLOW", allow.get("action"), allow.toString());
      assertEquals("list.allow.account", reasons(allow).get(0).get("rule_id"));
      assertEquals(allowed, map(reasons(allow).get(0).get("values")).get("list_entry_id"));
      assertFalse(ruleIds(allow).contains("list.block.ip"));
    } finally {
      assertEquals(200, as("gina", "DELETE", "/v1/lists/entries/" + blocked, null).status());
      assertEquals(200, as("gina", "DELETE", "/v1/lists/entries/" + allowed, null).status());
    }
  }

  @Test
  void watchListedDeviceFiresTheWatchListRule() {
    String account = id("acc");
    String device = id("dev");
    prime(account);
    Map<String, Object> first = payment(500);
    first.put("account_id", account);
    first.put("device", Map.of("id", device));
    Map<String, Object> d1 = decide(first);
    assertEquals(List.of("new_device"), ruleIds(d1), "control: the device is new to the account");

    Map<String, Object> second = payment(500);
    second.put("account_id", account);
    second.put("device", Map.of("id", device));
    Map<String, Object> d2 = decide(second);
    assertEquals(0L, num(d2.get("score")), "control: a known device, nothing fires");
    assertEquals(List.of(), ruleIds(d2));

    String watch = createEntry("hank", entry("watch", "device", device));
    try {
      Map<String, Object> third = payment(500);
      third.put("account_id", account);
      third.put("device", Map.of("id", device));
      Map<String, Object> d3 = decide(third);
      assertEquals(List.of("watch_list"), ruleIds(d3), d3.toString());
      assertEquals(25L, num(reasons(d3).get(0).get("points")));
      assertEquals(25L, num(d3.get("score")));
      assertEquals("ALLOW", d3.get("action"), "a watch list scores, it does not block");
      assertEquals(true, map(reasons(d3).get(0).get("values")).get("lists.watch.device"), d3.toString());
    } finally {
      assertEquals(200, as("hank", "DELETE", "/v1/lists/entries/" + watch, null).status());
    }
  }

  @Test
  void anUpdateThatOmitsEnabledKeepsADisabledRuleDisabled() {
    String id = "keep_disabled_" + Long.toHexString(System.nanoTime());
    assertEquals(201, as("ivy", "POST", "/v1/rules", rule(id, "event.amount == 31337", 90, "x")).status());
    assertEquals(200, as("ivy", "POST", "/v1/rules/" + id + "/disable", null).status());
    Map<String, Object> update = rule(id, "event.amount == 31338", 90, "y");
    update.remove("enabled");
    update.remove("id");
    ApiClient.Reply r = as("ivy", "PUT", "/v1/rules/" + id, update);
    assertEquals(200, r.status(), r.body());
    assertEquals(Boolean.FALSE, r.json().get("enabled"));
    assertEquals("event.amount == 31338", api.get("/v1/rules/" + id).json().get("expression"));
  }

  @Test
  void thresholdObjectsRefuseUnknownFieldsAndBadChallengeKinds() {
    long before = policyVersion();
    Map<String, Object> good = new LinkedHashMap<>(Map.of("challenge", 40, "review", 60, "deny", 80,
        "medium", 30, "high", 60, "critical", 80, "challenge_kind", "sms_otp"));
    Map<String, Object> typo = new LinkedHashMap<>(good);
    typo.put("denny", 70);
    ApiClient.Reply r = as("ivy", "PUT", "/v1/policy/thresholds", Map.of("default", typo));
    assertEquals(400, r.status(), r.body());
    assertEquals("unknown_field", r.error().get("code"));
    assertEquals("default.denny", r.error().get("param"));
    Map<String, Object> badKind = new LinkedHashMap<>(good);
    badKind.put("challenge_kind", "SMS OTP!");
    r = as("ivy", "PUT", "/v1/policy/thresholds", Map.of("default", good, "withdrawal", badKind));
    assertEquals(400, r.status(), r.body());
    assertEquals("withdrawal.challenge_kind", r.error().get("param"));
    assertEquals(before, policyVersion());
  }
}
