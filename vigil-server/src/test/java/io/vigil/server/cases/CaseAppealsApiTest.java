package io.vigil.server.cases;

import static io.vigil.server.api.ApiTestSupport.assertError;
import static io.vigil.server.api.ApiTestSupport.assertInvalid;
import static io.vigil.server.api.ApiTestSupport.data;
import static io.vigil.server.cases.CaseTestSupport.as;
import static io.vigil.server.cases.CaseTestSupport.caseOf;
import static io.vigil.server.cases.CaseTestSupport.id;
import static io.vigil.server.cases.CaseTestSupport.pay;
import static io.vigil.server.cases.CaseTestSupport.timelineKinds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.server.security.Role;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators;
import io.vigil.server.support.TestOperators.Signed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Customers' appeals of denials (sent by the payment system with the test key), their outcome and
 * label once the case is closed, and reopening a closed case with a second person's approval:
 * self-approval, step-up, two approvals racing, expiry.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CaseAppealsApiTest extends CaseServerBase {
  private ApiClient.Reply appeal(String decisionId, String appealId, String reason, String channel) {
    return api.post("/v1/decisions/" + decisionId + "/appeal", Map.of("appeal_id", appealId, "reason", reason, "channel", channel));
  }

  /** A transfer of an account on the block list: DENY, and no case (a denial reaches no one by itself). */
  private String deniedDecision(String account) {
    ApiClient.Reply listed = api.post("/v1/lists/entries", Map.of("list", "block", "entity", "account", "value", account, "reason", "test"));
    assertEquals(201, listed.status(), listed.body());
    Map<String, Object> d = pay(api, account, 25_00L, "EUR");
    assertEquals("DENY", d.get("action"), d::toString);
    return (String) d.get("decision_id");
  }

  @Test
  @Order(1)
  void anAppealOfADenialOpensACaseIsIdempotentAndItsOutcomeFollowsTheVerdict() {
    String account = id("acct");
    String decisionId = deniedDecision(account);
    String appealId = id("apl");

    ApiClient.Reply opened = appeal(decisionId, appealId, "I made this transfer myself", "app");
    assertEquals(201, opened.status(), opened.body());
    Map<String, Object> a = opened.json();
    assertEquals("case_opened", a.get("status"));
    assertEquals(decisionId, a.get("decision_id"));
    String caseId = (String) a.get("case_id");
    Map<String, Object> c = api.get("/v1/cases/" + caseId).json();
    assertEquals("appeal", c.get("origin"));
    assertTrue(timelineKinds(api, caseId).contains("appeal_received"));

    ApiClient.Reply again = appeal(decisionId, appealId, "I made this transfer myself", "app");
    assertEquals(200, again.status(), again.body());
    assertEquals(caseId, again.json().get("case_id"));
    assertEquals("case_opened", again.json().get("status"));
    assertError(appeal(decisionId, appealId, "Another story", "app"), 409, "idempotency_error", "appeal_id_conflict", "appeal_id");
    assertInvalid(appeal(decisionId, id("apl"), "x", "fax"), "invalid_channel", "channel");
    assertInvalid(appeal(decisionId, id("apl"), "", "app"), "missing_field", "reason");
    assertInvalid(appeal(decisionId, id("apl"), "x".repeat(1_001), "app"), "value_too_long", "reason");
    assertInvalid(appeal(decisionId, "a".repeat(129), "x", "app"), "value_too_long", "appeal_id");
    assertInvalid(appeal(decisionId, "bad id!", "x", "app"), "invalid_format", "appeal_id");
    assertInvalid(api.post("/v1/decisions/" + decisionId + "/appeal", Map.of("appeal_id", id("apl"), "reason", "x", "channel", "app",
        "phone", "1")), "unknown_field", "phone");
    String allowed = (String) pay(api, id("acct"), 25_00L, "EUR").get("decision_id");
    assertError(appeal(allowed, id("apl"), "why", "app"), 409, "invalid_request_error", "not_denied", "decision_id");
    assertError(appeal("dec_nope", id("apl"), "why", "app"), 404, "not_found_error", "decision_not_found", "decision_id");

    Map<String, Object> waiting = api.get("/v1/appeals/" + appealId).json();
    assertEquals("open", waiting.get("case_status"));
    assertNull(waiting.get("outcome"));
    assertError(api.get("/v1/appeals/apl_nope"), 404, "not_found_error", "appeal_not_found", "appeal_id");

    ApiClient.Reply closed = verdict(reviewer(), caseId, Map.of("verdict", "legitimate", "reason_code", "customer_confirmed"));
    assertEquals(200, closed.status(), closed.body());
    Map<String, Object> answered = api.get("/v1/appeals/" + appealId).json();
    assertEquals("upheld", answered.get("outcome"));
    assertEquals("legitimate", answered.get("verdict"));
    List<Map<String, Object>> labels = data(api.get("/v1/feedback?decision_id=" + decisionId));
    assertEquals(1, labels.size(), labels::toString);
    assertEquals("legitimate", labels.get(0).get("kind"), "an upheld appeal is a legitimate label");

    // A second appeal of the same decision finds its case closed: a person must approve reopening it.
    String second = id("apl");
    ApiClient.Reply reopenAsked = appeal(decisionId, second, "Still blocked", "call_centre");
    assertEquals(201, reopenAsked.status(), reopenAsked.body());
    assertEquals("reopen_requested", reopenAsked.json().get("status"));
    assertEquals(caseId, reopenAsked.json().get("case_id"));
    String requestId = (String) reopenAsked.json().get("reopen_request_id");
    List<Map<String, Object>> requests = data(api.get("/v1/cases/" + caseId + "/reopen-requests"));
    assertEquals(1, requests.size());
    assertEquals("pending", requests.get(0).get("status"));
    assertEquals(second, requests.get(0).get("appeal_id"));
    assertEquals("closed", api.get("/v1/cases/" + caseId).json().get("status"), "nothing reopens without a person");
    assertNull(api.get("/v1/appeals/" + second).json().get("outcome"), "the close before the appeal does not answer it");

    ApiClient.Reply reopened = approveReopen(supervisor("sup"), caseId, requestId);
    assertEquals(200, reopened.status(), reopened.body());
    assertEquals("reopened", reopened.json().get("status"));
    assertNull(reopened.json().get("assignee_id"), "a reopened case is back in its queue, for anyone to take");
    ApiClient.Reply refused = verdict(reviewer(), caseId, Map.of("verdict", "confirmed_fraud", "reason_code", "friendly_fraud"));
    assertEquals(200, refused.status(), refused.body());
    assertEquals("rejected", api.get("/v1/appeals/" + second).json().get("outcome"));
  }

  /** A REVIEW (CHF has no exchange rate) of a new account, its case closed by the reviewer. */
  private String closedCase() {
    String account = id("acct");
    Map<String, Object> d = pay(api, account, 500_00L, "CHF");
    assertEquals("REVIEW", d.get("action"), d::toString);
    String caseId = (String) caseOf(api, account).get("case_id");
    ApiClient.Reply closed = verdict(reviewer(), caseId, Map.of("verdict", "inconclusive", "reason_code", "duplicate"));
    assertEquals(200, closed.status(), closed.body());
    return caseId;
  }

  private ApiClient.Reply requestReopen(Signed op, String caseId, Map<String, Object> body) {
    return as(op, base, "POST", "/v1/cases/" + caseId + "/reopen-requests", body);
  }

  @Test
  @Order(2)
  void aReopenNeedsASecondSteppedUpSupervisorAndOfTwoApprovalsExactlyOneWins() throws Exception {
    String caseId = closedCase();
    Signed asker = supervisor("asker");
    assertInvalid(requestReopen(asker, caseId, Map.of()), "missing_field", "reason");
    assertInvalid(requestReopen(asker, caseId, Map.of("reason", "x".repeat(1_001))), "value_too_long", "reason");
    ApiClient.Reply asked = requestReopen(asker, caseId, Map.of("reason", "New documents arrived"));
    assertEquals(201, asked.status(), asked.body());
    String requestId = (String) asked.json().get("request_id");
    assertEquals("pending", asked.json().get("status"));
    assertError(requestReopen(asker, caseId, Map.of("reason", "again")), 409, "invalid_request_error", "reopen_request_pending",
        "case_id");
    assertTrue(timelineKinds(api, caseId).contains("reopen_requested"));

    assertError(approveReopen(asker, caseId, requestId), 403, "permission_error", "self_approval", "request_id");
    assertError(approveReopen(reviewer(), caseId, requestId), 403, "permission_error", "permission_denied", "cases.supervise");
    Signed stale = TestOperators.signIn(base, TestOperators.newUsername("stale"), Set.of(Role.SUPERVISOR));
    assertError(approveReopen(stale, caseId, requestId), 403, "permission_error", "step_up_required", null);
    assertError(approveReopen(supervisor("sup"), caseId, "rr_nope"), 404, "not_found_error", "reopen_request_not_found", "request_id");

    Signed one = supervisor("one");
    Signed two = supervisor("two");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<ApiClient.Reply>> replies = new ArrayList<>();
      for (Signed op : List.of(one, two)) {
        replies.add(pool.submit(() -> {
          start.await();
          return approveReopen(op, caseId, requestId);
        }));
      }
      start.countDown();
      List<ApiClient.Reply> done = new ArrayList<>();
      for (Future<ApiClient.Reply> f : replies) done.add(f.get(30, TimeUnit.SECONDS));
      assertEquals(1, done.stream().filter(r -> r.status() == 200).count(), done::toString);
      assertEquals(1, done.stream().filter(r -> r.status() == 409).count(), done::toString);
      String winner = done.get(0).status() == 200 ? one.username() : two.username();
      Map<String, Object> request = data(api.get("/v1/cases/" + caseId + "/reopen-requests")).get(0);
      assertEquals("approved", request.get("status"));
      assertEquals(winner, request.get("approved_by"));
    } finally {
      pool.shutdownNow();
    }
    assertEquals("reopened", api.get("/v1/cases/" + caseId).json().get("status"));
    assertEquals(1, timelineKinds(api, caseId).stream().filter("reopened"::equals).count());
    assertError(approveReopen(supervisor("late"), caseId, requestId), 409, "invalid_request_error", "reopen_request_decided",
        "request_id");
    assertError(requestReopen(asker, caseId, Map.of("reason", "open already")), 409, "invalid_request_error", "case_not_closed",
        "case_id");
  }

  @Test
  @Order(3)
  void aReopenRequestExpiresAfterSevenDays() {
    String caseId = closedCase();
    ApiClient.Reply asked = requestReopen(reviewer(), caseId, Map.of("reason", "The customer called back"));
    assertEquals(201, asked.status(), asked.body());
    String requestId = (String) asked.json().get("request_id");
    TestClock.advance(Duration.ofDays(7).plusMinutes(1));
    Signed approver = supervisor("sup"); // signed in after the jump: sessions do not last a week
    assertError(approveReopen(approver, caseId, requestId), 409, "invalid_request_error", "reopen_request_expired", "request_id");
    assertEquals("expired", data(api.get("/v1/cases/" + caseId + "/reopen-requests")).get(0).get("status"));
    assertEquals("closed", api.get("/v1/cases/" + caseId).json().get("status"));
    Signed asker = supervisor("asker");
    ApiClient.Reply again = requestReopen(asker, caseId, Map.of("reason", "Asked again"));
    assertEquals(201, again.status(), "an expired request does not block a new one: " + again.body());
  }
}
