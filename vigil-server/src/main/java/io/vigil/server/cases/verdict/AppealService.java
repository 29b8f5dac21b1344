package io.vigil.server.cases.verdict;

import io.vigil.engine.policy.Action;
import io.vigil.server.api.ApiException;
import io.vigil.server.cases.CaseOrigin;
import io.vigil.server.cases.CaseRecord;
import io.vigil.server.cases.CaseService;
import io.vigil.server.cases.CaseTrigger;
import io.vigil.server.cases.CaseVerdict;
import io.vigil.server.cases.Reviewer;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.outcome.FinalOutcomes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A customer's appeal of a denial, received from the payment system on the holder's behalf. Only a
 * decision whose final outcome is DENY can be appealed. The appeal joins the decision's open case,
 * opens a case (origin {@code appeal}) when the decision has none, or asks to reopen its closed case
 * (a person approves). Idempotent on the appeal id: the same appeal again gets the same answer.
 */
public final class AppealService {
  public static final Set<String> CHANNELS = Set.of("app", "call_centre", "branch", "email");
  public static final String CASE_OPENED = "case_opened";
  public static final String JOINED = "joined";
  public static final String REOPEN_REQUESTED = "reopen_requested";

  private final AppealRepository appeals;
  private final CaseService cases;
  private final ReopenService reopens;
  private final JournalRepository journal;
  private final FinalOutcomes outcomes;
  private final Clock clock;

  public AppealService(AppealRepository appeals, CaseService cases, ReopenService reopens, JournalRepository journal,
      FinalOutcomes outcomes, Clock clock) {
    this.appeals = appeals;
    this.cases = cases;
    this.reopens = reopens;
    this.journal = journal;
    this.outcomes = outcomes;
    this.clock = clock;
  }

  /** The stored appeal, and whether this call only repeated it. */
  public record Received(AppealRepository.Appeal appeal, boolean replayed) {}

  public synchronized Received receive(String decisionId, String appealId, String reason, String channel, String actor) {
    Optional<AppealRepository.Appeal> first = appeals.find(appealId);
    if (first.isPresent()) return new Received(same(first.get(), decisionId, reason, channel), true);
    JournalRow row = journal.findByDecisionId(decisionId)
        .orElseThrow(() -> ApiException.notFound("decision_not_found", "No decision with this id", "decision_id"));
    String finalAction = outcomes.of(row).finalAction();
    if (!Action.DENY.name().equals(finalAction)) {
      throw ApiException.conflict("invalid_request_error", "not_denied",
          "Only a denied payment can be appealed; this decision's final action is " + finalAction, "decision_id");
    }
    Reviewer by = new Reviewer(actor, false);
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("appeal_id", appealId);
    detail.put("decision_id", decisionId);
    detail.put("channel", channel);
    detail.put("reason", reason);
    List<CaseRecord> ofDecision = new ArrayList<>();
    for (String id : cases.casesOfDecision(decisionId)) ofDecision.add(cases.record(id));
    Optional<CaseRecord> open = ofDecision.stream().filter(c -> !c.status().isClosed()).reduce((a, b) -> b);
    String caseId;
    String status;
    String requestId = null;
    if (open.isPresent()) {
      caseId = open.get().caseId();
      status = JOINED;
    } else if (!ofDecision.isEmpty()) {
      caseId = ofDecision.get(ofDecision.size() - 1).caseId();
      status = REOPEN_REQUESTED;
      Optional<ReopenRepository.Request> waiting = reopens.pending(caseId);
      requestId = waiting.isPresent() ? waiting.get().requestId()
          : reopens.request(caseId, "Appeal " + appealId + " (" + channel + "): " + reason, by, false, appealId).requestId();
      detail.put("reopen_request_id", requestId);
    } else {
      CaseService.Opened opened = cases.openOrJoin(CaseTrigger.of(row, CaseOrigin.APPEAL), actor);
      caseId = opened.record().caseId();
      // A repeat (neither created nor joined now): an earlier attempt of an appeal of this decision opened or joined it.
      boolean openedByAppeal = opened.created() || (!opened.joined() && opened.record().origin() == CaseOrigin.APPEAL);
      status = openedByAppeal ? CASE_OPENED : JOINED;
    }
    AppealRepository.Appeal a = new AppealRepository.Appeal(appealId, decisionId, reason, channel, caseId, status, requestId,
        clock.millis(), actor);
    // The appeal and its timeline entry commit together: a retry after a failure finds neither, or both.
    cases.event(caseId, by, "appeal_received", detail, false, c -> {
      appeals.insert(c, a);
      return true;
    });
    return new Received(a, false);
  }

  private static AppealRepository.Appeal same(AppealRepository.Appeal a, String decisionId, String reason, String channel) {
    if (!a.decisionId().equals(decisionId) || !a.reason().equals(reason) || !a.channel().equals(channel)) {
      throw ApiException.conflict("idempotency_error", "appeal_id_conflict", "appeal_id was already used for a different appeal",
          "appeal_id");
    }
    return a;
  }

  public AppealRepository.Appeal get(String appealId) {
    return appeals.find(appealId).orElseThrow(() -> ApiException.notFound("appeal_not_found", "No appeal with this id", "appeal_id"));
  }

  /**
   * The appeal's outcome once its case was closed after the appeal arrived: {@code upheld} (verdict
   * legitimate), {@code rejected} (confirmed fraud) or {@code inconclusive}; null while it waits.
   */
  public String outcome(AppealRepository.Appeal a, CaseRecord c) {
    if (!c.status().isClosed() || c.closedAtMillis() == null || c.closedAtMillis() < a.receivedAtMillis()) return null;
    if (a.reopenRequestId() != null) {
      // The case was closed before the appeal: only a close after the approved reopen answers it.
      Optional<ReopenRepository.Request> req = reopens.find(a.reopenRequestId());
      if (req.isEmpty() || req.get().approvedAtMillis() == null || c.closedAtMillis() < req.get().approvedAtMillis()) return null;
    }
    if (c.verdict() == CaseVerdict.LEGITIMATE) return "upheld";
    if (c.verdict() == CaseVerdict.CONFIRMED_FRAUD) return "rejected";
    return "inconclusive";
  }
}
