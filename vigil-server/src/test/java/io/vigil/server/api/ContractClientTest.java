package io.vigil.server.api;

import static io.vigil.server.api.ApiTestSupport.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import io.vigil.client.ApiClient;
import io.vigil.client.ApiException;
import io.vigil.client.ApiResponse;
import io.vigil.client.api.AccountsApi;
import io.vigil.client.api.ChallengesApi;
import io.vigil.client.api.DecisionsApi;
import io.vigil.client.api.FeaturesApi;
import io.vigil.client.api.FeedbackApi;
import io.vigil.client.api.HoldsApi;
import io.vigil.client.api.ListsApi;
import io.vigil.client.api.ModelsApi;
import io.vigil.client.api.OutcomesApi;
import io.vigil.client.api.PolicyApi;
import io.vigil.client.api.ReferenceDataApi;
import io.vigil.client.api.ReversalsApi;
import io.vigil.client.api.RulesApi;
import io.vigil.client.api.ScorecardsApi;
import io.vigil.client.model.Action;
import io.vigil.client.model.Approval;
import io.vigil.client.model.ApprovalRequest;
import io.vigil.client.model.ChallengeResult;
import io.vigil.client.model.ChallengeResultRequest;
import io.vigil.client.model.Decision;
import io.vigil.client.model.DecisionFeatures;
import io.vigil.client.model.DecisionRecord;
import io.vigil.client.model.DecisionRecordPage;
import io.vigil.client.model.Device;
import io.vigil.client.model.ErrorCode;
import io.vigil.client.model.ErrorDetail;
import io.vigil.client.model.ErrorResponse;
import io.vigil.client.model.ErrorType;
import io.vigil.client.model.Event;
import io.vigil.client.model.EventType;
import io.vigil.client.model.Features;
import io.vigil.client.model.FeedbackLabel;
import io.vigil.client.model.FeedbackRequest;
import io.vigil.client.model.HoldState;
import io.vigil.client.model.LimitUsage;
import io.vigil.client.model.ListChange;
import io.vigil.client.model.ListEntity;
import io.vigil.client.model.ListEntry;
import io.vigil.client.model.ListEntryRequest;
import io.vigil.client.model.ListFile;
import io.vigil.client.model.ListFileEntry;
import io.vigil.client.model.ListImportResult;
import io.vigil.client.model.ListKind;
import io.vigil.client.model.OptionalReasonBody;
import io.vigil.client.model.OutcomeReport;
import io.vigil.client.model.OutcomeRequest;
import io.vigil.client.model.PolicyDocument;
import io.vigil.client.model.Reason;
import io.vigil.client.model.ReasonBody;
import io.vigil.client.model.ReferenceLookup;
import io.vigil.client.model.ReferenceSet;
import io.vigil.client.model.Restriction;
import io.vigil.client.model.RestrictionKind;
import io.vigil.client.model.RestrictionList;
import io.vigil.client.model.RestrictionRequest;
import io.vigil.client.model.ReversalRequest;
import io.vigil.client.model.ReversalRequestBody;
import io.vigil.client.model.RiskLevel;
import io.vigil.client.model.RuleList;
import io.vigil.client.model.RuleVersioned;
import io.vigil.client.model.UnlockRequest;
import io.vigil.client.model.UnlockResult;
import io.vigil.client.model.Verification;
import io.vigil.server.support.OperatorSession;
import io.vigil.server.support.SigningInterceptor;
import io.vigil.server.support.TestClock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client generated from the API contract (openapi-generator's Java client, built into
 * target/generated-test-sources/openapi by this module's pom) makes decisions against the real
 * server and reads typed answers, replays and errors. Its mapper refuses unknown properties, so a
 * field the server sends that the contract does not declare fails the test.
 */
class ContractClientTest extends SharedServerBase {
  private ApiClient client;
  private DecisionsApi decisions;

  @BeforeEach
  void generatedClient() {
    client = new ApiClient();
    client.setObjectMapper(ApiClient.createDefaultObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
    client.updateBaseUri(base);
    client.setRequestInterceptor(new SigningInterceptor(base));
    decisions = new DecisionsApi(client);
  }

  @Test
  void makesADecisionAndReadsItTyped() throws ApiException {
    // Over 10,000 USD: the seeded large_payment rule asks for the transaction password and an OTP.
    Event event = payment(id("evt_contract"), id("acct_contract"), 1_500_000L);
    ApiResponse<Decision> first = decisions.createDecisionWithHttpInfo(event);
    assertEquals(200, first.getStatusCode());
    assertEquals(List.of("false"), header(first, "Idempotent-Replayed"));
    Decision decision = first.getData();
    assertTrue(decision.getDecisionId().startsWith("dec_"), decision.getDecisionId());
    assertEquals(event.getEventId(), decision.getEventId());
    assertEquals(Action.CHALLENGE, decision.getAction());
    assertTrue(decision.getScore() >= 0 && decision.getScore() <= 100, decision.toString());
    assertTrue(List.of(RiskLevel.values()).contains(decision.getRiskLevel()));
    Reason reason = decision.getReasons().stream().filter(r -> r.getRuleId().equals("large_payment")).findFirst().orElseThrow();
    assertEquals(Action.CHALLENGE, reason.getAction());
    assertTrue(reason.getMessage().contains("15000"), reason.getMessage());
    assertEquals(15000.0, ((Number) reason.getValues().get("event.amount_major")).doubleValue());
    assertFalse(decision.getChallenge().getKind().isBlank());
    assertFalse(decision.getLimits().isEmpty(), "the seeded daily limits apply to a payment: " + decision);
    for (LimitUsage limit : decision.getLimits()) {
      assertEquals("USD", limit.getCurrency());
      assertTrue(limit.getLimitMinor() >= 0 && limit.getPeriod() != null, limit.toString());
    }
    assertTrue(decision.getScores().getRules() >= 0 && decision.getScores().getRules() <= 100, decision.toString());

    // The same event again is the stored answer, flagged as a replay.
    ApiResponse<Decision> again = decisions.createDecisionWithHttpInfo(event);
    assertEquals(List.of("true"), header(again, "Idempotent-Replayed"));
    assertEquals(decision, again.getData());

    DecisionRecord stored = decisions.getDecision(decision.getDecisionId());
    assertEquals(decision, stored.getDecision());
    assertEquals(event.getEventId(), stored.getEvent().get("event_id"));
  }

  @Test
  void readsErrorsTyped() throws Exception {
    Event event = payment(id("evt_contract"), id("acct_contract"), 2_500L);
    decisions.createDecision(event);
    ApiException reused = assertThrows(ApiException.class, () -> decisions.createDecision(event.amount(2_600L)));
    assertEquals(409, reused.getCode());
    ErrorDetail error = client.getObjectMapper().readValue(reused.getResponseBody(), ErrorResponse.class).getError();
    assertEquals(ErrorType.IDEMPOTENCY_ERROR, error.getType());
    assertEquals(ErrorCode.EVENT_ID_REUSED, error.getCode());
    assertEquals("event_id", error.getParam());

    Event late = payment(id("evt_contract"), id("acct_contract"), 2_500L)
        .occurredAt(OffsetDateTime.ofInstant(TestClock.now(), ZoneOffset.UTC).minusDays(3));
    ApiException invalid = assertThrows(ApiException.class, () -> decisions.createDecision(late));
    assertEquals(400, invalid.getCode());
    error = client.getObjectMapper().readValue(invalid.getResponseBody(), ErrorResponse.class).getError();
    assertEquals(ErrorType.INVALID_REQUEST_ERROR, error.getType());
    assertEquals(ErrorCode.OCCURRED_AT_TOO_OLD, error.getCode());
    assertEquals("occurred_at", error.getParam());
  }

  @Test
  void readsPolicyListsAndReferenceDataTyped() throws ApiException {
    PolicyDocument policy = new PolicyApi(client).getPolicy();
    assertTrue(policy.getThresholds().containsKey("default"), policy.getThresholds().toString());
    assertFalse(policy.getRules().isEmpty());
    RuleList rules = new RulesApi(client).listRules();
    assertEquals(policy.getRules(), rules.getData());
    RuleVersioned rule = new RulesApi(client).getRule(rules.getData().get(0).getId());
    assertEquals(rules.getData().get(0).getExpression(), rule.getExpression());
    assertEquals(policy.getVersion(), rule.getPolicyVersion());
    assertEquals(policy.getScorecards(), new ScorecardsApi(client).listScorecards().getData());
    assertEquals(policy.getLimits(), new PolicyApi(client).getLimits().getLimits());
    assertEquals(policy.getLimits().get(0), new PolicyApi(client).getLimit(policy.getLimits().get(0).getId()).getLimit());
    assertEquals(policy.getChallenges(), new PolicyApi(client).getChallengePolicy().getChallenges());
    assertEquals(policy.getVersion(), new PolicyApi(client).listPolicyVersions(1, null).getData().get(0).getVersion());
    assertEquals(policy, new PolicyApi(client).getPolicyVersion(policy.getVersion()).getDocument());

    ReferenceDataApi reference = new ReferenceDataApi(client);
    ReferenceSet live = reference.getReference();
    ReferenceLookup lookup = reference.lookupReference("8.8.8.8", "+8801712345678", "41110055", "mailinator.com", "BDT");
    assertEquals(live.getVersion(), lookup.getReferenceVersion());
    assertTrue(lookup.getCurrency().getKnown());
    assertEquals(live, reference.getReferenceVersion(live.getVersion()).directory(live.getDirectory()));
    assertFalse(reference.listReferenceVersions(null, null).getData().isEmpty());

    ListsApi lists = new ListsApi(client);
    assertTrue(lists.listListEntries(null, null, null, 5, null).getData().size() <= 5);
    assertTrue(lists.listListChanges(null, 5, null).getData().size() <= 5);
  }

  /** The routes around a decision, each answer read through the contract's types. */
  @Test
  void followsDecisionsThroughTheirRoutesTyped() throws ApiException {
    Decision challenged = decisions.createDecision(payment(id("evt_contract"), id("acct_contract"), 1_500_000L));
    String account = id("acct_contract");
    Decision refunded = decisions.createDecision(payment(id("evt_contract"), account, 2_500L));
    Decision reversed = decisions.createDecision(payment(id("evt_contract"), account, 2_600L));
    assertEquals(Action.CHALLENGE, challenged.getAction());
    assertEquals(Action.ALLOW, refunded.getAction(), refunded.toString());
    assertEquals(Action.ALLOW, reversed.getAction());

    DecisionRecordPage page = decisions.listDecisions(account, null, null, null, null, null, null, null, null, null, null, null,
        null, 10, null);
    assertEquals(List.of(reversed, refunded), page.getData().stream().map(DecisionRecord::getDecision).toList());
    assertFalse(page.getHasMore());
    assertNull(page.getNextCursor());
    DecisionRecord allowed = page.getData().get(1);
    assertEquals(DecisionRecord.FinalActionEnum.ALLOW, allowed.getFinalAction());
    assertEquals(DecisionRecord.SettledByEnum.DECISION, allowed.getSettledBy());
    assertEquals(List.of(), allowed.getWaitingFor());
    assertEquals(List.of(reversed), decisions.listDecisions(account, EventType.PAYMENT, Action.ALLOW, null, null, null, RiskLevel.LOW,
        null, 0, 100, 2_550L, null, "USD", 10, null).getData().stream().map(DecisionRecord::getDecision).toList());

    ChallengesApi challenges = new ChallengesApi(client);
    ChallengeResult passed = challenges.reportChallengeResult(challenged.getDecisionId(),
        new ChallengeResultRequest().result(ChallengeResultRequest.ResultEnum.PASSED).method("password_and_otp"));
    assertEquals("ALLOW", passed.getFinalAction());
    assertNull(passed.getEscalation());
    assertEquals(passed, challenges.getChallengeResult(challenged.getDecisionId()));

    OutcomesApi outcomes = new OutcomesApi(client);
    OutcomeReport released = outcomes.reportOutcome(refunded.getDecisionId(),
        new OutcomeRequest().outcome(OutcomeRequest.OutcomeEnum.REFUNDED).amountMinor(1_000L).reason("goods returned"));
    assertEquals(1_000L, released.getReleasedMinor());
    assertEquals(2_500L, released.getAmountMinor());
    assertFalse(released.getReplayed());
    assertEquals("refunded", outcomes.getOutcome(refunded.getDecisionId()).getOutcome());

    ReversalsApi reversals = new ReversalsApi(client);
    ReversalRequest reversal = reversals.requestReversal(reversed.getDecisionId(),
        new ReversalRequestBody().verification(new Verification().method("biometric")));
    assertEquals(ReversalRequest.OutcomeEnum.APPROVE, reversal.getOutcome());
    assertEquals("eligible", reversal.getReasons().get(0).getCode());
    assertEquals(List.of(reversal), reversals.listReversalRequests(reversed.getDecisionId(), null, null).getData());

    FeedbackApi feedback = new FeedbackApi(client);
    FeedbackLabel label = feedback.recordFeedback(new FeedbackRequest().labelId(id("lbl")).decisionId(refunded.getDecisionId())
        .kind(FeedbackRequest.KindEnum.FRAUD));
    assertEquals("fraud", label.getVerdict());
    assertFalse(label.getReplayed());
    assertEquals(1, feedback.listFeedback(refunded.getDecisionId(), null, null).getData().size());

    ModelsApi models = new ModelsApi(client);
    DecisionFeatures vector = models.getDecisionFeatures(refunded.getDecisionId());
    assertFalse(vector.getFeatures().isEmpty());
    assertTrue(models.listModels(null, null).getData().stream().allMatch(m -> m.getSchema() != null));
    Features windows = new FeaturesApi(client).getFeatures("account", account, null, null);
    assertTrue(windows.getKnown());
    assertEquals(2L, windows.getFeatures().get("count_1h"));

    // 150,000 EUR (the seeded limits are in USD and BDT) is 156,250 USD at the built-in rates, over the seeded hold
    // policy's 100,000 USD: held for two approvals.
    Event transfer = payment(id("evt_contract"), id("acct_contract"), 15_000_000L).type(EventType.TRANSFER).currency("EUR");
    Decision held = decisions.createDecision(transfer);
    assertEquals(Action.HOLD, held.getAction(), held.toString());
    assertEquals(2, held.getHold().getApprovalsRequired());
    HoldsApi holds = new HoldsApi(client);
    assertEquals(HoldState.StatusEnum.PENDING, holds.getHold(held.getDecisionId()).getStatus());
    // Approved by the signed-in test operator (the client sends its session for this operator-only route).
    HoldState approved = holds.approveHold(held.getDecisionId(), new ApprovalRequest().role(ApprovalRequest.RoleEnum.APPROVER));
    assertEquals(List.of(OperatorSession.forServer(base).username()),
        approved.getApprovals().stream().map(Approval::getApproverId).toList());
    assertTrue(approved.getWaitingFor().contains(HoldState.WaitingForEnum.APPROVALS), approved.toString());
    assertNull(approved.getSettledAt());
    assertEquals(held.getHold().getDeadline(), approved.getDeadline());

    ListsApi lists = new ListsApi(client);
    ListEntry watched = lists.createListEntry(new ListEntryRequest()._list(ListKind.WATCH).entity(ListEntity.ACCOUNT).value(account)
        .reason("disputed payments"));
    assertEquals(watched, lists.getListEntry(watched.getId()));
    assertEquals(watched, lists.listListEntries(ListKind.WATCH, ListEntity.ACCOUNT, account, 5, null).getData().get(0));
    ListEntry deleted = lists.deleteListEntry(watched.getId());
    assertTrue(deleted.getDeleted());
    assertEquals(List.of(ListChange.OperationEnum.DELETE, ListChange.OperationEnum.CREATE),
        lists.listListChanges(watched.getId(), 5, null).getData().stream().map(ListChange::getOperation).toList());
    ListFile file = new ListFile().entries(List.of(new ListFileEntry()._list(ListKind.WATCH).entity(ListEntity.MERCHANT)
        .value(id("mch_contract")).reason("refund abuse under review")));
    assertEquals(1, lists.importLists(file, "json").getCreated());
    ListImportResult again = lists.importLists(file, "json");
    assertEquals(List.of(0, 1), List.of(again.getCreated(), again.getUnchanged()));
    assertTrue(lists.exportLists("json", ListKind.WATCH, ListEntity.MERCHANT).getEntries().contains(file.getEntries().get(0)));

    AccountsApi accounts = new AccountsApi(client);
    assertTrue(accounts.getAccountLinks(account).getLinks().stream().anyMatch(l -> l.getKind().equals("device")));
    Restriction restriction = accounts.createRestriction(account,
        new RestrictionRequest().kind(RestrictionKind.NO_WITHDRAWALS).reason("card reported stolen"));
    assertTrue(restriction.getActive());
    assertEquals(List.of(restriction), accounts.listRestrictions(account, null, null).getActive());
    Restriction lifted = accounts.liftRestriction(account, restriction.getId(), new ReasonBody().reason("resolved"));
    assertFalse(lifted.getActive());
    Restriction lock = accounts.lockAccount(account, new OptionalReasonBody().reason("phone stolen"));
    assertEquals(RestrictionKind.FREEZE, lock.getKind());
    assertEquals("holder", lock.getSource());
    UnlockResult unlocked = accounts.unlockAccount(account, new UnlockRequest().verification(new Verification().method("biometric")));
    assertEquals(List.of(lock.getId()), unlocked.getUnlocked().stream().map(Restriction::getId).toList());
    // The history, a page at a time: the lock, then the lifted restriction.
    RestrictionList newest = accounts.listRestrictions(account, 1, null);
    assertTrue(newest.getHasMore());
    RestrictionList older = accounts.listRestrictions(account, 1, newest.getNextCursor());
    assertEquals(List.of(lock.getId(), restriction.getId()),
        List.of(newest.getData().get(0).getId(), older.getData().get(0).getId()));
    assertFalse(older.getHasMore());
    assertNull(older.getNextCursor());
  }

  private static Event payment(String eventId, String accountId, long amountMinor) {
    return new Event()
        .eventId(eventId)
        .type(EventType.PAYMENT)
        .occurredAt(OffsetDateTime.ofInstant(TestClock.now(), ZoneOffset.UTC))
        .accountId(accountId)
        .amount(amountMinor)
        .currency("USD")
        .device(new Device().id("dev_" + accountId));
  }

  /** A response header's values, whatever the case of its name on the wire. */
  private static List<String> header(ApiResponse<?> response, String name) {
    for (Map.Entry<String, List<String>> e : response.getHeaders().entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
    }
    return List.of();
  }
}
