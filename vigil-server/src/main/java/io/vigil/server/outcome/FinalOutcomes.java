package io.vigil.server.outcome;

import io.vigil.engine.event.EventType;
import io.vigil.engine.policy.Action;
import io.vigil.server.api.Json;
import io.vigil.server.cases.CaseOrigin;
import io.vigil.server.cases.CaseVerdict;
import io.vigil.server.cases.ReviewVerdicts;
import io.vigil.server.challenge.ChallengeRepository;
import io.vigil.server.challenge.ChallengeService;
import io.vigil.server.hold.ApprovalRepository;
import io.vigil.server.hold.HoldState;
import io.vigil.server.hold.HoldTerms;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.reversal.ReversalRepository;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The final outcome of decisions ({@link FinalOutcome}) from what was reported after them: the
 * challenge result of a CHALLENGE, the approvals, step-up result and deadline of a HOLD, the verdict
 * of the case holding a decision that waits for review ({@link ReviewVerdicts}: a REVIEW, or a hold
 * that expired to REVIEW), and an approved reversal of a completed payment. Reads those for a page of
 * decisions in six queries (and one more per level of cases closed as duplicates).
 */
public final class FinalOutcomes {
  /** Decision ids per lookup query. */
  private static final int IDS_PER_QUERY = 500;
  private final ChallengeRepository challenges;
  private final ApprovalRepository approvals;
  private final ReversalRepository reversals;
  private final ReviewVerdicts verdicts;
  private final Clock clock;

  public FinalOutcomes(ChallengeRepository challenges, ApprovalRepository approvals, ReversalRepository reversals,
      ReviewVerdicts verdicts, Clock clock) {
    this.challenges = challenges;
    this.approvals = approvals;
    this.reversals = reversals;
    this.verdicts = verdicts;
    this.clock = clock;
  }

  public FinalOutcome of(JournalRow row) {
    return of(List.of(row)).get(row.record().decisionId());
  }

  /** The outcome before any reversal: the one a reversal request is judged on. */
  public FinalOutcome beforeReversal(JournalRow row) {
    return settle(List.of(row), false).get(row.record().decisionId());
  }

  /** Every row's outcome, by decision id. */
  public Map<String, FinalOutcome> of(List<JournalRow> rows) {
    Map<String, FinalOutcome> out = new HashMap<>();
    for (int from = 0; from < rows.size(); from += IDS_PER_QUERY) {
      out.putAll(settle(rows.subList(from, Math.min(rows.size(), from + IDS_PER_QUERY)), true));
    }
    return out;
  }

  private Map<String, FinalOutcome> settle(List<JournalRow> rows, boolean withReversals) {
    List<String> challenged = new ArrayList<>();
    List<String> held = new ArrayList<>();
    List<String> moved = new ArrayList<>();
    Map<String, CaseOrigin> reviewed = new HashMap<>();
    for (JournalRow row : rows) {
      String id = row.record().decisionId();
      if (row.action().equals(Action.CHALLENGE.name()) || row.action().equals(Action.HOLD.name())) challenged.add(id);
      if (row.action().equals(Action.HOLD.name())) held.add(id);
      if (row.action().equals(Action.REVIEW.name())) reviewed.put(id, CaseOrigin.REVIEW);
      if (row.action().equals(Action.HOLD.name())) reviewed.put(id, CaseOrigin.HOLD);
      EventType type = EventType.fromWire(row.eventType());
      if (withReversals && type != null && type.movesMoney()) moved.add(id);
    }
    Map<String, ChallengeRepository.Result> results = challenges.findAll(challenged);
    Map<String, List<ApprovalRepository.Approval>> given = approvals.ofAll(held);
    Map<String, ApprovalRepository.Rejection> rejected = approvals.rejectionsOfAll(held);
    Map<String, ApprovalRepository.Release> released = approvals.releasesOfAll(held);
    Map<String, Long> reversed = reversals.reversedAt(moved);
    Map<String, ReviewVerdicts.Found> found = verdicts.of(reviewed);
    long now = clock.millis();
    Map<String, FinalOutcome> out = new HashMap<>();
    for (JournalRow row : rows) {
      String id = row.record().decisionId();
      Long reversedAt = reversed.get(id);
      out.put(id, reversedAt != null ? FinalOutcome.settled(FinalOutcome.REVERSED, FinalOutcome.BY_REVERSAL, reversedAt)
          : outcome(row, results.get(id), given.getOrDefault(id, List.of()), rejected.get(id), released.get(id), found.get(id), now));
    }
    return out;
  }

  private static FinalOutcome outcome(JournalRow row, ChallengeRepository.Result challenge,
      List<ApprovalRepository.Approval> given, ApprovalRepository.Rejection rejection, ApprovalRepository.Release release,
      ReviewVerdicts.Found verdict, long nowMillis) {
    Action action = Action.valueOf(row.action());
    return switch (action) {
      case ALLOW, DENY -> FinalOutcome.settled(action.name(), FinalOutcome.BY_DECISION, row.record().recordedAtMillis());
      case REVIEW -> verdict != null ? byVerdict(verdict)
          : FinalOutcome.waiting(action.name(), List.of(FinalOutcome.WAITING_FOR_REVIEW));
      case CHALLENGE -> challenge == null ? FinalOutcome.waiting(action.name(), List.of(HoldState.WAITING_FOR_CHALLENGE))
          : FinalOutcome.settled(ChallengeService.PASSED.equals(challenge.result()) ? Action.ALLOW.name() : Action.DENY.name(),
              FinalOutcome.BY_CHALLENGE, challenge.recordedAtMillis());
      case HOLD -> held(row, challenge, given, rejection, release, verdict, nowMillis);
    };
  }

  /** confirmed_fraud DENY, legitimate ALLOW, settled when the verdict decided it. */
  private static FinalOutcome byVerdict(ReviewVerdicts.Found verdict) {
    String finalAction = verdict.verdict() == CaseVerdict.CONFIRMED_FRAUD ? Action.DENY.name() : Action.ALLOW.name();
    return FinalOutcome.byVerdict(finalAction, verdict.caseId(), verdict.atMillis());
  }

  /**
   * A hold's outcome from its state. One whose deadline passed with expiry action REVIEW waits for
   * review like a REVIEW: a verdict of its case closed at or after the deadline settles it. A verdict
   * closed before did not settle the hold (the reviewer left it to its approvers) and does not now.
   */
  private static FinalOutcome held(JournalRow row, ChallengeRepository.Result challenge,
      List<ApprovalRepository.Approval> given, ApprovalRepository.Rejection rejection, ApprovalRepository.Release release,
      ReviewVerdicts.Found verdict, long nowMillis) {
    HoldTerms terms = HoldTerms.of(row, Json.readMap(row.record().responseJson()));
    HoldState state = terms.state(given, challenge, rejection, release, nowMillis);
    return switch (state.status()) {
      case HoldState.APPROVED -> FinalOutcome.settled(state.outcome().name(),
          state.release() != null ? FinalOutcome.BY_HOLD_RELEASE : FinalOutcome.BY_HOLD, state.settledAtMillis());
      case HoldState.REJECTED -> FinalOutcome.settled(state.outcome().name(),
          state.rejection() != null ? FinalOutcome.BY_HOLD_REJECTION : FinalOutcome.BY_CHALLENGE, state.settledAtMillis());
      case HoldState.EXPIRED -> state.outcome() == Action.REVIEW && verdict != null && verdict.atMillis() >= state.settledAtMillis()
          ? byVerdict(verdict)
          : FinalOutcome.settled(state.outcome().name(), FinalOutcome.BY_HOLD_EXPIRY, state.settledAtMillis());
      default -> FinalOutcome.waiting(Action.HOLD.name(), state.waitingFor());
    };
  }
}
