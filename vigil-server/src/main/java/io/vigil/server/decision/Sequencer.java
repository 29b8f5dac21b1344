package io.vigil.server.decision;

import io.vigil.engine.Engine;
import io.vigil.engine.event.Event;
import io.vigil.engine.event.ValidationException;
import io.vigil.engine.policy.Decision;
import io.vigil.engine.release.ReleaseOutcome;
import io.vigil.engine.release.ReleaseSnapshot;
import io.vigil.engine.release.Released;
import io.vigil.engine.restriction.Restriction;
import io.vigil.engine.state.StateWriter;
import io.vigil.server.api.Ids;
import io.vigil.server.logging.FatalErrors;
import io.vigil.server.logging.RedactedFailure;
import io.vigil.server.state.Checkpoints;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's single writer (the LMAX / TigerBeetle shape), on a thread of its own: takes
 * submissions from the bounded inbox in arrival order, answers repeated event ids, decides, assigns
 * the journal sequence and hands the decision to the {@link Committer}. Deciding is a few
 * microseconds, so one thread keeps up with far more than the HTTP layer can deliver, and there are
 * no locks on the feature state. Between decisions it runs the sweeps, reads of its own state, the
 * capture of a checkpoint when one is due ({@link Checkpoints}), and the rebuild after a refused commit.
 */
final class Sequencer {
  private static final Logger log = LoggerFactory.getLogger(Sequencer.class);
  /** Reads of sequencer-owned state (the link graph) waiting for the sequencer; beyond it, 503. */
  static final int TASKS_MAX = 64;

  private final PipelineState state;
  private final EventIds ids;
  private final Sweeps sweeps;
  private final StateRecovery recovery;
  private final Committer committer;
  private final PipelineMetrics metrics;
  private final Clock clock;
  /** Takes checkpoints between decisions; null when they are off. */
  private final Checkpoints checkpoints;
  private final SecureRandom random = new SecureRandom();
  /**
   * How long the idle sequencer waits for a submission before it looks at its other work (reads queued
   * by {@link #onSequencer}, sweeps, checkpoints): what a read of the link graph waits on an idle server.
   * A hundred wake-ups a second of an idle thread cost nothing measurable.
   */
  static final long IDLE_POLL_MILLIS = 10;
  private final BlockingQueue<Runnable> tasks = new ArrayBlockingQueue<>(TASKS_MAX);
  private final Thread thread;
  private long lastSequence;

  Sequencer(PipelineState state, EventIds ids, Sweeps sweeps, StateRecovery recovery, Committer committer,
      PipelineMetrics metrics, Clock clock) {
    this(state, ids, sweeps, recovery, committer, metrics, clock, null);
  }

  Sequencer(PipelineState state, EventIds ids, Sweeps sweeps, StateRecovery recovery, Committer committer,
      PipelineMetrics metrics, Clock clock, Checkpoints checkpoints) {
    this.checkpoints = checkpoints;
    this.state = state;
    this.ids = ids;
    this.sweeps = sweeps;
    this.recovery = recovery;
    this.committer = committer;
    this.metrics = metrics;
    this.clock = clock;
    this.thread = new Thread(this::run, "vigil-sequencer");
  }

  /** Rebuilds state from the journal (before {@link #start}, or on this thread). */
  void rebuild() {
    var head = recovery.rebuild();
    lastSequence = head.sequence();
    committer.continueFrom(head.sequence(), head.hash());
    if (checkpoints != null) checkpoints.recovered(recovery.recoveredFromSequence());
  }

  /** Between decisions: a checkpoint of the state at the last sequence, when one is due. */
  private void maybeCheckpoint() {
    if (checkpoints == null || state.broken || state.recovering || !checkpoints.due(lastSequence)) return;
    EventIds.Snapshot eventIds = ids.snapshot();
    checkpoints.capture(state.engine, out -> eventIds.writeTo(new StateWriter(out)), lastSequence,
        committer.committedHead().epoch(), committer::committedHead);
  }

  void start() {
    thread.start();
  }

  boolean alive() {
    return thread.isAlive();
  }

  void stop() {
    thread.interrupt();
  }

  void join(long millis) throws InterruptedException {
    thread.join(millis);
  }

  /** Any throwable that escapes is fatal: the feature state may be half-updated, and nothing else decides. */
  private void run() {
    try {
      sequence();
    } catch (Throwable fatal) {
      FatalErrors.halt("the decision sequencer", fatal);
    }
  }

  private void sequence() {
    while (state.running) {
      DecisionPipeline.Submission s;
      try {
        s = state.inbox.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (s != null) state.sequencingSinceNanos = s.receivedNanos();
      if (state.broken) rebuildAfterFailure();
      sweeps.maybeSweep();
      ids.installMerged(); // a background merge of sealed event ids that has finished
      runTasks();
      maybeCheckpoint();
      if (s == null) continue;
      try {
        if (state.storageDown || state.recovering || state.broken) {
          // Queued before the store went away: refused undecided, so nothing waits to be stored.
          s.reply().completeExceptionally(Committer.storeUnreachable());
        } else if (Admission.late(s, System.nanoTime())) {
          metrics.late.increment();
          s.reply().completeExceptionally(Admission.refusal());
        } else {
          handle(s);
        }
      } catch (RuntimeException e) {
        // A bug after the feature state changed: the state may hold an event the journal will not.
        log.error("decision failed unexpectedly; rebuilding state from the journal", RedactedFailure.of(e));
        s.reply().completeExceptionally(e);
        state.broken = true;
      } finally {
        state.sequencingSinceNanos = 0;
      }
    }
  }

  private void handle(DecisionPipeline.Submission s) {
    Event event = s.event();
    boolean hashTaken = s.hashCollision();
    long previous = ids.sequenceOf(event.eventId(), s.hashCollision());
    if (previous != EventIds.MISSING) {
      Pending inFlight = state.pendingBySequence.get(previous);
      if (inFlight == null) {
        s.reply().complete(new Outcome.Lookup(previous));
        return;
      }
      if (inFlight.submission().event().eventId().equals(event.eventId())) {
        followInFlight(s, inFlight);
        return;
      }
      hashTaken = true; // an in-flight event with another id and the same hash
    }
    long nowMillis = clock.millis();
    Decision decision;
    ReleaseOutcome release = null;
    Engine e = state.engine;
    ReleaseSnapshot snapshot = state.release; // read once: one candidate, one percentage per decision
    try {
      if (snapshot == null) {
        decision = e.decide(event, nowMillis);
      } else {
        Released released = e.decide(event, nowMillis, snapshot);
        decision = released.decision();
        release = released.release();
      }
    } catch (ValidationException invalid) {
      s.reply().completeExceptionally(invalid);
      return;
    }
    long sequence = ++lastSequence;
    String decisionId = decisionId(nowMillis);
    List<Restriction> restrictionsSet = restrictionsSet(e, event, decision, nowMillis);
    long latencyMicros = (System.nanoTime() - s.receivedNanos()) / 1_000;
    String json = DecisionJson.response(decisionId, event.eventId(), decision, restrictionsSet, latencyMicros, release);
    Pending p = new Pending(sequence, decisionId, s, decision, json, nowMillis, restrictionsSet);
    ids.put(event.eventId(), sequence, nowMillis, hashTaken);
    state.pendingBySequence.put(sequence, p);
    try {
      state.commitQueue.put(p);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while queueing a commit", interrupted);
    }
  }

  /**
   * The restrictions firing rules asked for, in force from the next event on: in the index at
   * once, stored in the decision's transaction, and taken out again if that transaction is refused.
   */
  private List<Restriction> restrictionsSet(Engine e, Event event, Decision d, long nowMillis) {
    if (d.restrict().isEmpty()) return List.of();
    List<Restriction> set = new ArrayList<>(d.restrict().size());
    for (Decision.Restrict r : d.restrict()) {
      Restriction restriction = new Restriction(restrictionId(),
          event.accountId(), r.kind(), Restriction.SOURCE_RULE, r.reason(), "rule:" + r.ruleId(), nowMillis,
          r.expiresAtMillis(), 0);
      e.restrictions().put(restriction, nowMillis);
      set.add(restriction);
    }
    return set;
  }

  /**
   * {@code dec_} + 11 hex digits of milliseconds + 16 random hex digits: unguessable, and ordered
   * by time so that the unique index on it grows at its right edge (random keys cost a B-tree page
   * rewrite per insert in H2). Never one the card-number check refuses ({@link Ids}).
   */
  private String decisionId(long clockMillis) {
    char[] id = new char[4 + 11 + 16];
    "dec_".getChars(0, 4, id, 0);
    hex(clockMillis, id, 4, 11);
    String drawn;
    do {
      hex(random.nextLong(), id, 15, 16);
      drawn = new String(id);
    } while (Ids.mustRedraw(drawn));
    return drawn;
  }

  /** {@code rst_} + 32 random hex digits, never one the card-number check refuses. */
  private String restrictionId() {
    char[] id = new char[4 + 32];
    "rst_".getChars(0, 4, id, 0);
    String drawn;
    do {
      hex(random.nextLong(), id, 4, 16);
      hex(random.nextLong(), id, 20, 16);
      drawn = new String(id);
    } while (Ids.mustRedraw(drawn));
    return drawn;
  }

  private static void hex(long value, char[] into, int offset, int digits) {
    for (int i = offset + digits - 1; i >= offset; i--) {
      into[i] = Character.forDigit((int) (value & 0xF), 16);
      value >>>= 4;
    }
  }

  private static void followInFlight(DecisionPipeline.Submission s, Pending first) {
    if (!first.submission().requestHash().equals(s.requestHash())) {
      s.reply().complete(new Outcome.Conflict());
      return;
    }
    first.submission().reply().whenComplete((outcome, failure) -> {
      if (failure != null) s.reply().completeExceptionally(failure);
      else if (outcome instanceof Outcome.Response r) s.reply().complete(new Outcome.Response(r.json(), true));
      else s.reply().complete(outcome);
    });
  }

  /**
   * Runs work that reads sequencer-owned state (the link graph is single-threaded), on the
   * sequencer, between decisions. Waits at most the sequencer's idle poll ({@value #IDLE_POLL_MILLIS} ms) when idle.
   * Fails at once with {@link IllegalStateException} when {@value #TASKS_MAX} reads already wait.
   */
  <T> CompletableFuture<T> onSequencer(Function<Engine, T> read) {
    CompletableFuture<T> result = new CompletableFuture<>();
    boolean queued = tasks.offer(() -> {
      try {
        result.complete(read.apply(state.engine));
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    if (!queued) result.completeExceptionally(new IllegalStateException("too many reads waiting for the sequencer"));
    return result;
  }

  private void runTasks() {
    for (int i = 0; i < TASKS_MAX; i++) {
      Runnable task = tasks.poll();
      if (task == null) return;
      task.run();
    }
  }

  /** After a refused commit: waits for the committer to fail what it has, then rebuilds. */
  private void rebuildAfterFailure() {
    state.recovering = true;
    while (!state.commitQueue.isEmpty() || state.committerBusy || state.held > 0) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    try {
      rebuild();
      state.broken = false;
    } catch (RuntimeException e) {
      log.error("rebuilding from the journal failed; will retry", RedactedFailure.of(e));
      state.recovering = false;
    }
  }
}
