package io.vigil.server.cases;

import static io.vigil.server.api.ApiTestSupport.assertError;
import static io.vigil.server.api.ApiTestSupport.assertInvalid;
import static io.vigil.server.api.ApiTestSupport.data;
import static io.vigil.server.api.ApiTestSupport.list;
import static io.vigil.server.api.ApiTestSupport.map;
import static io.vigil.server.cases.CaseTestSupport.as;
import static io.vigil.server.cases.CaseTestSupport.caseOf;
import static io.vigil.server.cases.CaseTestSupport.id;
import static io.vigil.server.cases.CaseTestSupport.pay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators.Signed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The final outcome of decisions waiting for review (on the cases' own server, {@link CaseServerBase}):
 * a REVIEW waits for the verdict of its case and takes it (confirmed fraud DENY, legitimate ALLOW,
 * settled by {@code review_verdict} when the case closed), waits again while its case is reopened,
 * shows the case that holds it, and is told to the payment system ({@code decision.final_outcome});
 * a hold that expired to REVIEW is settled so too; closing cases as duplicates stores a verdict that
 * teaches nothing and leaves holds alone, and the duplicates' decisions take the original's verdict.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CaseReviewOutcomesApiTest extends CaseServerBase {
  /** An endpoint that receives decision.final_outcome and is never reached: its deliveries keep the payloads to read. */
  private String endpointId;

  /** Subscribes the endpoint once (the test key is there from the first test on). */
  private void subscribe() {
    if (endpointId != null) return;
    ApiClient.Reply r = api.post("/v1/webhooks/endpoints", Map.of("url", "https://hooks.example.test/vigil/outcomes",
        "description", "final outcomes", "event_types", List.of("decision.final_outcome")));
    assertEquals(201, r.status(), r.body());
    endpointId = (String) r.json().get("id");
  }

  @AfterAll
  void unsubscribe() {
    if (endpointId != null) assertEquals(200, api.delete("/v1/webhooks/endpoints/" + endpointId).status());
  }

  /** A REVIEW (CHF has no exchange rate) of a new account, and its case. */
  private Map<String, Object> reviewCase() {
    subscribe();
    String account = id("acct");
    Map<String, Object> d = pay(api, account, 500_00L, "CHF");
    assertEquals("REVIEW", d.get("action"), d::toString);
    Map<String, Object> c = caseOf(api, account);
    c.put("decision_id", d.get("decision_id"));
    return c;
  }

  private Map<String, Object> record(Object decisionId) {
    ApiClient.Reply r = api.get("/v1/decisions/" + decisionId);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  /** The decision.final_outcome events queued for this decision, oldest first. */
  private List<Map<String, Object>> told(Object decisionId) {
    List<Map<String, Object>> oldestFirst = new ArrayList<>(data(api.get("/v1/webhooks/deliveries?limit=200&endpoint_id=" + endpointId)));
    Collections.reverse(oldestFirst);
    return oldestFirst.stream().map(d -> map(map(d.get("payload")).get("data"))).filter(d -> decisionId.equals(d.get("decision_id")))
        .toList();
  }

  private static void assertWaiting(Map<String, Object> record, String action) {
    assertEquals(action, record.get("final_action"), record::toString);
    assertNull(record.get("settled_by"), record::toString);
    assertNull(record.get("settled_at"), record::toString);
    assertEquals(List.of("review"), record.get("waiting_for"), record::toString);
  }

  private static void assertSettledByVerdict(Map<String, Object> record, String finalAction, Object closedAt) {
    assertEquals(finalAction, record.get("final_action"), record::toString);
    assertEquals("review_verdict", record.get("settled_by"), record::toString);
    assertEquals(closedAt, record.get("settled_at"), "settled when the case was closed with the verdict");
    assertEquals(List.of(), record.get("waiting_for"), record::toString);
  }

  @Test
  @Order(1)
  void aReviewTakesItsCasesVerdictWaitsAgainWhileReopenedAndShowsItsCase() {
    Map<String, Object> c = reviewCase();
    String caseId = (String) c.get("case_id");
    Object decisionId = c.get("decision_id");
    Map<String, Object> before = record(decisionId);
    assertWaiting(before, "REVIEW");
    Map<String, Object> holding = list(before.get("cases")).get(0);
    assertEquals(caseId, holding.get("case_id"));
    assertEquals("review", holding.get("origin"));
    assertEquals("open", holding.get("status"));
    assertNull(holding.get("verdict"));
    assertEquals(List.of(), told(decisionId));

    TestClock.advance(Duration.ofMinutes(3));
    ApiClient.Reply fraud = verdict(reviewer(), caseId, Map.of("verdict", "confirmed_fraud", "reason_code", "stolen_card"));
    assertEquals(200, fraud.status(), fraud.body());
    Object closedAt = map(fraud.json().get("case")).get("closed_at");
    assertEquals(closedAt, map(fraud.json().get("verdict")).get("decided_at"), "the verdict is decided when the case closes");
    Map<String, Object> denied = record(decisionId);
    assertSettledByVerdict(denied, "DENY", closedAt);
    Map<String, Object> closedCase = list(denied.get("cases")).get(0);
    assertEquals("closed", closedCase.get("status"));
    assertEquals("confirmed_fraud", closedCase.get("verdict"));
    assertEquals("stolen_card", closedCase.get("reason_code"));
    assertEquals(closedAt, closedCase.get("closed_at"));
    Map<String, Object> listed = data(api.get("/v1/decisions?account_id=" + c.get("account_id"))).get(0);
    assertEquals("DENY", listed.get("final_action"), "a page of decisions settles them alike");
    assertEquals(caseId, list(listed.get("cases")).get(0).get("case_id"));
    List<Map<String, Object>> events = told(decisionId);
    assertEquals(1, events.size(), events::toString);
    assertEquals(Map.of("decision_id", decisionId, "final_action", "DENY", "settled_by", "review_verdict", "case_id", caseId,
        "verdict", "confirmed_fraud"), withoutNulls(events.get(0)));
    assertTrue(events.get(0).containsKey("hold_status") && events.get(0).get("hold_status") == null, events.get(0)::toString);

    // Reopened: the earlier verdict no longer counts; the next close decides.
    ApiClient.Reply asked = as(reviewer(), base, "POST", "/v1/cases/" + caseId + "/reopen-requests",
        Map.of("reason", "The holder sent the bank statement"));
    assertEquals(201, asked.status(), asked.body());
    ApiClient.Reply reopened = approveReopen(supervisor("sup"), caseId, (String) asked.json().get("request_id"));
    assertEquals(200, reopened.status(), reopened.body());
    Map<String, Object> again = record(decisionId);
    assertWaiting(again, "REVIEW");
    assertEquals("reopened", list(again.get("cases")).get(0).get("status"));
    assertNull(list(again.get("cases")).get(0).get("verdict"));

    TestClock.advance(Duration.ofMinutes(5));
    ApiClient.Reply legitimate = verdict(reviewer(), caseId, Map.of("verdict", "legitimate", "reason_code", "documents_verified"));
    assertEquals(200, legitimate.status(), legitimate.body());
    Object reclosedAt = map(legitimate.json().get("case")).get("closed_at");
    assertSettledByVerdict(record(decisionId), "ALLOW", reclosedAt);
    assertEquals(List.of("DENY", "ALLOW"), told(decisionId).stream().map(e -> e.get("final_action")).toList());
  }

  @Test
  @Order(2)
  void aHoldThatExpiredToReviewIsSettledByAVerdictGivenAfterItsDeadline() {
    Object holds = api.get("/v1/policy").json().get("holds");
    ApiClient.Reply quick = api.put("/v1/policy/holds", Map.of("holds", List.of(Map.of("id", "quick_review", "amount_over", 100_000,
        "approvals_required", 2, "deadline_minutes", 0.02, "expiry_action", "REVIEW"))));
    assertEquals(200, quick.status(), quick.body());
    try {
      subscribe();
      String account = id("acct");
      Map<String, Object> d = pay(api, account, 15_000_000L, "EUR");
      assertEquals("HOLD", d.get("action"), d::toString);
      String caseId = (String) caseOf(api, account).get("case_id");
      TestClock.advance(Duration.ofSeconds(2)); // past the 1.2 s deadline
      Map<String, Object> expired = record(d.get("decision_id"));
      assertEquals("REVIEW", expired.get("final_action"), expired::toString);
      assertEquals("hold_expiry", expired.get("settled_by"));
      assertEquals(List.of("review"), expired.get("waiting_for"));
      assertEquals("hold", list(expired.get("cases")).get(0).get("origin"));

      ApiClient.Reply closed = verdict(reviewer(), caseId, Map.of("verdict", "legitimate", "reason_code", "customer_confirmed"));
      assertEquals(200, closed.status(), closed.body());
      assertSettledByVerdict(record(d.get("decision_id")), "ALLOW", map(closed.json().get("case")).get("closed_at"));
      List<Map<String, Object>> events = told(d.get("decision_id"));
      assertEquals(1, events.size(), events::toString);
      assertEquals("expired", events.get(0).get("hold_status"));
    } finally {
      assertEquals(200, api.put("/v1/policy/holds", Map.of("holds", holds)).status());
    }
  }

  private ApiClient.Reply bulk(Signed op, Map<String, Object> body) {
    return as(op, base, "POST", "/v1/cases/bulk", body);
  }

  @Test
  @Order(3)
  void aCloseAsDuplicateIsAVerdictThatTeachesNothingLeavesHoldsAloneAndTakesTheOriginalsOutcome() {
    Map<String, Object> original = reviewCase();
    String originalId = (String) original.get("case_id");
    Map<String, Object> duplicate = reviewCase();
    String duplicateId = (String) duplicate.get("case_id");
    String heldAccount = id("acct");
    Map<String, Object> held = pay(api, heldAccount, 15_000_000L, "EUR"); // 150,000.00 EUR: two approvers
    assertEquals("HOLD", held.get("action"), held::toString);
    String heldCaseId = (String) caseOf(api, heldAccount).get("case_id");
    Signed supervisor = supervisor("sup");

    Map<String, Object> body = Map.of("case_ids", List.of(duplicateId, heldCaseId), "action", "close_duplicate",
        "duplicate_of", originalId);
    assertError(bulk(reviewer(), body), 403, "permission_error", "permission_denied", "cases.supervise");
    assertError(bulk(supervisor, Map.of("case_ids", List.of(duplicateId), "action", "close_duplicate", "duplicate_of", "case_nope")),
        404, "not_found_error", "case_not_found", "duplicate_of");
    assertInvalid(bulk(supervisor, Map.of("case_ids", List.of(duplicateId, originalId), "action", "close_duplicate",
        "duplicate_of", originalId)), "invalid_case_ids", "duplicate_of");
    assertEquals("open", api.get("/v1/cases/" + duplicateId).json().get("status"), "a refused request closes nothing");

    TestClock.advance(Duration.ofMinutes(1));
    ApiClient.Reply done = bulk(supervisor, body);
    assertEquals(200, done.status(), done.body());
    for (Map<String, Object> r : list(done.json().get("results"))) {
      assertEquals("done", r.get("status"), r::toString);
      assertEquals("inconclusive", map(r.get("case")).get("verdict"));
      assertEquals("duplicate", map(r.get("case")).get("reason_code"));
      assertEquals(supervisor.username(), map(r.get("case")).get("closed_by"));
    }
    // Who closed it and which case it duplicates, on both timelines; stored as a verdict with no effects.
    Map<String, Object> closedEvent = event(duplicateId, "closed");
    assertEquals(supervisor.username(), closedEvent.get("actor"));
    assertEquals(Map.of("verdict", "inconclusive", "reason_code", "duplicate", "hold", "keep", "restrictions", "keep", "effects", 0,
        "duplicate_of", originalId), closedEvent.get("detail"));
    Map<String, Object> noted = event(originalId, "duplicate_closed");
    assertEquals(supervisor.username(), noted.get("actor"));
    assertEquals(duplicateId, map(noted.get("detail")).get("case_id"));
    assertEquals(duplicateId + "-v", ((String) map(noted.get("detail")).get("verdict_id")).substring(0, duplicateId.length() + 2));
    // A duplicate is no finding: no label, the hold still waits for its approvers.
    for (Object decisionId : List.of(duplicate.get("decision_id"), held.get("decision_id"))) {
      assertEquals(List.of(), data(api.get("/v1/feedback?decision_id=" + decisionId)), "no label for " + decisionId);
    }
    assertEquals("pending", api.get("/v1/decisions/" + held.get("decision_id") + "/hold").json().get("status"));
    Map<String, Object> waiting = record(duplicate.get("decision_id"));
    assertWaiting(waiting, "REVIEW");
    Map<String, Object> shown = list(waiting.get("cases")).get(0);
    assertEquals(List.of("closed", "inconclusive", "duplicate", originalId),
        List.of(shown.get("status"), shown.get("verdict"), shown.get("reason_code"), shown.get("duplicate_of")));
    assertInvalid(bulk(supervisor, Map.of("case_ids", List.of((String) reviewCase().get("case_id")), "action", "close_duplicate",
        "duplicate_of", duplicateId)), "duplicate_of_duplicate", "duplicate_of");

    // The original's verdict decides its duplicate's REVIEW too, and says so to the payment system; the duplicate learns nothing.
    TestClock.advance(Duration.ofMinutes(2));
    ApiClient.Reply fraud = verdict(reviewer(), originalId, Map.of("verdict", "confirmed_fraud", "reason_code", "stolen_card"));
    assertEquals(200, fraud.status(), fraud.body());
    Object closedAt = map(fraud.json().get("case")).get("closed_at");
    assertSettledByVerdict(record(original.get("decision_id")), "DENY", closedAt);
    assertSettledByVerdict(record(duplicate.get("decision_id")), "DENY", closedAt);
    List<Map<String, Object>> events = told(duplicate.get("decision_id"));
    assertEquals(1, events.size(), events::toString);
    assertEquals(originalId, events.get(0).get("case_id"), "the case whose verdict decided it");
    assertEquals("confirmed_fraud", events.get(0).get("verdict"));
    assertEquals(List.of(), data(api.get("/v1/feedback?decision_id=" + duplicate.get("decision_id"))));
    assertEquals("pending", api.get("/v1/decisions/" + held.get("decision_id") + "/hold").json().get("status"),
        "the original's verdict does not settle a duplicate's hold");
    assertEquals("HOLD", record(held.get("decision_id")).get("final_action"));
  }

  private Map<String, Object> event(String caseId, String kind) {
    return data(api.get("/v1/cases/" + caseId + "/timeline?limit=100")).stream().filter(e -> kind.equals(e.get("kind"))).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " on " + caseId));
  }

  private static Map<String, Object> withoutNulls(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> {
      if (v != null) out.put(k, v);
    });
    return out;
  }
}
