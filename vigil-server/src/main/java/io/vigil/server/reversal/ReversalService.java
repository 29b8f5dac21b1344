package io.vigil.server.reversal;

import io.vigil.server.account.RestrictionService;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Ids;
import io.vigil.server.api.Json;
import io.vigil.server.api.TimeCursor;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.limit.LimitService;
import io.vigil.server.outcome.FinalOutcomes;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Reversal within minutes (P5): answers approve, deny or review for a completed payment, with
 * reasons ({@link ReversalEligibility}), and records every request. An approved request is the
 * record that the payment was reversed: a second one is denied, and the payment's limit reservation
 * is released.
 */
public final class ReversalService {
  private static final long DAY_MILLIS = 86_400_000L;
  private final JournalRepository decisions;
  private final ReversalRepository requests;
  private final FinalOutcomes outcomes;
  private final RestrictionService restrictions;
  private final LimitService limits;
  private final long windowMillis;
  private final int requestsPerDayToReview;
  private final Clock clock;

  public ReversalService(JournalRepository decisions, ReversalRepository requests, FinalOutcomes outcomes,
      RestrictionService restrictions, LimitService limits, long windowMillis, int requestsPerDayToReview, Clock clock) {
    this.clock = clock;
    this.limits = limits;
    this.decisions = decisions;
    this.requests = requests;
    this.outcomes = outcomes;
    this.restrictions = restrictions;
    this.windowMillis = windowMillis;
    this.requestsPerDayToReview = requestsPerDayToReview;
  }

  public synchronized ReversalRepository.Request request(String decisionId, String verificationMethod, String actor) {
    JournalRow row = decisions.findByDecisionId(decisionId)
        .orElseThrow(() -> ApiException.notFound("decision_not_found", "No decision with this id", "decision_id"));
    Map<String, Object> response = Json.readMap(row.record().responseJson());
    long now = clock.millis();
    String account = row.accountId();
    boolean reversed = requests.answeredYes(decisionId);
    int recent = account == null ? 0 : requests.countSince(account, now - DAY_MILLIS);
    ReversalEligibility.Answer answer = ReversalEligibility.evaluate(row.eventType(),
        outcomes.beforeReversal(row).finalAction(), row.occurredAtMillis(),
        now, windowMillis, verificationMethod, reversed, recent, requestsPerDayToReview, (String) response.get("risk_level"),
        account != null && !restrictions.active(account).isEmpty());
    String reasons = Json.write(answer.reasons().stream().map(r -> Map.of("code", r.code(), "message", r.message())).toList());
    ReversalRepository.Request r = new ReversalRepository.Request(Ids.random("rev_"),
        decisionId, account, answer.outcome(), verificationMethod, reasons, now, actor);
    requests.insert(r);
    // An approved reversal gives the amount back to the account's limits.
    if ("approve".equals(answer.outcome())) limits.releaseIfReserved(decisionId, "reversed", "reversal " + r.requestId(), actor);
    return r;
  }

  public List<ReversalRepository.Request> history(String decisionId, TimeCursor after, int rows) {
    decisions.findByDecisionId(decisionId)
        .orElseThrow(() -> ApiException.notFound("decision_not_found", "No decision with this id", "decision_id"));
    return requests.ofDecision(decisionId, after, rows);
  }
}
