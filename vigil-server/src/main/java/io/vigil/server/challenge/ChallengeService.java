package io.vigil.server.challenge;

import io.vigil.engine.event.EventType;
import io.vigil.engine.policy.ChallengePolicy;
import io.vigil.engine.restriction.Restriction;
import io.vigil.server.account.RestrictionService;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import io.vigil.server.decision.DecisionPipeline;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.limit.LimitService;
import io.vigil.server.outcome.FinalOutcome;
import io.vigil.server.outcome.FinalOutcomes;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * Results of CHALLENGE decisions (D2, D3). A pass makes the decision's final outcome ALLOW (its
 * limit reservation stays), or, for a held amount, ALLOW once its approvals are in too. A failure
 * makes it DENY, releases its reservation, feeds the account's {@code account.challenge_failures_*}
 * features, and counts against the account under the policy's {@link ChallengePolicy}:
 * {@code failuresToLock} failures within the window freeze the account for the lock time (a
 * restriction with source {@code challenges}, lifted like any other).
 */
public final class ChallengeService {
  public static final String PASSED = "passed";
  public static final String FAILED = "failed";

  /** A recorded result with what followed from it. */
  public record Outcome(ChallengeRepository.Result result, String challengeKind, String finalAction, Restriction escalation) {}

  private final JournalRepository decisions;
  private final ChallengeRepository results;
  private final RestrictionService restrictions;
  private final Supplier<ChallengePolicy> policy;
  private final LimitService limits;
  private final DecisionPipeline pipeline;
  private final FinalOutcomes outcomes;
  private final Clock clock;

  public ChallengeService(JournalRepository decisions, ChallengeRepository results, RestrictionService restrictions,
      Supplier<ChallengePolicy> policy, LimitService limits, DecisionPipeline pipeline, FinalOutcomes outcomes, Clock clock) {
    this.clock = clock;
    this.decisions = decisions;
    this.results = results;
    this.restrictions = restrictions;
    this.policy = policy;
    this.limits = limits;
    this.pipeline = pipeline;
    this.outcomes = outcomes;
  }

  /** Records a result once; the same result again returns the first record, another result is 409. */
  public synchronized Outcome record(String decisionId, String result, String method, String actor) {
    if (!PASSED.equals(result) && !FAILED.equals(result)) {
      throw ApiException.invalid("invalid_result", "result must be passed or failed", "result");
    }
    Challenge c = challenge(decisionId);
    long now = clock.millis();
    var existing = results.find(decisionId);
    if (existing.isPresent()) {
      if (!existing.get().result().equals(result)) {
        throw ApiException.conflict("invalid_request_error", "challenge_result_exists",
            "This challenge already has the result " + existing.get().result(), "result");
      }
      // A retry of a failure finishes the release and escalation that an earlier attempt could not store.
      if (FAILED.equals(result)) limits.releaseIfReserved(decisionId, LimitService.CHALLENGE_FAILED, "challenge failed", actor);
      Restriction lock = FAILED.equals(result) ? maybeEscalate(c.accountId(), now) : null;
      return new Outcome(existing.get(), c.kind(), outcomes.of(c.row()).finalAction(), lock);
    }
    if (FinalOutcome.BY_HOLD_EXPIRY.equals(outcomes.of(c.row()).settledBy())) {
      throw ApiException.conflict("invalid_request_error", "hold_expired",
          "The payment's hold expired before the step-up was reported; its outcome is final", "decision_id");
    }
    if (PASSED.equals(result) && restrictions.stopping(c.accountId(), c.row().merchantId(), c.eventType()) != null) {
      throw ApiException.conflict("invalid_request_error", "account_restricted",
          "The account or the merchant has a restriction in force that stops this payment; a passed challenge cannot complete it",
          "decision_id");
    }
    ChallengeRepository.Result r = new ChallengeRepository.Result(decisionId, c.accountId(), result, method, now, actor);
    results.insert(r);
    Restriction lock = null;
    if (FAILED.equals(result)) {
      recordFailure(c.accountId(), now);
      limits.releaseIfReserved(decisionId, LimitService.CHALLENGE_FAILED, "challenge failed", actor);
      lock = maybeEscalate(c.accountId(), now);
    }
    return new Outcome(r, c.kind(), outcomes.of(c.row()).finalAction(), lock);
  }

  public Outcome find(String decisionId) {
    Challenge c = challenge(decisionId);
    ChallengeRepository.Result r = results.find(decisionId).orElseThrow(() ->
        ApiException.notFound("challenge_result_not_found", "No result has been reported for this challenge", "decision_id"));
    return new Outcome(r, c.kind(), outcomes.of(c.row()).finalAction(), null);
  }

  /** Makes the failure visible to the next decision's features (start-up reads it back from storage). */
  private void recordFailure(String accountId, long atMillis) {
    if (accountId == null) return;
    try {
      pipeline.onSequencer(e -> {
        e.signals().recordChallengeFailure(accountId, atMillis);
        return null;
      }).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Stored: the next rebuild counts it. Until then the feature undercounts by one.
      LoggerFactory.getLogger(ChallengeService.class).warn("failed challenge of {} not yet in the features: {}", accountId, e.toString());
    }
  }

  private Restriction maybeEscalate(String accountId, long now) {
    ChallengePolicy escalation = policy.get();
    if (accountId == null || escalation.failuresToLock() == 0) return null;
    int failures = results.failuresSince(accountId, now - escalation.windowMillis());
    if (failures < escalation.failuresToLock()) return null;
    return restrictions.escalate(accountId, failures + " failed challenges within " + escalation.windowMillis() / 60_000
        + " min", now + escalation.lockMillis());
  }

  /** A challenged decision's journal row and its challenge kind. */
  private record Challenge(JournalRow row, String kind) {
    String accountId() {
      return row.accountId();
    }

    EventType eventType() {
      return EventType.fromWire(row.eventType());
    }
  }

  @SuppressWarnings("unchecked")
  private Challenge challenge(String decisionId) {
    JournalRow row = decisions.findByDecisionId(decisionId)
        .orElseThrow(() -> ApiException.notFound("decision_not_found", "No decision with this id", "decision_id"));
    Map<String, Object> response = Json.readMap(row.record().responseJson());
    if (!(response.get("challenge") instanceof Map<?, ?> challenge)) {
      throw ApiException.conflict("invalid_request_error", "not_challenged", "This decision is not a CHALLENGE", "decision_id");
    }
    return new Challenge(row, (String) ((Map<String, Object>) challenge).get("kind"));
  }
}
