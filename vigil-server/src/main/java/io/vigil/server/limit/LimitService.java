package io.vigil.server.limit;

import io.vigil.engine.Engine;
import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.limit.LimitLedger;
import io.vigil.engine.policy.Action;
import io.vigil.server.api.ApiException;
import io.vigil.server.decision.DecisionPipeline;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.logging.RedactedFailure;
import io.vigil.server.privacy.SealedEvent;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a payment's reserved amount back to its limits when the payment system reports that the
 * money did not move after all (L3): a refund (in full or in part), a reversal, a failed
 * authorization, a failed challenge, or a rejected hold. The release is stored first, then applied to the live
 * ledger on the decision sequencer; start-up applies every stored release again (releases are
 * absolute amounts, so applying one twice changes nothing).
 */
public final class LimitService {
  private static final Logger log = LoggerFactory.getLogger(LimitService.class);
  /** Outcomes the payment system reports. */
  public static final Set<String> OUTCOMES = Set.of("refunded", "reversed", "authorization_failed");
  /** The outcome the challenge route records for a failed challenge. */
  public static final String CHALLENGE_FAILED = "challenge_failed";
  /** The outcome the rejection route records for a hold an operator rejected. */
  public static final String HOLD_REJECTED = "hold_rejected";
  private static final long APPLY_TIMEOUT_MILLIS = 5_000;

  private final JournalRepository decisions;
  private final LimitReleaseRepository releases;
  private final DecisionPipeline pipeline;
  private final Clock clock;

  public LimitService(JournalRepository decisions, LimitReleaseRepository releases, DecisionPipeline pipeline, Clock clock) {
    this.clock = clock;
    this.decisions = decisions;
    this.releases = releases;
    this.pipeline = pipeline;
  }

  /** What a release did: the record, and the amount the payment still holds (-1 when unknown). */
  public record Outcome(LimitReleaseRepository.Release release, long amountMinor, long heldMinor, boolean replayed) {}

  /**
   * Records an outcome and releases the reservation: all of it, or {@code amountMinor} of it (a
   * partial refund). The same outcome again returns the first; a different one is 409.
   */
  public synchronized Outcome release(String decisionId, String outcome, Long amountMinor, String reason, String actor) {
    JournalRow row = decisions.findByDecisionId(decisionId)
        .orElseThrow(() -> ApiException.notFound("decision_not_found", "No decision with this id", "decision_id"));
    Event event = reservingEvent(row);
    if (event == null) {
      throw ApiException.conflict("invalid_request_error", "nothing_reserved",
          "This decision holds no limit reservation: it was denied, or it is not a payment, transfer or withdrawal", "decision_id");
    }
    if (amountMinor != null && (amountMinor < 1 || amountMinor > event.amountMinor())) {
      throw ApiException.invalid("out_of_range", "amount_minor must be between 1 and the payment's amount",
          "amount_minor");
    }
    long released = amountMinor == null ? event.amountMinor() : amountMinor;
    var existing = releases.find(decisionId);
    if (existing.isPresent()) {
      LimitReleaseRepository.Release r = existing.get();
      if (!r.outcome().equals(outcome) || r.releasedMinor() != released) {
        throw ApiException.conflict("invalid_request_error", "outcome_exists",
            "This decision already has the outcome " + r.outcome() + " releasing " + r.releasedMinor(), "outcome");
      }
      return new Outcome(r, event.amountMinor(), apply(r), true);
    }
    LimitReleaseRepository.Release r = store(decisionId, event, outcome, released, reason, actor);
    return new Outcome(r, event.amountMinor(), apply(r), false);
  }

  /**
   * Releases the whole reservation of a decision whose challenge failed, whose hold was rejected or
   * whose reversal was approved; nothing when the decision holds none or already has an outcome.
   */
  public synchronized void releaseIfReserved(String decisionId, String outcome, String reason, String actor) {
    JournalRow row = decisions.findByDecisionId(decisionId).orElse(null);
    if (row == null || releases.find(decisionId).isPresent()) return;
    Event event = reservingEvent(row);
    if (event != null) apply(store(decisionId, event, outcome, event.amountMinor(), reason, actor));
  }

  /** The decision's event when it holds a reservation (a money-out event not denied), else null. */
  private static Event reservingEvent(JournalRow row) {
    Event event = EventParser.parse(SealedEvent.strip(row.record().eventJson())); // account and amount: no key needed
    return LimitLedger.reserves(event, Action.valueOf(row.action())) ? event : null;
  }

  private LimitReleaseRepository.Release store(String decisionId, Event event, String outcome, long releasedMinor, String reason,
      String actor) {
    LimitReleaseRepository.Release r = new LimitReleaseRepository.Release(decisionId, event.eventId(), event.accountId(), outcome,
        releasedMinor, event.currency(), reason, clock.millis(), actor);
    releases.insert(r);
    return r;
  }

  public java.util.Optional<LimitReleaseRepository.Release> find(String decisionId) {
    return releases.find(decisionId);
  }

  /** Applies a stored release to the live ledger; the amount still held, or -1 when it did not get there in time. */
  private long apply(LimitReleaseRepository.Release r) {
    try {
      return pipeline.onSequencer(e -> e.ledger().release(r.accountId(), r.eventId(), r.releasedMinor()))
          .get(APPLY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // Stored, so the next rebuild applies it; until then the ledger counts too much, never too little.
      log.warn("release of {} is stored but not yet applied to the live ledger: {}", r.decisionId(), RedactedFailure.describe(e));
      return -1;
    }
  }

  /** Applies every stored release a fresh engine's ledger can still hold (called before it replays the journal). */
  public static void preload(LimitReleaseRepository releases, Engine engine, long nowMillis) {
    long horizon = nowMillis - LimitLedger.RETENTION_DAYS * 86_400_000L;
    for (LimitReleaseRepository.Release r : releases.since(horizon)) {
      engine.ledger().release(r.accountId(), r.eventId(), r.releasedMinor());
    }
  }
}
