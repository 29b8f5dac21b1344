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
import static io.vigil.server.cases.CaseTestSupport.timelineKinds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.engine.label.Verdict;
import io.vigil.engine.restriction.RestrictionKind;
import io.vigil.server.account.RestrictionService;
import io.vigil.server.cases.verdict.VerdictEffects;
import io.vigil.server.decision.DecisionPipeline;
import io.vigil.server.security.Role;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators;
import io.vigil.server.support.TestOperators.Signed;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Closing a case with a verdict over HTTP (on the cases' own server, {@link CaseServerBase}): the
 * refusals (each before anything is written), what a verdict does to the held payment, the label
 * training reads, the account's restrictions and the lists, and an effect that fails after the close
 * being finished by the next pass of the re-applier.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CaseVerdictsApiTest extends CaseServerBase {
  @Autowired
  DecisionPipeline pipeline;
  @Autowired
  CaseService caseService;
  @Autowired
  VerdictEffects effects;
  @Autowired
  RestrictionService restrictions;

  /** A held transfer (150,000.00 EUR: two approvers and a step-up) of a new account, and its case. */
  private Map<String, Object> heldCase(String account) {
    return heldCase(account, 15_000_000L);
  }

  /**
   * A held transfer of this amount (EUR, minor units) of a new account, and its case. The server's
   * hold policies have a tier one person may settle (over 50,000 USD: one approval) below the
   * default two-approver and supervisor tiers.
   */
  private Map<String, Object> heldCase(String account, long amountMinor) {
    ApiClient.Reply tiers = api.put("/v1/policy/holds", Map.of("holds", List.of(
        Map.of("id", "one_approver", "amount_over", 50_000, "approvals_required", 1, "deadline_minutes", 1_440, "expiry_action", "DENY"),
        Map.of("id", "two_approvers", "amount_over", 100_000, "approvals_required", 2, "deadline_minutes", 1_440, "expiry_action", "DENY"),
        Map.of("id", "supervisor", "amount_over", 500_000, "approvals_required", 2, "required_roles", Map.of("supervisor", 1),
            "deadline_minutes", 1_440, "expiry_action", "DENY"))));
    assertEquals(200, tiers.status(), tiers.body());
    Map<String, Object> d = pay(api, account, amountMinor, "EUR");
    assertEquals("HOLD", d.get("action"), d::toString);
    Map<String, Object> c = caseOf(api, account);
    c.put("decision_id", d.get("decision_id"));
    c.put("event_id", d.get("event_id"));
    return c;
  }

  /** 60,000.00 EUR: over 50,000 USD, under 100,000: a hold one approver settles. */
  private static final long ONE_APPROVER_EUR_MINOR = 6_000_000L;

  @Test
  @Order(1)
  void refusalsWriteNothingAndConfirmedFraudDeniesTheHoldLabelsFraudAndListsTheAccount() {
    String account = id("acct");
    Map<String, Object> c = heldCase(account);
    String caseId = (String) c.get("case_id");
    String decisionId = (String) c.get("decision_id");
    long version = ((Number) c.get("version")).longValue();
    Signed rev = reviewer();

    Signed outsider = TestOperators.signInSteppedUp(base, TestOperators.newUsername("outsider"), Set.of(Role.REVIEWER));
    assertError(verdict(outsider, caseId, Map.of("verdict", "confirmed_fraud", "reason_code", "stolen_card")), 403,
        "permission_error", "not_queue_member", "case_id");
    assertInvalid(verdict(rev, caseId, Map.of("verdict", "maybe", "reason_code", "stolen_card")), "invalid_verdict", "verdict");
    // A compliance officer works cases but may not lift restrictions or write lists: not through a verdict either.
    Signed officer = TestOperators.signInSteppedUp(base, TestOperators.newUsername("officer"), Set.of(Role.COMPLIANCE_OFFICER));
    joinEveryQueue(officer.username());
    assertError(verdict(officer, caseId, Map.of("verdict", "legitimate", "reason_code", "customer_confirmed", "restrictions", "lift")),
        403, "permission_error", "permission_denied", "accounts.restrict");
    assertError(verdict(officer, caseId, Map.of("verdict", "confirmed_fraud", "reason_code", "stolen_card", "confirm_list_entries", true,
        "list_entries", List.of(Map.of("list", "block", "entity", "account", "value", account)))),
        403, "permission_error", "permission_denied", "lists.write");
    assertInvalid(verdict(rev, caseId, Map.of("verdict", "confirmed_fraud")), "missing_field", "reason_code");
    assertInvalid(verdict(rev, caseId, Map.of("verdict", "confirmed_fraud", "reason_code", "Stolen Card!")), "invalid_reason_code",
        "reason_code");
    assertInvalid(verdict(rev, caseId, Map.of("verdict", "confirmed_fraud", "reason_code", "x".repeat(65))), "value_too_long",
        "reason_code");
    assertInvalid(verdict(rev, caseId, Map.of("verdict", "confirmed_fraud", "reason_code", "stolen_card", "hold", "later")),
        "invalid_hold", "hold");
    assertInvalid(verdict(rev, caseId, Map.of("verdict", "confirmed_fraud", "reason_code", "stolen_card", "restrictions", "all")),
        "invalid_restrictions", "restrictions");
    assertInvalid(verdict(rev, caseId, Map.of("verdict", "confirmed_fraud", "reason_code", "stolen_card", "extra", 1)),
        "unknown_field", "extra");
    Map<String, Object> entry = Map.of("list", "block", "entity", "account", "value", account);
    assertInvalid(verdict(rev, caseId, Map.of("verdict", "confirmed_fraud", "reason_code", "stolen_card", "list_entries", List.of(entry))),
        "confirmation_required", "confirm_list_entries");
    assertInvalid(verdict(rev, caseId, Map.of("verdict", "confirmed_fraud", "reason_code", "stolen_card", "confirm_list_entries", true,
        "list_entries", List.of(entry, Map.of("list", "naughty", "entity", "account", "value", account)))), "invalid_list",
        "list_entries[1].list");
    assertInvalid(verdict(rev, caseId, Map.of("verdict", "confirmed_fraud", "reason_code", "stolen_card", "confirm_list_entries", true,
        "list_entries", List.of(Map.of("list", "block", "entity", "planet", "value", "x")))), "invalid_entity", "list_entries[0].entity");
    assertInvalid(verdict(rev, caseId, Map.of("verdict", "confirmed_fraud", "reason_code", "stolen_card", "list_entries", "all")),
        "invalid_list_entries", "list_entries");
    assertInvalid(verdict(rev, caseId, Map.of("verdict", "confirmed_fraud", "reason_code", "stolen_card", "confirm_list_entries", true,
        "list_entries", Collections.nCopies(21, entry))), "invalid_list_entries", "list_entries");
    assertInvalid(verdict(rev, caseId, Map.of("verdict", "confirmed_fraud", "reason_code", "stolen_card", "confirm_list_entries", true,
        "list_entries", List.of("block"))), "invalid_list_entries", "list_entries[0]");
    assertInvalid(verdict(rev, caseId, Map.of("verdict", "confirmed_fraud", "reason_code", "stolen_card", "confirm_list_entries", "yes")),
        "wrong_type", "confirm_list_entries");
    assertInvalid(verdict(rev, caseId, Map.of("verdict", "confirmed_fraud", "reason_code", "stolen_card", "expected_version", -1)),
        "invalid_field", "expected_version");
    assertInvalid(verdict(rev, caseId, Map.of("verdict", List.of("confirmed_fraud"), "reason_code", "stolen_card")), "wrong_type",
        "verdict");
    assertError(verdict(rev, caseId, Map.of("verdict", "confirmed_fraud", "reason_code", "stolen_card", "expected_version", version + 7)),
        409, "invalid_request_error", "case_changed", "expected_version");
    // The account's holder, working cases, cannot release their own payment.
    Signed party = TestOperators.signInSteppedUp(base, account, Set.of(Role.REVIEWER));
    joinEveryQueue(account);
    assertError(verdict(party, caseId, Map.of("verdict", "legitimate", "reason_code", "customer_confirmed")), 403, "permission_error",
        "self_approval", "hold");

    Map<String, Object> still = api.get("/v1/cases/" + caseId).json();
    assertEquals("open", still.get("status"), "a refused verdict changes nothing");
    assertEquals("pending", api.get("/v1/decisions/" + decisionId + "/hold").json().get("status"));
    assertEquals(List.of(), data(api.get("/v1/feedback?decision_id=" + decisionId)));

    Map<String, Object> body = new HashMap<>(Map.of("verdict", "confirmed_fraud", "reason_code", "stolen_card",
        "list_entries", List.of(entry), "confirm_list_entries", true, "expected_version", ((Number) still.get("version")).longValue()));
    ApiClient.Reply closed = verdict(rev, caseId, body);
    assertEquals(200, closed.status(), closed.body());
    assertEquals("closed", map(closed.json().get("case")).get("status"));
    assertEquals("confirmed_fraud", map(closed.json().get("case")).get("verdict"));
    Map<String, Object> v = map(closed.json().get("verdict"));
    assertEquals("deny", v.get("hold"), "confirmed fraud denies a held payment by default");
    List<Map<String, Object>> done = list(v.get("effects"));
    assertEquals(List.of("label", "hold_deny", "list_entry"), done.stream().map(e -> e.get("kind")).toList());
    for (Map<String, Object> e : done) assertEquals("applied", e.get("status"), done::toString);
    assertTrue(v.get("applied_at") instanceof String, v::toString);

    Map<String, Object> hold = api.get("/v1/decisions/" + decisionId + "/hold").json();
    assertEquals("rejected", hold.get("status"));
    assertEquals(rev.username(), map(hold.get("rejection")).get("rejected_by"));
    Map<String, Object> record = api.get("/v1/decisions/" + decisionId).json();
    assertEquals("DENY", record.get("final_action"));
    assertEquals("hold_rejection", record.get("settled_by"));

    List<Map<String, Object>> labels = data(api.get("/v1/feedback?decision_id=" + decisionId));
    assertEquals(1, labels.size(), labels::toString);
    assertEquals("fraud", labels.get(0).get("kind"));
    assertEquals(v.get("verdict_id") + ":" + decisionId, labels.get(0).get("label_id"));
    // Where training reads labels: the engine's label store, as of now.
    assertEquals(Verdict.FRAUD, pipeline.engine().labels().verdict((String) c.get("event_id"), TestClock.now().toEpochMilli()));

    List<Map<String, Object>> listed = data(api.get("/v1/lists/entries?list=block&entity=account&value=" + account));
    assertEquals(1, listed.size(), listed::toString);
    assertEquals(rev.username(), listed.get(0).get("created_by"));
    assertEquals("DENY", pay(api, account, 1_000L, "EUR").get("action"), "the list entry is in force for the next decision");

    List<String> kinds = timelineKinds(api, caseId);
    assertTrue(kinds.containsAll(List.of("closed", "label_recorded", "hold_denied", "list_entry_added")), kinds::toString);
    assertError(verdict(rev, caseId, body), 409, "invalid_request_error", "case_closed", "case_id");
  }

  @Test
  @Order(2)
  void legitimateReleasesTheHoldOnceTheRestrictionThatStopsItIsLifted() {
    String account = id("acct");
    Map<String, Object> c = heldCase(account, ONE_APPROVER_EUR_MINOR);
    String caseId = (String) c.get("case_id");
    String decisionId = (String) c.get("decision_id");
    ApiClient.Reply restricted = api.post("/v1/accounts/" + account + "/restrictions", Map.of("kind", "no_transfers_out",
        "reason", "checking the payee"));
    assertEquals(201, restricted.status(), restricted.body());
    Signed rev = reviewer();

    assertError(verdict(rev, caseId, Map.of("verdict", "legitimate", "reason_code", "customer_confirmed")), 409, "invalid_request_error",
        "account_restricted", "hold");
    assertEquals("pending", api.get("/v1/decisions/" + decisionId + "/hold").json().get("status"));

    ApiClient.Reply closed = verdict(rev, caseId, Map.of("verdict", "legitimate", "reason_code", "customer_confirmed",
        "restrictions", "lift"));
    assertEquals(200, closed.status(), closed.body());
    List<Map<String, Object>> done = list(map(closed.json().get("verdict")).get("effects"));
    assertEquals(List.of("label", "restriction_lift", "hold_release"), done.stream().map(e -> e.get("kind")).toList());
    for (Map<String, Object> e : done) assertEquals("applied", e.get("status"), done::toString);

    Map<String, Object> hold = api.get("/v1/decisions/" + decisionId + "/hold").json();
    assertEquals("approved", hold.get("status"));
    assertEquals("ALLOW", hold.get("outcome"));
    assertEquals(rev.username(), map(hold.get("release")).get("released_by"));
    assertEquals(caseId, map(hold.get("release")).get("case_id"));
    Map<String, Object> record = api.get("/v1/decisions/" + decisionId).json();
    assertEquals("ALLOW", record.get("final_action"));
    assertEquals("hold_release", record.get("settled_by"));
    assertEquals(List.of(), api.get("/v1/accounts/" + account + "/restrictions").json().get("active"));
    assertEquals("legitimate", data(api.get("/v1/feedback?decision_id=" + decisionId)).get(0).get("kind"));
    assertEquals(Verdict.LEGITIMATE, pipeline.engine().labels().verdict((String) c.get("event_id"), TestClock.now().toEpochMilli()));
    List<String> kinds = timelineKinds(api, caseId);
    assertTrue(kinds.containsAll(List.of("label_recorded", "restriction_lifted", "hold_released")), kinds::toString);
  }

  @Test
  @Order(3)
  void anInconclusiveVerdictRecordsNoLabelAndAReleaseWithoutAHeldDecisionDoesNothing() {
    String account = id("acct");
    Map<String, Object> d = pay(api, account, 500_00L, "CHF"); // no exchange rate: REVIEW
    assertEquals("REVIEW", d.get("action"), d::toString);
    String caseId = (String) caseOf(api, account).get("case_id");
    ApiClient.Reply closed = verdict(reviewer(), caseId, Map.of("verdict", "inconclusive", "reason_code", "not_enough_information",
        "hold", "release"));
    assertEquals(200, closed.status(), closed.body());
    assertEquals(List.of(), map(closed.json().get("verdict")).get("effects"));
    assertEquals(List.of(), data(api.get("/v1/feedback?decision_id=" + d.get("decision_id"))));
    Map<String, Object> record = api.get("/v1/decisions/" + d.get("decision_id")).json();
    assertEquals("REVIEW", record.get("final_action"), "no finding decides nothing: the REVIEW still waits");
    assertNull(record.get("settled_by"));
    assertEquals(List.of("review"), record.get("waiting_for"));
    assertEquals("inconclusive", list(record.get("cases")).get(0).get("verdict"));
  }

  /** The account whose case, once closed, gets a restriction placed between the close and its effects. */
  private static final AtomicReference<String> RESTRICT_ON_CLOSE = new AtomicReference<>();
  private static volatile boolean listening;

  @Test
  @Order(4)
  void anEffectThatFailsAfterTheCloseIsFinishedByTheNextPass() {
    if (!listening) {
      caseService.addListener(new CaseListener() {
        @Override
        public void closed(CaseRecord c) {
          if (c.accountId() != null && c.accountId().equals(RESTRICT_ON_CLOSE.get())) {
            restrictions.restrict(c.accountId(), RestrictionKind.NO_TRANSFERS_OUT, "placed while the verdict was applied", 0, "test");
          }
        }
      });
      listening = true;
    }
    String account = id("acct");
    Map<String, Object> c = heldCase(account, ONE_APPROVER_EUR_MINOR);
    String caseId = (String) c.get("case_id");
    String decisionId = (String) c.get("decision_id");
    RESTRICT_ON_CLOSE.set(account);

    ApiClient.Reply closed = verdict(reviewer(), caseId, Map.of("verdict", "legitimate", "reason_code", "documents_verified"));
    assertEquals(200, closed.status(), closed.body());
    Map<String, Object> v = map(closed.json().get("verdict"));
    List<Map<String, Object>> first = list(v.get("effects"));
    assertEquals("applied", first.get(0).get("status"), "the label went through");
    Map<String, Object> release = first.get(1);
    assertEquals("hold_release", release.get("kind"));
    assertEquals("pending", release.get("status"), "the restriction placed meanwhile refused the release");
    assertTrue(((String) release.get("last_error")).startsWith("account_restricted"), release::toString);
    assertNull(v.get("applied_at"));
    assertEquals("closed", api.get("/v1/cases/" + caseId).json().get("status"), "the case stays closed: the effect waits");
    assertEquals("HOLD", api.get("/v1/decisions/" + decisionId).json().get("final_action"));

    effects.pass();
    assertEquals("HOLD", api.get("/v1/decisions/" + decisionId).json().get("final_action"), "still refused while restricted");
    String restrictionId = (String) list(api.get("/v1/accounts/" + account + "/restrictions").json().get("active")).get(0).get("id");
    ApiClient.Reply lifted = api.post("/v1/accounts/" + account + "/restrictions/" + restrictionId + "/lift", Map.of("reason", "cleared"));
    assertEquals(200, lifted.status(), lifted.body());

    effects.pass();
    Map<String, Object> record = api.get("/v1/decisions/" + decisionId).json();
    assertEquals("ALLOW", record.get("final_action"));
    assertEquals("hold_release", record.get("settled_by"));
    effects.pass();
    List<String> kinds = timelineKinds(api, caseId);
    assertEquals(1, kinds.stream().filter("hold_released"::equals).count(), kinds::toString);
    assertEquals(1, kinds.stream().filter("label_recorded"::equals).count(), kinds::toString);
    RESTRICT_ON_CLOSE.set(null);
  }

  @Test
  @Order(4)
  void oneReviewersVerdictDoesNotReleaseAHoldThatNeedsTwoApprovers() {
    String account = id("acct");
    Map<String, Object> c = heldCase(account);
    String caseId = (String) c.get("case_id");
    String decisionId = (String) c.get("decision_id");
    ApiClient.Reply closed = verdict(reviewer(), caseId, Map.of("verdict", "legitimate", "reason_code", "customer_confirmed"));
    assertEquals(200, closed.status(), closed.body());
    Map<String, Object> release = list(map(closed.json().get("verdict")).get("effects")).stream()
        .filter(e -> "hold_release".equals(e.get("kind"))).findFirst().orElseThrow();
    assertEquals("applied", release.get("status"), release::toString);
    Map<String, Object> hold = api.get("/v1/decisions/" + decisionId + "/hold").json();
    assertEquals("pending", hold.get("status"), "two approvers still decide");
    assertNull(hold.get("release"));
    assertEquals("HOLD", api.get("/v1/decisions/" + decisionId).json().get("final_action"));
    assertTrue(timelineKinds(api, caseId).contains("hold_left_for_approvers"));
    assertEquals("legitimate", data(api.get("/v1/feedback?decision_id=" + decisionId)).get(0).get("kind"), "the label is recorded all the same");
  }
}
