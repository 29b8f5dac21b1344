package io.vigil.server.api;

import static io.vigil.server.api.ApiTestSupport.assertError;
import static io.vigil.server.api.ApiTestSupport.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vigil.server.security.Role;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators;
import io.vigil.server.support.TestOperators.Signed;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Large-amount holds over HTTP: the documents' thresholds, approvals by signed-in operators (their
 * role from their permissions, with a step-up) that refuse a party to the payment, a second approval
 * by one operator and needless ones, and expiry at the deadline with the configured action. Own
 * server: it changes the hold policies.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HoldsApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-holds-");

  @DynamicPropertySource
  static void ownDataDir(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    storeAsAsked(registry);
  }

  /** Transfers in EUR: the default pack's limits are in USD (600,000 USD would be over its monthly limit). */
  private Map<String, Object> pay(String account, long amountMinor) {
    Map<String, Object> body = new HashMap<>(Map.of("event_id", ApiTestSupport.id("h"), "type", "transfer",
        "occurred_at", TestClock.now().toString(), "account_id", account, "amount", amountMinor, "currency", "EUR"));
    ApiClient.Reply r = api.post("/v1/decisions", body);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  /** Signed-in, stepped-up operators by username: an {@code ops.sam…} is a supervisor, any other an approver. */
  private static final Map<String, Signed> OPERATORS = new ConcurrentHashMap<>();

  private Signed operator(String username) {
    return OPERATORS.computeIfAbsent(username, u -> TestOperators.signInSteppedUp(base, u,
        u.startsWith("ops.sam") ? Set.of(Role.SUPERVISOR) : Set.of(Role.APPROVER)));
  }

  /** The operator approves as the role its permissions give (a supervisor as supervisor). */
  private ApiClient.Reply approve(String decisionId, String approver) {
    Signed op = operator(approver);
    if (!op.steppedUp()) op.stepUp();
    return ApiTestSupport.send(base, "POST", "/v1/decisions/" + decisionId + "/approvals", "{}", op.headers());
  }

  private ApiClient.Reply approveAs(String decisionId, String approver, String role) {
    Signed op = operator(approver);
    if (!op.steppedUp()) op.stepUp();
    return ApiTestSupport.send(base, "POST", "/v1/decisions/" + decisionId + "/approvals", ApiClient.json(Map.of("role", role)),
        op.headers());
  }

  @Test
  @Order(1)
  @SuppressWarnings("unchecked")
  void over100kNeedsTwoDistinctApproversAndNotTheAccountItself() {
    String account = ApiTestSupport.id("acct");
    Map<String, Object> d = pay(account, 15_000_000L); // 150,000.00 EUR
    assertEquals("HOLD", d.get("action"), d::toString);
    Map<String, Object> hold = (Map<String, Object>) d.get("hold");
    assertEquals("two_approvers", hold.get("policy"));
    assertEquals(2, ((Number) hold.get("approvals_required")).intValue());
    String id = (String) d.get("decision_id");
    assertEquals("pending", api.get("/v1/decisions/" + id + "/hold").json().get("status"));

    assertError(approve(id, account), 403, "permission_error", "self_approval", null);
    assertInvalid(approveAs(id, "ops.alice", "boss"), "invalid_role", "role");
    assertError(approveAs(id, "ops.alice", "supervisor"), 403, "permission_error", "permission_denied", "holds.approve_supervisor");
    assertEquals("pending", approve(id, "ops.alice").json().get("status"));
    assertError(approve(id, "ops.alice"), 409, "invalid_request_error", "duplicate_approver", null);
    // Over 10,000 the seeded large_payment rule also wants the transaction password and an OTP:
    // the hold keeps that step-up, and the approvals come on top of it.
    assertEquals("password_and_otp", ((Map<String, Object>) d.get("challenge")).get("kind"));
    Map<String, Object> approvedByPeople = approve(id, "ops.bob").json();
    assertEquals("pending", approvedByPeople.get("status"), "approvals alone do not release it");
    assertEquals(List.of("challenge"), approvedByPeople.get("waiting_for"), "the hold says what it still waits for");
    assertNull(approvedByPeople.get("settled_at"));
    assertEquals(2, ((List<Object>) approvedByPeople.get("approvals")).size());
    Map<String, Object> record = api.get("/v1/decisions/" + id).json();
    assertEquals("HOLD", record.get("final_action"));
    assertEquals(List.of("challenge"), record.get("waiting_for"));
    assertNull(record.get("settled_by"));

    ApiClient.Reply passed = api.post("/v1/decisions/" + id + "/challenge-result", Map.of("result", "passed"));
    assertEquals("ALLOW", passed.json().get("final_action"), "the pass completes a hold whose approvals are in: " + passed.body());
    Map<String, Object> done = api.get("/v1/decisions/" + id + "/hold").json();
    assertEquals("approved", done.get("status"));
    assertEquals("ALLOW", done.get("outcome"));
    assertEquals(List.of(), done.get("waiting_for"));
    assertEquals(passed.json().get("recorded_at"), done.get("settled_at"), "settled by the last thing it waited for");
    Map<String, Object> settled = api.get("/v1/decisions/" + id).json();
    assertEquals("HOLD", settled.get("action"));
    assertEquals("ALLOW", settled.get("final_action"));
    assertEquals("hold", settled.get("settled_by"));
    assertEquals(passed.json().get("recorded_at"), settled.get("settled_at"));
    assertEquals(List.of(), settled.get("waiting_for"));
    assertError(approve(id, "ops.carol"), 409, "invalid_request_error", "hold_approved", "decision_id");
  }

  @Test
  @Order(2)
  @SuppressWarnings("unchecked")
  void aHoldWaitingForApprovalsAndItsChallengeSaysSoAndAPassFirstLeavesTheApprovals() {
    String id = (String) pay(ApiTestSupport.id("acct"), 15_000_000L).get("decision_id");
    Map<String, Object> fresh = api.get("/v1/decisions/" + id + "/hold").json();
    assertEquals("pending", fresh.get("status"));
    assertEquals(List.of("approvals", "challenge"), fresh.get("waiting_for"));
    ApiClient.Reply passed = api.post("/v1/decisions/" + id + "/challenge-result", Map.of("result", "passed"));
    assertEquals("HOLD", passed.json().get("final_action"), "the approvals are still missing: " + passed.body());
    assertEquals(List.of("approvals"), api.get("/v1/decisions/" + id + "/hold").json().get("waiting_for"));
    approve(id, "ops.alice");
    Map<String, Object> done = approve(id, "ops.bob").json();
    assertEquals("approved", done.get("status"));
    Map<String, Object> last = ((List<Map<String, Object>>) done.get("approvals")).get(1);
    assertEquals(last.get("approved_at"), done.get("settled_at"));
    assertEquals("ALLOW", api.get("/v1/decisions/" + id).json().get("final_action"));
  }

  @Test
  @Order(2)
  void over500kNeedsASupervisorAmongTheApprovers() {
    String id = (String) pay(ApiTestSupport.id("acct"), 60_000_000L).get("decision_id"); // 600,000.00 EUR
    assertEquals("supervisor", api.get("/v1/decisions/" + id + "/hold").json().get("policy"));
    api.post("/v1/decisions/" + id + "/challenge-result", Map.of("result", "passed"));
    approve(id, "ops.alice");
    assertEquals("pending", approve(id, "ops.bob").json().get("status"), "two approvers, no supervisor");
    assertEquals("approved", approve(id, "ops.sam").json().get("status"));
  }

  @Test
  @Order(2)
  void aFailedStepUpRejectsTheHoldAndItTakesNoMoreApprovals() {
    String id = (String) pay(ApiTestSupport.id("acct"), 15_000_000L).get("decision_id"); // 150,000.00 EUR, step-up and approvals
    approve(id, "ops.alice");
    ApiClient.Reply failed = api.post("/v1/decisions/" + id + "/challenge-result", Map.of("result", "failed"));
    assertEquals(200, failed.status(), failed.body());
    assertEquals("DENY", failed.json().get("final_action"), failed.body());
    Map<String, Object> record = api.get("/v1/decisions/" + id).json();
    assertEquals("DENY", record.get("final_action"));
    assertEquals("challenge", record.get("settled_by"));
    assertEquals(failed.json().get("recorded_at"), record.get("settled_at"));
    Map<String, Object> rejected = api.get("/v1/decisions/" + id + "/hold").json();
    assertEquals("rejected", rejected.get("status"));
    assertEquals("DENY", rejected.get("outcome"));
    assertError(approve(id, "ops.bob"), 409, "invalid_request_error", "hold_rejected", "decision_id");
  }

  private ApiClient.Reply reject(String decisionId, String operator, Map<String, Object> body) {
    Signed op = operator(operator);
    if (!op.steppedUp()) op.stepUp();
    return ApiTestSupport.send(base, "POST", "/v1/decisions/" + decisionId + "/rejection", ApiClient.json(body), op.headers());
  }

  @Test
  @Order(2)
  @SuppressWarnings("unchecked")
  void aPersonRejectsAPendingHoldAndThePaymentIsRefusedAtOnce() {
    String account = ApiTestSupport.id("acct");
    String id = (String) pay(account, 15_000_000L).get("decision_id");
    approve(id, "ops.alice");
    assertError(reject(id, account, Map.of()), 403, "permission_error", "self_approval", null);
    assertInvalid(reject(id, "ops.bob", Map.of("why", "x")), "unknown_field", "why");
    assertInvalid(reject(id, "ops.bob", Map.of("reason", "x".repeat(1_025))), "value_too_long", "reason");
    Signed stale = TestOperators.signIn(base, TestOperators.newUsername("stale"), Set.of(Role.APPROVER));
    assertError(ApiTestSupport.send(base, "POST", "/v1/decisions/" + id + "/rejection", "{}", stale.headers()), 403,
        "permission_error", "step_up_required", null);
    Signed analyst = TestOperators.signInSteppedUp(base, TestOperators.newUsername("analyst"), Set.of(Role.ANALYST));
    assertError(ApiTestSupport.send(base, "POST", "/v1/decisions/" + id + "/rejection", "{}", analyst.headers()), 403,
        "permission_error", "permission_denied", "holds.approve");

    ApiClient.Reply rejected = reject(id, "ops.bob", Map.of("reason", "Payee unknown to the customer"));
    assertEquals(200, rejected.status(), rejected.body());
    Map<String, Object> hold = rejected.json();
    assertEquals("rejected", hold.get("status"));
    assertEquals("DENY", hold.get("outcome"));
    assertEquals(List.of(), hold.get("waiting_for"));
    Map<String, Object> rejection = (Map<String, Object>) hold.get("rejection");
    assertEquals("ops.bob", rejection.get("rejected_by"));
    assertEquals("Payee unknown to the customer", rejection.get("reason"));
    assertEquals(rejection.get("rejected_at"), hold.get("settled_at"));
    assertEquals(1, ((List<Object>) hold.get("approvals")).size(), "the approval so far stays on record");
    Map<String, Object> record = api.get("/v1/decisions/" + id).json();
    assertEquals("DENY", record.get("final_action"));
    assertEquals("hold_rejection", record.get("settled_by"));
    assertEquals(rejection.get("rejected_at"), record.get("settled_at"));

    assertError(reject(id, "ops.carol", Map.of()), 409, "invalid_request_error", "hold_rejected", "decision_id");
    assertError(approve(id, "ops.carol"), 409, "invalid_request_error", "hold_rejected", "decision_id");
    api.post("/v1/decisions/" + id + "/challenge-result", Map.of("result", "passed"));
    assertEquals("rejected", api.get("/v1/decisions/" + id + "/hold").json().get("status"), "a later pass does not reopen it");
    assertEquals("DENY", api.get("/v1/decisions/" + id).json().get("final_action"));
    assertNull(api.get("/v1/decisions/" + pay(ApiTestSupport.id("acct"), 15_000_000L).get("decision_id") + "/hold").json()
        .get("rejection"), "a hold nobody rejected says so");
  }

  @Test
  @Order(2)
  @SuppressWarnings("unchecked")
  void aRejectedHoldGivesItsAmountBackToTheAccountsLimits() {
    // In USD, against the seeded monthly limit of 500,000.00 USD: 400,000 held, then 200,000 more
    // fits only when the rejected 400,000 no longer counts.
    String account = ApiTestSupport.id("acct");
    Map<String, Object> held = usdTransfer(account, 400_000_00L);
    assertEquals("HOLD", held.get("action"), held::toString);
    String id = (String) held.get("decision_id");
    assertEquals(100_000_00L, ((Number) monthly(held).get("remaining_minor")).longValue(), "the held amount counts while it waits");

    assertEquals(200, reject(id, "ops.bob", Map.of("reason", "Payee unknown")).status());
    Map<String, Object> outcome = api.get("/v1/decisions/" + id + "/outcome").json();
    assertEquals("hold_rejected", outcome.get("outcome"), outcome::toString);
    assertEquals(400_000_00L, ((Number) outcome.get("released_minor")).longValue());
    assertEquals("ops.bob", ((String) outcome.get("reason")).replace("hold rejected by ", ""), "the release says why");

    Map<String, Object> next = usdTransfer(account, 200_000_00L);
    assertEquals("HOLD", next.get("action"), "not denied by the monthly limit: " + next);
    assertEquals(0L, ((Number) monthly(next).get("used_minor")).longValue(), "the rejected amount was released");
  }

  private Map<String, Object> usdTransfer(String account, long amountMinor) {
    ApiClient.Reply r = api.post("/v1/decisions", new HashMap<>(Map.of("event_id", ApiTestSupport.id("h"), "type", "transfer",
        "occurred_at", TestClock.now().toString(), "account_id", account, "amount", amountMinor, "currency", "USD")));
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> monthly(Map<String, Object> decision) {
    return ((List<Map<String, Object>>) decision.get("limits")).stream().filter(l -> "monthly_total".equals(l.get("limit_id")))
        .findFirst().orElseThrow(() -> new AssertionError("no monthly_total in " + decision));
  }

  @Test
  @Order(3)
  void partiesCannotApproveAndALockedAccountsHoldCannotBeApproved() {
    String account = ApiTestSupport.id("acct");
    String friend = account + "_friend";
    Map<String, Object> body = new HashMap<>(Map.of("event_id", ApiTestSupport.id("h"), "type", "transfer",
        "occurred_at", TestClock.now().toString(), "account_id", account, "counterparty_id", friend,
        "amount", 15_000_000L, "currency", "USD"));
    String id = (String) api.post("/v1/decisions", body).json().get("decision_id");
    assertError(approve(id, friend), 403, "permission_error", "self_approval", null);
    assertEquals(200, api.post("/v1/accounts/" + account + "/lock", Map.of("reason", "phone stolen")).status());
    assertError(approve(id, "ops.alice"), 409, "invalid_request_error", "account_restricted", "decision_id");
    assertError(api.post("/v1/decisions/" + id + "/challenge-result", Map.of("result", "passed")), 409,
        "invalid_request_error", "account_restricted", "decision_id");
  }

  @Test
  @Order(4)
  void smallAmountsAndNonHoldsAreNotHeld() {
    Map<String, Object> small = pay(ApiTestSupport.id("acct"), 500_000L); // 5,000.00 EUR
    assertEquals(false, "HOLD".equals(small.get("action")));
    assertNull(small.get("hold"));
    assertError(api.get("/v1/decisions/" + small.get("decision_id") + "/hold"), 409, "invalid_request_error", "not_held",
        "decision_id");
    assertError(api.get("/v1/decisions/dec_nope/hold"), 404, "not_found_error", "decision_not_found", "decision_id");
  }

  @Test
  @Order(5)
  void anUnapprovedHoldExpiresAtItsDeadlineWithTheConfiguredAction() {
    ApiClient.Reply changed = api.put("/v1/policy/holds", Map.of("holds", List.of(Map.of("id", "quick", "amount_over", 100_000,
        "approvals_required", 1, "deadline_minutes", 0.02, "expiry_action", "DENY"))));
    assertEquals(200, changed.status(), changed.body());
    Map<String, Object> d = pay(ApiTestSupport.id("acct"), 15_000_000L);
    String id = (String) d.get("decision_id");
    TestClock.advance(Duration.ofSeconds(2)); // past the 1.2 s deadline
    Map<String, Object> expired = api.get("/v1/decisions/" + id + "/hold").json();
    assertEquals("expired", expired.get("status"));
    assertEquals("DENY", expired.get("outcome"));
    String deadline = (String) ((Map<?, ?>) d.get("hold")).get("deadline");
    assertEquals(deadline, expired.get("settled_at"));
    Map<String, Object> record = api.get("/v1/decisions/" + id).json();
    assertEquals("DENY", record.get("final_action"));
    assertEquals("hold_expiry", record.get("settled_by"));
    assertEquals(deadline, record.get("settled_at"));
    assertError(approve(id, "ops.alice"), 409, "invalid_request_error", "hold_expired", "decision_id");
    assertError(api.post("/v1/decisions/" + id + "/challenge-result", Map.of("result", "passed")), 409,
        "invalid_request_error", "hold_expired", "decision_id");
  }

  @Test
  @Order(5)
  void aStepUpReportedAfterTheDeadlineDoesNotReopenAnExpiredHold() {
    ApiClient.Reply changed = api.put("/v1/policy/holds", Map.of("holds", List.of(Map.of("id", "quick", "amount_over", 100_000,
        "approvals_required", 1, "deadline_minutes", 1, "expiry_action", "DENY"))));
    assertEquals(200, changed.status(), changed.body());
    String id = (String) pay(ApiTestSupport.id("acct"), 15_000_000L).get("decision_id");
    assertEquals(200, approve(id, "ops.alice").status());
    assertEquals(List.of("challenge"), api.get("/v1/decisions/" + id + "/hold").json().get("waiting_for"));
    TestClock.advance(Duration.ofSeconds(61)); // the approval is in; the step-up never came before the deadline
    assertEquals("expired", api.get("/v1/decisions/" + id + "/hold").json().get("status"));
    assertError(api.post("/v1/decisions/" + id + "/challenge-result", Map.of("result", "passed")), 409,
        "invalid_request_error", "hold_expired", "decision_id");
    Map<String, Object> record = api.get("/v1/decisions/" + id).json();
    assertEquals("DENY", record.get("final_action"));
    assertEquals("hold_expiry", record.get("settled_by"));
  }

  @Test
  @Order(6)
  void badHoldPoliciesAreRefused() {
    assertInvalid(api.put("/v1/policy/holds", Map.of("holds", List.of(Map.of("id", "x", "amount_over", 1, "approvals_required", 9,
        "deadline_minutes", 60, "expiry_action", "DENY")))), "invalid_holds", "holds[0]");
    assertInvalid(api.put("/v1/policy/holds", Map.of("holds", List.of(Map.of("id", "x", "amount_over", 1, "approvals_required", 1,
        "deadline_minutes", 60, "expiry_action", "ALLOW")))), "invalid_holds", "holds[0]");
    assertInvalid(api.put("/v1/policy/holds", Map.of("holds", List.of(Map.of("id", "x", "approvals_required", 1,
        "deadline_minutes", 60, "expiry_action", "DENY")))), "missing_field", "holds[0].amount_over");
    assertInvalid(api.put("/v1/policy/holds", Map.of("rules", List.of())), "unknown_field", "rules");
  }
}
