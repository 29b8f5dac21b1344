package io.vigil.server.feedback;

import io.vigil.engine.label.Label;
import io.vigil.engine.label.LabelKind;
import io.vigil.engine.label.LabelStore;
import io.vigil.engine.label.Verdict;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.TimeCursor;
import io.vigil.server.decision.DecisionPipeline;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Feedback (P3): what became known about a decided event, and when. A label is stored, then handed
 * to the live engine's label store, where features see it only from its {@code known_at} on (point
 * in time); start-up reads the stored labels back. The same label id again is a safe retry; the
 * same id with other content is 409.
 */
public final class FeedbackService {
  /** How far ahead of the server clock {@code known_at} may be (clock skew between systems). */
  static final long KNOWN_AT_SKEW_MILLIS_MAX = 5 * 60_000L;

  private final JournalRepository decisions;
  private final FeedbackRepository labels;
  private final DecisionPipeline pipeline;
  private final Clock clock;

  public FeedbackService(JournalRepository decisions, FeedbackRepository labels, DecisionPipeline pipeline, Clock clock) {
    this.clock = clock;
    this.decisions = decisions;
    this.labels = labels;
    this.pipeline = pipeline;
  }

  /** A stored label, and whether this call only repeated it. */
  public record Result(FeedbackRepository.Stored stored, boolean replayed) {}

  /**
   * @param knownAtMillis when the truth became known; 0 means now
   */
  public synchronized Result record(String labelId, String decisionId, LabelKind kind, Verdict verdict, String reasonCode, String outcome,
      long knownAtMillis, String actor) {
    JournalRow row = decisions.findByDecisionId(decisionId)
        .orElseThrow(() -> ApiException.notFound("decision_not_found", "No decision with this id", "decision_id"));
    long now = clock.millis();
    long knownAt = knownAtMillis == 0 ? Math.max(now, row.occurredAtMillis()) : knownAtMillis;
    if (knownAt > now + KNOWN_AT_SKEW_MILLIS_MAX) {
      throw ApiException.invalid("known_at_in_future", "known_at must not be ahead of the server clock", "known_at");
    }
    Label label = new Label(labelId, row.record().eventId(), kind, verdict, reasonCode, outcome, row.accountId(), row.merchantId(),
        row.occurredAtMillis(), knownAt);
    FeedbackRepository.Stored stored = new FeedbackRepository.Stored(label, decisionId, now, actor);
    LabelStore store = pipeline.engine().labels();
    try {
      // A new label the engine would refuse (too many for the event, store full) is not stored either.
      if (labels.find(labelId).isEmpty()) store.admission(label);
      labels.insert(stored);
    } catch (FeedbackRepository.AlreadyStored taken) {
      FeedbackRepository.Stored first = labels.find(labelId).orElseThrow();
      Label a = first.label();
      // A retry without known_at gets "now" again: compare what the caller sent, not the time it defaulted.
      boolean same = a.eventId().equals(label.eventId()) && a.kind() == label.kind() && a.verdict() == label.verdict()
          && Objects.equals(a.reasonCode(), label.reasonCode()) && Objects.equals(a.outcome(), label.outcome())
          && (knownAtMillis == 0 || a.knownAtMillis() == knownAtMillis);
      if (!same) {
        throw ApiException.conflict("idempotency_error", "label_id_conflict", "label_id was already used for a different label",
            "label_id");
      }
      store.ingest(a);
      return new Result(first, true);
    }
    store.ingest(label);
    return new Result(stored, false);
  }

  public List<FeedbackRepository.Stored> ofDecision(String decisionId, TimeCursor after, int rows) {
    decisions.findByDecisionId(decisionId)
        .orElseThrow(() -> ApiException.notFound("decision_not_found", "No decision with this id", "decision_id"));
    return labels.ofDecision(decisionId, after, rows);
  }

  /** Puts the stored labels an engine can still use into its label store (before it replays the journal). */
  public static void preload(FeedbackRepository labels, LabelStore store, long nowMillis, long retentionMillis) {
    for (FeedbackRepository.Stored s : labels.ofEventsAfter(nowMillis - retentionMillis)) store.ingest(s.label());
  }
}
