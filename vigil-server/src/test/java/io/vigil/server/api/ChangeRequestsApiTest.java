package io.vigil.server.api;

import static io.vigil.server.api.ApiTestSupport.assertError;
import static io.vigil.server.api.ApiTestSupport.assertInvalid;
import static io.vigil.server.api.ApiTestSupport.data;
import static io.vigil.server.api.ApiTestSupport.list;
import static io.vigil.server.api.ApiTestSupport.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.server.change.ChangeRequestService;
import io.vigil.server.policy.release.ReleaseService;
import io.vigil.server.security.Role;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators;
import io.vigil.server.support.TestOperators.Signed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Change requests through the real API and store: an author proposes, a second operator approves,
 * the change goes live; self-approval, expiry, conflicts and rebase, scheduled go-live, emergency
 * direct writes and their review, rollback, export and import, and each kind's validation.
 */
class ChangeRequestsApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-changes-");

  @DynamicPropertySource
  static void ownDataDir(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    registry.add("vigil.changes.expiry", () -> "1h");
    registry.add("vigil.changes.scheduler.enabled", () -> "false");
    storeAsAsked(registry);
  }

  @Autowired
  ChangeRequestService changes;
  @Autowired
  ReleaseService releases;

  /** A rule author who may also approve (so that approving their own change is refused for being theirs). */
  private Signed author() {
    return TestOperators.signInSteppedUp(base, TestOperators.newUsername("author"), Set.of(Role.RULE_AUTHOR, Role.CHANGE_APPROVER));
  }

  private Signed approver() {
    return TestOperators.signInSteppedUp(base, TestOperators.newUsername("checker"), Set.of(Role.CHANGE_APPROVER));
  }

  private ApiClient.Reply as(Signed op, String method, String path, Object body) {
    return ApiTestSupport.send(base, method, path, body == null ? null : ApiClient.json(body), op.headers());
  }

  private static Map<String, Object> rule(String id, int points) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", id);
    r.put("description", "change request test rule");
    r.put("event_types", List.of("payment"));
    r.put("expression", "event.amount > 999999999");
    r.put("effect", Map.of("points", points));
    r.put("reason", "test");
    return r;
  }

  private long policyVersion() {
    return ((Number) api.get("/v1/policy").json().get("version")).longValue();
  }

  /** The live rules plus one. */
  private Map<String, Object> withRule(Map<String, Object> rule) {
    List<Object> rules = new ArrayList<>(list(api.get("/v1/policy").json().get("rules")));
    rules.add(rule);
    return Map.of("rules", rules);
  }

  private Map<String, Object> propose(Signed author, String kind, Map<String, Object> proposed) {
    ApiClient.Reply r = as(author, "POST", "/v1/change-requests", Map.of("kind", kind, "reason", "test change", "proposed", proposed));
    assertEquals(201, r.status(), r.body());
    return r.json();
  }

  private ApiClient.Reply approve(Signed approver, Object id, Object goLive) {
    return as(approver, "POST", "/v1/change-requests/" + id + "/approve", goLive == null ? Map.of() : Map.of("go_live", goLive));
  }

  @Test
  void aRuleChangeGoesLiveOnlyWhenASecondOperatorApprovesIt() {
    Signed author = author();
    String ruleId = ApiTestSupport.id("cr_rule").replace('-', '_');
    assertError(as(author, "POST", "/v1/rules", rule(ruleId, 5)), 403, "permission_error", "approval_required", null);
    long before = policyVersion();
    Map<String, Object> cr = propose(author, "policy", withRule(rule(ruleId, 5)));
    assertEquals("pending", cr.get("status"));
    assertEquals(before, ((Number) cr.get("base_version")).longValue());
    List<Map<String, Object>> added = list(map(map(cr.get("difference")).get("rules")).get("added"));
    assertEquals(ruleId, map(added.get(0)).get("id"));
    assertEquals(404, api.get("/v1/rules/" + ruleId).status(), "not live before approval");

    assertError(approve(author, cr.get("id"), null), 403, "permission_error", "own_change", "id");
    Signed unfresh = TestOperators.signIn(base, TestOperators.newUsername("stale"), Set.of(Role.CHANGE_APPROVER));
    assertError(approve(unfresh, cr.get("id"), null), 403, "permission_error", "step_up_required", null);
    assertEquals(404, api.get("/v1/rules/" + ruleId).status(), "refused approvals change nothing");

    Signed checker = approver();
    ApiClient.Reply ok = approve(checker, cr.get("id"), "now");
    assertEquals(200, ok.status(), ok.body());
    assertEquals("live", ok.json().get("status"));
    assertEquals(before + 1, ((Number) ok.json().get("live_version")).longValue());
    assertEquals(checker.username(), ok.json().get("decided_by"));
    assertEquals(200, api.get("/v1/rules/" + ruleId).status());
    List<Object> actions = list(ok.json().get("history")).stream().map(e -> map(e).get("action")).toList();
    assertEquals(List.of("created", "approved"), actions);
    assertError(approve(approver(), cr.get("id"), null), 409, "invalid_request_error", "change_not_pending", "id");
    List<Map<String, Object>> audit = data(api.get("/v1/audit?entity_type=change_request&entity_id=" + cr.get("id")));
    assertTrue(audit.stream().anyMatch(e -> "change_request.apply".equals(e.get("action"))), audit.toString());
    assertTrue(audit.stream().anyMatch(e -> "change_request.create".equals(e.get("action"))), audit.toString());
  }

  @Test
  void aChangeDraftedAgainstAnOlderVersionConflictsUntilItsAuthorRebasesIt() {
    Signed first = author();
    Signed second = author();
    Signed checker = approver();
    Map<String, Object> weights = propose(first, "policy", Map.of("weights", Map.of("rules", 0.7, "model", 0.3)));
    String ruleId = ApiTestSupport.id("cr_rebase").replace('-', '_');
    Map<String, Object> ruleChange = propose(second, "policy", withRule(rule(ruleId, 7)));
    assertEquals(200, approve(checker, weights.get("id"), null).status());
    long live = policyVersion();

    assertError(approve(checker, ruleChange.get("id"), null), 409, "invalid_request_error", "change_conflict", "base_version");
    Map<String, Object> seen = api.get("/v1/change-requests/" + ruleChange.get("id")).json();
    assertEquals(true, seen.get("conflict"));
    assertEquals("pending", seen.get("status"));
    assertEquals(live, policyVersion(), "nothing applied");
    assertError(as(first, "POST", "/v1/change-requests/" + ruleChange.get("id") + "/rebase", Map.of()), 403, "permission_error",
        "not_author", "id");

    ApiClient.Reply rebased = as(second, "POST", "/v1/change-requests/" + ruleChange.get("id") + "/rebase", Map.of());
    assertEquals(200, rebased.status(), rebased.body());
    assertEquals(live, ((Number) rebased.json().get("base_version")).longValue());
    assertEquals(false, rebased.json().get("conflict"));
    assertEquals(Map.of("rules", 0.7, "model", 0.3), map(rebased.json().get("proposed")).get("weights"), "the rebase keeps what went live");
    assertEquals(200, approve(checker, ruleChange.get("id"), null).status());
    Map<String, Object> policy = api.get("/v1/policy").json();
    assertEquals(0.7, ((Number) map(policy.get("weights")).get("rules")).doubleValue());
    assertTrue(list(policy.get("rules")).stream().anyMatch(r -> ruleId.equals(map(r).get("id"))));
  }

  @Test
  void ofTwoConflictingChangesApprovedAtOnceOnlyOneGoesLive() throws Exception {
    Signed author = author();
    Map<String, Object> a = propose(author, "policy", Map.of("weights", Map.of("rules", 0.6, "model", 0.4)));
    Map<String, Object> b = propose(author, "policy", Map.of("weights", Map.of("rules", 0.4, "model", 0.6)));
    Signed c1 = approver();
    Signed c2 = approver();
    long before = policyVersion();
    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Callable<ApiClient.Reply> one = () -> {
        start.await();
        return approve(c1, a.get("id"), null);
      };
      Callable<ApiClient.Reply> two = () -> {
        start.await();
        return approve(c2, b.get("id"), null);
      };
      Future<ApiClient.Reply> f1 = pool.submit(one);
      Future<ApiClient.Reply> f2 = pool.submit(two);
      List<ApiClient.Reply> replies = List.of(f1.get(), f2.get());
      assertEquals(1, replies.stream().filter(r -> r.status() == 200).count(), replies.toString());
      ApiClient.Reply refused = replies.stream().filter(r -> r.status() != 200).findFirst().orElseThrow();
      assertError(refused, 409, "invalid_request_error", "change_conflict", "base_version");
    } finally {
      pool.shutdownNow();
    }
    assertEquals(before + 1, policyVersion());
  }

  @Test
  void aChangeNotDecidedInTimeExpires() {
    Signed author = author();
    Map<String, Object> cr = propose(author, "policy", Map.of("weights", Map.of("rules", 0.55, "model", 0.45)));
    long before = policyVersion();
    TestClock.advance(Duration.ofMinutes(61));
    assertError(approve(approver(), cr.get("id"), null), 409, "invalid_request_error", "change_expired", "id");
    assertEquals("expired", api.get("/v1/change-requests/" + cr.get("id")).json().get("status"));
    assertEquals(before, policyVersion());
  }

  @Test
  void anApprovedChangeGoesLiveAtItsScheduledTime() {
    Signed author = author();
    String ruleId = ApiTestSupport.id("cr_sched").replace('-', '_');
    Map<String, Object> cr = propose(author, "policy", withRule(rule(ruleId, 3)));
    Signed checker = approver();
    assertInvalid(approve(checker, cr.get("id"), Map.of("at", TestClock.now().minusSeconds(60).toString())), "invalid_go_live",
        "go_live.at");
    ApiClient.Reply approved = approve(checker, cr.get("id"), Map.of("at", TestClock.now().plus(Duration.ofMinutes(10)).toString()));
    assertEquals(200, approved.status(), approved.body());
    assertEquals("approved", approved.json().get("status"));
    assertEquals(0, changes.runDue(), "not due yet");
    assertEquals(404, api.get("/v1/rules/" + ruleId).status());
    TestClock.advance(Duration.ofMinutes(11));
    assertEquals(1, changes.runDue());
    assertEquals("live", api.get("/v1/change-requests/" + cr.get("id")).json().get("status"));
    assertEquals(200, api.get("/v1/rules/" + ruleId).status());
    List<Map<String, Object>> audit = data(api.get("/v1/audit?entity_type=change_request&entity_id=" + cr.get("id")));
    assertTrue(audit.stream().anyMatch(e -> "change_request.apply".equals(e.get("action"))
        && "system".equals(map(e.get("actor")).get("kind"))), audit.toString());
  }

  @Test
  void anApprovalAsAGradualReleaseStartsTheRelease() {
    Signed author = author();
    Map<String, Object> cr = propose(author, "policy", Map.of("weights", Map.of("rules", 0.65, "model", 0.35)));
    ApiClient.Reply r = approve(approver(), cr.get("id"), Map.of("release", Map.of("mode", "gray", "percent", 5)));
    assertEquals(200, r.status(), r.body());
    String releaseId = (String) r.json().get("release_id");
    assertEquals(releaseId, releases.running().orElseThrow().releaseId());
    releases.stop(releaseId, "test", "test cleanup");
    assertInvalid(approve(approver(), cr.get("id"), Map.of("release", Map.of("mode", "gray", "percent", 101))), "invalid_go_live",
        "go_live.release.percent");
  }

  @Test
  void anEmergencyDirectWriteIsRecordedLiveAndReviewedByASecondPerson() {
    ApiClient.Reply direct = api.put("/v1/policy/weights", Map.of("weights", Map.of("rules", 0.45, "model", 0.55)));
    assertEquals(200, direct.status(), direct.body());
    long live = ((Number) direct.json().get("policy_version")).longValue();
    List<Map<String, Object>> flagged = data(api.get("/v1/change-requests?review_required=true&kind=policy"));
    Map<String, Object> emergency = flagged.stream().filter(c -> ((Number) c.get("live_version")).longValue() == live).findFirst()
        .orElseThrow(() -> new AssertionError(flagged.toString()));
    assertEquals(true, emergency.get("emergency"));
    assertEquals("live", emergency.get("status"));
    assertError(api.post("/v1/change-requests/" + emergency.get("id") + "/review", Map.of()), 403, "permission_error", "own_change",
        "id");
    Signed checker = approver();
    ApiClient.Reply reviewed = as(checker, "POST", "/v1/change-requests/" + emergency.get("id") + "/review", Map.of("note", "ok"));
    assertEquals(200, reviewed.status(), reviewed.body());
    assertEquals(false, reviewed.json().get("review_required"));
    assertEquals(checker.username(), reviewed.json().get("reviewed_by"));
    assertError(as(approver(), "POST", "/v1/change-requests/" + emergency.get("id") + "/review", Map.of()), 409, "invalid_request_error",
        "review_not_required", "id");
  }

  @Test
  void aRollbackRequestPutsAnEarlierVersionBackOnceApproved() {
    Signed author = author();
    long earlier = policyVersion();
    Object earlierRules = api.get("/v1/policy").json().get("rules");
    String ruleId = ApiTestSupport.id("cr_rb").replace('-', '_');
    assertEquals(200, approve(approver(), propose(author, "policy", withRule(rule(ruleId, 4))).get("id"), null).status());
    assertEquals(200, api.get("/v1/rules/" + ruleId).status());

    ApiClient.Reply rb = as(author, "POST", "/v1/change-requests", Map.of("kind", "policy", "reason", "undo", "rollback_to_version",
        earlier));
    assertEquals(201, rb.status(), rb.body());
    assertEquals(((Number) rb.json().get("rollback_to_version")).longValue(), earlier);
    assertEquals(200, api.get("/v1/rules/" + ruleId).status(), "a rollback waits for approval too");
    assertEquals(200, approve(approver(), rb.json().get("id"), null).status());
    assertEquals(404, api.get("/v1/rules/" + ruleId).status());
    assertEquals(earlierRules, api.get("/v1/policy").json().get("rules"));
    assertInvalid(as(author, "POST", "/v1/change-requests", Map.of("kind", "policy", "reason", "r", "rollback_to_version", "x")),
        "wrong_type", "rollback_to_version");
    assertError(as(author, "POST", "/v1/change-requests", Map.of("kind", "policy", "reason", "r", "rollback_to_version", 999_999)), 404,
        "not_found_error", "policy_version_not_found", "rollback_to_version");
  }

  @Test
  void anExportedConfigurationImportsAsChangeRequestsNeverLive() {
    Map<String, Object> file = api.get("/v1/configuration/export").json();
    assertEquals("vigil.configuration", file.get("format"));
    Signed author = author();
    ApiClient.Reply same = as(author, "POST", "/v1/configuration/import", file);
    assertEquals(201, same.status(), same.body());
    assertEquals(List.of(), same.json().get("change_requests"), "nothing differs, nothing to approve");

    Map<String, Object> policy = new LinkedHashMap<>(map(map(map(file.get("configuration")).get("policy")).get("configuration")));
    policy.put("weights", Map.of("rules", 0.35, "model", 0.65));
    Map<String, Object> changed = new LinkedHashMap<>(file);
    changed.put("configuration", Map.of("policy", Map.of("version", 1, "configuration", policy)));
    long before = policyVersion();
    ApiClient.Reply imported = as(author, "POST", "/v1/configuration/import", changed);
    assertEquals(201, imported.status(), imported.body());
    List<Map<String, Object>> created = list(imported.json().get("change_requests"));
    assertEquals(1, created.size());
    assertEquals("pending", map(created.get(0)).get("status"));
    assertEquals(before, policyVersion(), "an import never goes live");
    Map<String, Object> cr = api.get("/v1/change-requests/" + map(created.get(0)).get("id")).json();
    assertEquals(Set.of("weights"), map(cr.get("difference")).keySet());

    assertInvalid(as(author, "POST", "/v1/configuration/import", Map.of("format", "other", "format_version", 1, "configuration", Map.of())),
        "invalid_value", "format");
    Map<String, Object> bad = new LinkedHashMap<>(policy);
    bad.put("rules", List.of(Map.of("id", "broken")));
    ApiClient.Reply refused = as(author, "POST", "/v1/configuration/import", Map.of("format", "vigil.configuration", "format_version", 1,
        "configuration", Map.of("policy", Map.of("configuration", bad))));
    assertEquals(400, refused.status(), refused.body());
    assertTrue(String.valueOf(refused.error().get("param")).startsWith("proposed.rules[0]"), refused.body());
  }

  @Test
  void eachKindRefusesABadProposalNamingTheField() {
    Signed author = author();
    assertPlace(as(author, "POST", "/v1/change-requests", Map.of("kind", "policy", "reason", "r", "proposed",
        Map.of("rules", List.of(Map.of("id", "only_an_id"))))), "proposed.rules[0]");
    assertInvalid(as(author, "POST", "/v1/change-requests", Map.of("kind", "policy", "reason", "r", "proposed",
        Map.of("weights", Map.of("rules", 2, "model", -1)))), "invalid_weights", "proposed.weights");
    assertInvalid(as(author, "POST", "/v1/change-requests", Map.of("kind", "policy", "reason", "r", "proposed",
        Map.of("default_timezone", "Mars/Olympus"))), "invalid_timezone", "proposed.default_timezone");
    assertPlace(as(author, "POST", "/v1/change-requests", Map.of("kind", "policy", "reason", "r", "proposed",
        Map.of("bogus", 1))), "proposed.bogus");
    assertInvalid(as(author, "POST", "/v1/change-requests", Map.of("kind", "nope", "reason", "r", "proposed", Map.of())),
        "unknown_kind", "kind");
    assertInvalid(as(author, "POST", "/v1/change-requests", Map.of("kind", "policy", "proposed", Map.of())), "missing_field", "reason");
    assertError(as(author, "POST", "/v1/change-requests", Map.of("kind", "model_promotion", "reason", "r", "proposed", Map.of())), 403,
        "permission_error", "permission_denied", "kind");

    Signed reviewer = TestOperators.signIn(base, TestOperators.newUsername("lists"), Set.of(Role.REVIEWER));
    assertPlace(as(reviewer, "POST", "/v1/change-requests", Map.of("kind", "lists_bulk", "reason", "r", "proposed",
        Map.of("add", List.of(Map.of("list", "nope", "entity", "ip", "value", "198.51.100.7"))))), "proposed.add[0]");
    assertInvalid(as(reviewer, "POST", "/v1/change-requests", Map.of("kind", "lists_bulk", "reason", "r", "proposed",
        Map.of("remove", List.of("le_missing")))), "list_entry_not_found", "proposed.remove[0]");
    assertInvalid(as(reviewer, "POST", "/v1/change-requests", Map.of("kind", "lists_bulk", "reason", "r", "proposed", Map.of())),
        "missing_field", "proposed.add");

    Signed admin = TestOperators.signIn(base, TestOperators.newUsername("admin"), Set.of(Role.ADMINISTRATOR));
    assertPlace(as(admin, "POST", "/v1/change-requests", Map.of("kind", "reference_reload", "reason", "r", "proposed", Map.of("x", 1))),
        "proposed.x");
    assertInvalid(as(admin, "POST", "/v1/change-requests", Map.of("kind", "model_promotion", "reason", "r", "proposed",
        Map.of("model_id", "m_missing", "role", "live"))), "model_not_found", "proposed.model_id");
    assertInvalid(as(admin, "POST", "/v1/change-requests", Map.of("kind", "model_promotion", "reason", "r", "proposed",
        Map.of("model_id", "m_missing", "role", "boss"))), "invalid_role", "proposed.role");
    assertEquals(0, data(api.get("/v1/change-requests?status=pending&kind=model_promotion")).size(), "nothing stored");
  }

  @Test
  void aBulkListChangeGoesLiveWholeOrNotAtAll() {
    Signed reviewer = TestOperators.signIn(base, TestOperators.newUsername("bulk"), Set.of(Role.REVIEWER));
    String v1 = "198.51.100." + (int) (Math.random() * 200 + 20);
    ApiClient.Reply listed = api.post("/v1/lists/entries", Map.of("list", "block", "entity", "account", "value", ApiTestSupport.id("bulk"),
        "reason", "test"));
    assertEquals(201, listed.status(), listed.body());
    String doomed = listed.json().get("id").toString();
    Map<String, Object> cr = propose(reviewer, "lists_bulk", Map.of("add", List.of(Map.of("list", "block", "entity", "ip", "value", v1,
        "reason", "bulk")), "remove", List.of(doomed)));
    assertEquals(200, api.delete("/v1/lists/entries/" + doomed).status(), "the entry goes before the change is approved");
    Signed checker = approver();
    assertInvalid(approve(checker, cr.get("id"), null), "list_entry_not_found", "proposed.remove[0]");
    assertEquals("pending", api.get("/v1/change-requests/" + cr.get("id")).json().get("status"));
    assertEquals(0, data(api.get("/v1/lists/entries?list=block&entity=ip&value=" + v1)).size(), "no entry half-added");
    assertEquals(200, as(reviewer, "POST", "/v1/change-requests/" + cr.get("id") + "/withdraw", Map.of()).status());

    Map<String, Object> ok = propose(reviewer, "lists_bulk", Map.of("add", List.of(Map.of("list", "block", "entity", "ip", "value", v1,
        "reason", "bulk"))));
    ApiClient.Reply live = approve(checker, ok.get("id"), null);
    assertEquals(200, live.status(), live.body());
    assertEquals(1, data(api.get("/v1/lists/entries?list=block&entity=ip&value=" + v1)).size());
    assertNotEquals(ok.get("id"), cr.get("id"));
    assertFalse(data(api.get("/v1/change-requests?status=withdrawn")).isEmpty());
  }

  private static void assertPlace(ApiClient.Reply r, String place) {
    assertEquals(400, r.status(), r.body());
    assertTrue(String.valueOf(r.error().get("param")).startsWith(place), r.body());
  }
}
