package io.vigil.server.decision;

import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.event.ValidationException;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.privacy.JournalPrivacy;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The request side of a decision: parse, submit, wait for durability, answer repeats. */
public final class DecisionService {
  /** Read-only lasts until an operator acts: minutes at least. */
  private static final int JOURNAL_BROKEN_RETRY_AFTER_SECONDS = 60;
  private static final ApiException JOURNAL_BROKEN = new ApiException(503, "overloaded_error", "journal_broken",
      "Vigil runs read-only: its decision journal failed verification at start-up, so it makes no decisions until an operator"
          + " resolves it. Nothing was stored", null, JOURNAL_BROKEN_RETRY_AFTER_SECONDS);
  private final DecisionPipeline pipeline;
  private final JournalRepository journal;
  private final long replyTimeoutMillis;
  private final String fallbackAction;
  /** True when a broken journal chain made Vigil read-only: no decision is made or stored. */
  private final BooleanSupplier readOnly;
  private final long admissionBudgetNanos;

  /** Without an admission budget: every request is decided however long it waited. */
  public DecisionService(DecisionPipeline pipeline, JournalRepository journal, long replyTimeoutMillis, String fallbackAction) {
    this(pipeline, journal, replyTimeoutMillis, fallbackAction, Admission.NO_BUDGET, () -> false);
  }

  public DecisionService(DecisionPipeline pipeline, JournalRepository journal, long replyTimeoutMillis, String fallbackAction,
      long admissionBudgetNanos, BooleanSupplier readOnly) {
    this.readOnly = readOnly;
    this.pipeline = pipeline;
    this.journal = journal;
    this.replyTimeoutMillis = replyTimeoutMillis;
    this.fallbackAction = fallbackAction;
    this.admissionBudgetNanos = admissionBudgetNanos;
  }

  /** The response body for a request that arrives now. */
  public Outcome.Response decide(byte[] body) {
    return decide(body, System.nanoTime());
  }

  /**
   * The response body for one decision request whose first byte arrived at {@code receivedNanos}
   * ({@link System#nanoTime()}); the boolean tells a replay.
   */
  public Outcome.Response decide(byte[] body, long receivedNanos) {
    if (readOnly.getAsBoolean()) throw withFallback(JOURNAL_BROKEN);
    // EventParser.parse repeats the check (the engine stands alone); with one exemption both give one answer.
    Map<String, Object> tree = Json.parseObject(body, EventParser.CARD_NUMBER_EXEMPTION);
    Event event = EventParser.parse(tree);
    String canonical = Json.canonical(tree);
    String requestHash = pipeline.requestHash(canonical);
    // What the journal stores: the personal fields sealed here, on the caller's thread, not the sequencer's.
    String stored = pipeline.privacy().sealEvent(tree, canonical, event);
    Outcome outcome;
    try {
      outcome = await(submit(event, stored, requestHash, receivedNanos, false));
    } catch (ValidationException tooOld) {
      // An event id older than the idempotency horizon is no longer in memory, and its event is
      // older than the lateness the engine accepts: a retry of a decided event is answered from the journal.
      if (!tooOld.code().equals("occurred_at_too_old")) throw tooOld;
      outcome = journal.findByEventId(event.eventId()).map(row -> stored(row, requestHash, canonical)).orElseThrow(() -> tooOld);
    }
    if (outcome instanceof Outcome.Lookup lookup) outcome = stored(lookup, event.eventId(), requestHash, canonical);
    if (outcome == null) {
      // The journal row under this hash holds another event id: decide this one as new.
      outcome = await(submit(event, stored, requestHash, receivedNanos, true));
      if (outcome instanceof Outcome.Lookup lookup) outcome = stored(lookup, event.eventId(), requestHash, canonical);
      if (outcome == null) throw new IllegalStateException("an event id collided twice");
    }
    if (outcome instanceof Outcome.Conflict) {
      throw ApiException.conflict("idempotency_error", "event_id_reused",
          "This event_id was already used with a different request body; use a new event_id for a new event", "event_id");
    }
    return (Outcome.Response) outcome;
  }

  /** The stored answer for a repeated event id, a conflict, or null when the row is another event's. */
  private Outcome stored(Outcome.Lookup lookup, String eventId, String requestHash, String canonical) {
    // A missing row is a decision whose commit just failed; the pipeline is rebuilding its index.
    JournalRow row = journal.findBySequence(lookup.sequence()).orElseThrow(() -> withFallback(
        ApiException.unavailable("recovering", "Vigil is rebuilding its state from the journal; retry with the same event_id")));
    if (!row.record().eventId().equals(eventId)) return null;
    return stored(row, requestHash, canonical);
  }

  /**
   * The stored answer of {@code row} (its personal values opened), or a conflict when the request
   * differs. A row stored before personal-data protection has a plain SHA-256 request hash.
   */
  private Outcome stored(JournalRow row, String requestHash, String canonical) {
    String storedHash = row.record().requestHash();
    if (!storedHash.equals(requestHash) && !storedHash.equals(JournalPrivacy.NONE.requestHash(canonical))) {
      return new Outcome.Conflict();
    }
    return new Outcome.Response(pipeline.privacy().openResponse(row.record().responseJson(), row.record().eventId()), true);
  }

  private CompletableFuture<Outcome> submit(Event event, String canonical, String requestHash, long receivedNanos, boolean hashCollision) {
    try {
      return pipeline.submit(new DecisionPipeline.Submission(event, canonical, requestHash, receivedNanos, hashCollision,
          new CompletableFuture<>(), admissionBudgetNanos));
    } catch (ApiException e) {
      throw withFallback(e);
    }
  }

  private Outcome await(CompletableFuture<Outcome> reply) {
    try {
      return reply.get(replyTimeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw withFallback(ApiException.unavailable("decision_timeout",
          "No durable decision within " + replyTimeoutMillis + " ms; retry with the same event_id"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.unavailable("interrupted", "The request was interrupted; retry with the same event_id");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ValidationException v) throw v;
      if (cause instanceof ApiException a) throw withFallback(a);
      throw new IllegalStateException("decision failed", cause);
    }
  }

  /** A decision 503 with the operator's fail-open/fail-closed advice at the end of its message; other errors as they are. */
  private ApiException withFallback(ApiException e) {
    return withFallback(e, fallbackAction);
  }

  /** {@code e} with the advice to apply {@code fallbackAction} when it is a 503. */
  public static ApiException withFallback(ApiException e, String fallbackAction) {
    if (e.status() != 503) return e;
    return new ApiException(503, e.type(), e.code(), e.getMessage() + " (configured fallback action: " + fallbackAction + ")",
        null, e.retryAfterSeconds());
  }
}
