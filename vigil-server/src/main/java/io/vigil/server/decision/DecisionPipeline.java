package io.vigil.server.decision;

import com.google.common.hash.Hashing;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.engine.Engine;
import io.vigil.engine.event.Event;
import io.vigil.engine.event.ValidationException;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.journal.HashChain;
import io.vigil.engine.journal.JournalRecord;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.policy.CompiledPolicy;
import io.vigil.engine.policy.Decision;
import io.vigil.engine.restriction.Restriction;
import io.vigil.engine.signal.ReferenceData;
import io.vigil.engine.signal.links.LinkGraphStats;
import io.vigil.server.account.RestrictionRepository;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Ids;
import io.vigil.server.journal.DecisionRules;
import io.vigil.server.journal.JournalObserver;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.logging.FatalErrors;
import io.vigil.server.logging.RedactedFailure;
import io.vigil.server.model.DecisionFeatures;
import io.vigil.server.state.Checkpoints;
import io.vigil.server.state.CommittedHead;
import io.vigil.server.state.EventIds;
import io.vigil.server.state.StateRecovery;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * From a validated request to a durable decision, in two threads.
 *
 * <h2>Design</h2>
 * <b>The sequencer</b> is the engine's single writer (the LMAX / TigerBeetle shape): it takes
 * submissions from a bounded inbox in arrival order, answers repeated event ids, decides, assigns
 * the journal sequence and hands the decision to the committer. Deciding is a few microseconds,
 * so one thread keeps up with far more than the HTTP layer can deliver, and there are no locks on
 * the feature state.
 *
 * <p><b>The committer</b> drains up to {@code commitBatchMax} decisions at a time, chains their
 * hashes, writes them in one transaction and only then completes their replies (group commit:
 * one fsync for many decisions). A client is never told a decision that is not durable.
 *
 * <p><b>Failure.</b> The sequencer updates the feature state before the commit. If a commit
 * fails, those in-memory changes are not durable, so the pipeline fails that batch and every
 * decision queued behind it with 503, throws the in-memory state away and rebuilds it from the
 * journal (as at start-up). Nothing half-written survives: the journal holds whole transactions,
 * and state is always a function of the journal.
 *
 * <p><b>Idempotency.</b> An index maps every journal event id (by keyed 64-bit hash) to its
 * sequence; the sequencer, the journal's only writer, is what keeps event ids unique, so the
 * database needs no unique index on them (a random-key index is the most expensive part of an
 * insert). A repeat of an in-flight event waits for the first and gets its bytes; a repeat of a
 * committed event is answered from the journal row by the caller's thread, which checks the event
 * id; if the row holds another event id, the two ids share a hash, and the newcomer is decided and
 * remembered exactly in a small side map. A different body under the same event id is a conflict.
 * The request hash is SHA-256 of the canonical JSON (sorted keys).
 *
 * <p><b>Overload.</b> The inbox is bounded: a full inbox is a 503 at once with Retry-After and the
 * configured fail-open/fail-closed advice. A submission that has waited longer than its admission
 * budget when the sequencer takes it is refused the same way, undecided ({@link Admission}). A
 * reply that takes longer than the timeout is a 503; the decision may still commit, and a retry
 * with the same event id returns it.
 */
public final class DecisionPipeline implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DecisionPipeline.class);
  private static final long SWEEP_INTERVAL_MILLIS = 60_000;
  /** Reads of sequencer-owned state (the link graph) waiting for the sequencer; beyond it, 503. */
  private static final int TASKS_MAX = 64;

  /**
   * A validated request waiting for its decision. {@code receivedNanos} is when its first byte
   * arrived; past {@code admissionBudgetNanos} after it the sequencer refuses it ({@link Admission}).
   */
  public record Submission(Event event, String canonicalJson, String requestHash, long receivedNanos,
      boolean hashCollision, CompletableFuture<Outcome> reply, long admissionBudgetNanos) {

    public Submission(Event event, String canonicalJson, String requestHash, long receivedNanos, boolean hashCollision,
        CompletableFuture<Outcome> reply) {
      this(event, canonicalJson, requestHash, receivedNanos, hashCollision, reply, Admission.NO_BUDGET);
    }
  }

  private record Pending(long sequence, String decisionId, Submission submission, Decision decision,
      String responseJson, long recordedAtMillis, List<Restriction> restrictionsSet) {}

  private final JournalRepository journal;
  private final DataSource dataSource;
  /** Makes the fresh engine each rebuild starts from (configuration, lists, current reference data). */
  private final Supplier<Engine> engines;
  private final int commitBatchMax;
  private final BlockingQueue<Submission> inbox;
  private final BlockingQueue<Pending> commitQueue;
  private final Map<Long, Pending> pendingBySequence = new ConcurrentHashMap<>();
  /** The event-id index, the collided ids and their hash: made by each rebuild, owned by the sequencer. */
  private EventIds ids;
  private EventIdIndex index;
  /** Event ids whose hash was already taken by another event id: exact, and tiny in practice. */
  private Map<String, Long> collided;
  private final SecureRandom random = new SecureRandom();
  /** Rebuilds the state: from the newest usable checkpoint plus the journal after it, or the whole journal. */
  private final StateRecovery recovery;
  /** Takes checkpoints between decisions; null when they are off. */
  private final Checkpoints checkpoints;
  /** The committed head and the epoch of the state (one per rebuild), for the checkpoint writer. */
  private volatile CommittedHead committedHead = new CommittedHead(0, 0, HashChain.GENESIS);
  private long epoch;
  /** The sequence of the checkpoint the last rebuild started from; 0 after a full replay. */
  private volatile long recoveredFromSequence;
  private final Clock clock;
  private final Thread sequencer;
  private final Thread committer;
  private final PipelineMetrics metrics;
  /** Checks the chain at each rebuild and hears of each committed head (the journal's anchors). */
  private final JournalObserver observer;

  private volatile Engine engine;
  private volatile CompiledPolicy policy;
  private final BlockingQueue<Runnable> tasks = new ArrayBlockingQueue<>(TASKS_MAX);
  /** The link graph's counters, copied by the sequencer at each sweep (the graph is its alone). */
  private volatile LinkGraphStats linkStats;
  /** The last reference data installed; null until the first reload (engines start with the factory's). */
  private volatile ReferenceData reference;
  private volatile boolean running = true;
  private volatile boolean broken;
  private volatile boolean recovering = true;
  private volatile boolean committerBusy;
  /** When the oldest decision of the batch being committed arrived ({@code System.nanoTime()}); 0 when none. */
  private volatile long committingSinceNanos;
  /** When the submission the sequencer holds (taken from the inbox, not yet handed on) arrived; 0 when none. */
  private volatile long sequencingSinceNanos;
  private volatile String lastHash;
  private long lastSequence;
  private long lastSweepMillis;

  public DecisionPipeline(JournalRepository journal, DataSource dataSource, FeatureConfig featureConfig,
      ListIndex lists, CompiledPolicy policy, int queueCapacity, int commitBatchMax, MeterRegistry registry, Clock clock) {
    this(journal, dataSource, () -> new Engine(featureConfig, lists), policy, queueCapacity, commitBatchMax, registry, clock, null,
        JournalObserver.NONE);
  }

  public DecisionPipeline(JournalRepository journal, DataSource dataSource, Supplier<Engine> engines,
      CompiledPolicy policy, int queueCapacity, int commitBatchMax, MeterRegistry registry, Clock clock) {
    this(journal, dataSource, engines, policy, queueCapacity, commitBatchMax, registry, clock, null, JournalObserver.NONE);
  }

  /** {@code observer} checks the chain when the pipeline rebuilds (it may refuse the start) and hears of each committed head. */
  public DecisionPipeline(JournalRepository journal, DataSource dataSource, Supplier<Engine> engines,
      CompiledPolicy policy, int queueCapacity, int commitBatchMax, MeterRegistry registry, Clock clock, JournalObserver observer) {
    this(journal, dataSource, engines, policy, queueCapacity, commitBatchMax, registry, clock, null, observer);
  }

  /** {@code eventIdHash} replaces the keyed SipHash; tests use it to force collisions. */
  DecisionPipeline(JournalRepository journal, DataSource dataSource, Supplier<Engine> engines,
      CompiledPolicy policy, int queueCapacity, int commitBatchMax, MeterRegistry registry, Clock clock,
      ToLongFunction<String> eventIdHash, JournalObserver observer) {
    this(journal, dataSource, engines, policy, queueCapacity, commitBatchMax, registry, clock, eventIdHash, observer, null);
  }

  /**
   * With {@code checkpoints} (null for none), start-up and every rebuild begin from the newest
   * usable checkpoint and replay only the journal after it, and the sequencer takes checkpoints as
   * configured.
   */
  public DecisionPipeline(JournalRepository journal, DataSource dataSource, Supplier<Engine> engines,
      CompiledPolicy policy, int queueCapacity, int commitBatchMax, MeterRegistry registry, Clock clock,
      ToLongFunction<String> eventIdHash, JournalObserver observer, Checkpoints checkpoints) {
    this.clock = clock;
    this.observer = observer;
    this.checkpoints = checkpoints;
    this.recovery = new StateRecovery(journal, observer, engines, clock, checkpoints == null || !checkpoints.settings().load() ? null : checkpoints.files(), eventIdHash);
    this.journal = journal;
    this.dataSource = dataSource;
    this.engines = engines;
    this.policy = policy;
    this.commitBatchMax = commitBatchMax;
    this.inbox = new ArrayBlockingQueue<>(queueCapacity);
    this.commitQueue = new ArrayBlockingQueue<>(Math.max(commitBatchMax * 4, queueCapacity));
    this.metrics = new PipelineMetrics(registry, inbox, commitQueue, () -> engine, () -> linkStats);
    rebuild();
    this.sequencer = new Thread(this::runSequencer, "vigil-sequencer");
    this.committer = new Thread(this::runCommitter, "vigil-committer");
    sequencer.start();
    committer.start();
  }

  public Engine engine() {
    return engine;
  }

  /** The sequence of the checkpoint the last rebuild started from; 0 when it replayed the whole journal. */
  public long recoveredFromSequence() {
    return recoveredFromSequence;
  }

  /** Makes a compiled policy the one the next decision uses. */
  public void install(CompiledPolicy compiled) {
    this.policy = compiled;
    engine.install(compiled);
  }

  /** Makes a reference-data set the one the next decision uses. */
  public void install(ReferenceData reference) {
    this.reference = reference;
    engine.install(reference);
  }

  public boolean ready() {
    return running && !recovering && !broken;
  }

  /** Whether the sequencer thread is running; false once it has stopped, for whatever reason. */
  public boolean sequencerAlive() {
    return sequencer.isAlive();
  }

  /** Whether the committer thread is running. */
  public boolean committerAlive() {
    return committer.isAlive();
  }

  /**
   * How long the oldest decision still waiting (to be decided, or to be committed) has waited, in
   * nanoseconds; 0 when none waits.
   */
  public long oldestWaitingNanos() {
    long now = System.nanoTime();
    long oldest = now;
    Submission queued = inbox.peek();
    if (queued != null) oldest = Math.min(oldest, queued.receivedNanos());
    Pending decided = commitQueue.peek();
    if (decided != null) oldest = Math.min(oldest, decided.submission().receivedNanos());
    long sequencing = sequencingSinceNanos;
    if (sequencing != 0) oldest = Math.min(oldest, sequencing);
    long committing = committingSinceNanos;
    if (committing != 0) oldest = Math.min(oldest, committing);
    return Math.max(0, now - oldest);
  }

  /** Queues a submission; fails fast with 503 when the inbox is full or the store is recovering. */
  public CompletableFuture<Outcome> submit(Submission s) {
    if (!ready()) throw ApiException.unavailable("recovering", "Vigil is rebuilding its state from the journal; retry shortly");
    if (!inbox.offer(s)) {
      metrics.overloads.increment();
      throw ApiException.unavailable("overloaded", "Too many decisions are waiting; retry shortly");
    }
    return s.reply();
  }

  public String requestHash(String canonicalJson) {
    return Hashing.sha256().hashString(canonicalJson, StandardCharsets.UTF_8).toString();
  }

  // ---- sequencer ------------------------------------------------------------------------------

  /** Any throwable that escapes is fatal: the feature state may be half-updated, and nothing else decides. */
  private void runSequencer() {
    try {
      sequence();
    } catch (Throwable fatal) {
      FatalErrors.halt("the decision sequencer", fatal);
    }
  }

  private void sequence() {
    while (running) {
      Submission s;
      try {
        s = inbox.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (s != null) sequencingSinceNanos = s.receivedNanos();
      if (broken) rebuildAfterFailure();
      maybeSweep();
      runTasks();
      maybeCheckpoint();
      if (s == null) continue;
      try {
        if (Admission.late(s, System.nanoTime())) {
          metrics.late.increment();
          s.reply().completeExceptionally(Admission.refusal());
        } else {
          handle(s);
        }
      } catch (RuntimeException e) {
        // A bug after the feature state changed: the state may hold an event the journal will not.
        log.error("decision failed unexpectedly; rebuilding state from the journal", RedactedFailure.of(e));
        s.reply().completeExceptionally(e);
        broken = true;
      } finally {
        sequencingSinceNanos = 0;
      }
    }
  }

  private void handle(Submission s) {
    Event event = s.event();
    long idKey = idKey(event.eventId());
    boolean hashTaken = s.hashCollision();
    long previous = sequenceOf(event.eventId(), idKey, s.hashCollision());
    if (previous != EventIdIndex.MISSING) {
      Pending inFlight = pendingBySequence.get(previous);
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
    Engine e = engine;
    try {
      decision = e.decide(event, nowMillis);
    } catch (ValidationException invalid) {
      s.reply().completeExceptionally(invalid);
      return;
    }
    long sequence = ++lastSequence;
    String decisionId = decisionId(nowMillis);
    List<Restriction> restrictionsSet = restrictionsSet(e, event, decision, nowMillis);
    long latencyMicros = (System.nanoTime() - s.receivedNanos()) / 1_000;
    String json = DecisionJson.response(decisionId, event.eventId(), decision, restrictionsSet, latencyMicros);
    Pending p = new Pending(sequence, decisionId, s, decision, json, nowMillis, restrictionsSet);
    if (hashTaken) collided.put(event.eventId(), sequence);
    else index.put(idKey, sequence);
    pendingBySequence.put(sequence, p);
    try {
      commitQueue.put(p);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while queueing a commit", interrupted);
    }
  }

  /**
   * The restrictions firing rules asked for, in force from the next event on: in the index at
   * once, stored in the decision's transaction, and taken out again if that transaction fails.
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

  private static void followInFlight(Submission s, Pending first) {
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

  /** The journal sequence of an event id, or MISSING; a hash hit is only a hint until checked. */
  private long sequenceOf(String eventId, long idKey, boolean hashTakenByAnother) {
    Long exact = collided.get(eventId);
    if (exact != null) return exact;
    return hashTakenByAnother ? EventIdIndex.MISSING : index.get(idKey);
  }

  private long idKey(String eventId) {
    return ids.key(eventId);
  }

  /** Between decisions: a checkpoint of the state at the last sequence, when one is due (see {@link Checkpoints}). */
  private void maybeCheckpoint() {
    if (checkpoints != null && !broken && checkpoints.due(lastSequence)) {
      checkpoints.capture(engine, ids, lastSequence, epoch, () -> committedHead);
    }
  }

  /**
   * Once a minute, under traffic or not, drop window entries no event can see any more, and
   * publish the link graph's counters for the metrics.
   */
  private void maybeSweep() {
    long now = clock.millis();
    if (now - lastSweepMillis < SWEEP_INTERVAL_MILLIS) return;
    lastSweepMillis = now;
    engine.features().sweep(engine.tick(now));
    engine.ledger().sweep(engine.tick(now));
    linkStats = engine.signals().links().stats();
  }

  /**
   * Runs work that reads sequencer-owned state (the link graph is single-threaded), on the
   * sequencer, between decisions. Waits at most the sequencer's idle poll (100 ms) when idle.
   * Fails at once with {@link IllegalStateException} when {@value #TASKS_MAX} reads already wait.
   */
  public <T> CompletableFuture<T> onSequencer(Function<Engine, T> read) {
    CompletableFuture<T> result = new CompletableFuture<>();
    boolean queued = tasks.offer(() -> {
      try {
        result.complete(read.apply(engine));
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

  // ---- committer ------------------------------------------------------------------------------

  /** Any throwable that escapes is fatal: no decision could be stored any more. */
  private void runCommitter() {
    try {
      commitLoop();
    } catch (Throwable fatal) {
      FatalErrors.halt("the decision committer", fatal);
    }
  }

  private void commitLoop() {
    List<Pending> batch = new ArrayList<>(commitBatchMax);
    while (running || !commitQueue.isEmpty()) {
      Pending first;
      try {
        first = commitQueue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (first == null) continue;
      committerBusy = true;
      committingSinceNanos = first.submission().receivedNanos();
      try {
        batch.clear();
        batch.add(first);
        commitQueue.drainTo(batch, commitBatchMax - 1);
        if (broken) {
          failAll(batch);
        } else {
          commit(batch);
        }
      } finally {
        committingSinceNanos = 0;
        committerBusy = false;
      }
    }
  }

  private void commit(List<Pending> batch) {
    long startNanos = System.nanoTime();
    List<JournalRow> rows = new ArrayList<>(batch.size());
    String previous = lastHash;
    for (Pending p : batch) {
      Submission s = p.submission();
      String hash = HashChain.hash(previous, p.sequence(), p.decisionId(), s.event().eventId(), p.recordedAtMillis(),
          p.decision().policyVersion(), s.requestHash(), s.canonicalJson(), p.responseJson());
      JournalRecord record = new JournalRecord(p.sequence(), p.decisionId(), s.event().eventId(), p.recordedAtMillis(),
          p.decision().policyVersion(), s.requestHash(), s.canonicalJson(), p.responseJson(), previous, hash);
      rows.add(DecisionJson.row(record, s.event(), p.decision()));
      previous = hash;
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        JournalRepository.insertBatch(c, rows);
        List<DecisionRules.Fired> fired = new ArrayList<>(batch.size());
        for (Pending p : batch) fired.add(new DecisionRules.Fired(p.sequence(), DecisionRules.ruleIds(p.decision().reasons())));
        DecisionRules.insertAll(c, fired);
        List<Restriction> restrictions = new ArrayList<>();
        for (Pending p : batch) restrictions.addAll(p.restrictionsSet());
        RestrictionRepository.insertAll(c, restrictions);
        List<DecisionFeatures.Pending> vectors = new ArrayList<>();
        for (Pending p : batch) {
          if (p.decision().model() == null) continue;
          Event e = p.submission().event();
          vectors.add(new DecisionFeatures.Pending(p.sequence(), p.decisionId(), e.eventId(), e.accountId(),
              e.occurredAtMillis(), p.decision().model()));
        }
        DecisionFeatures.insertAll(c, vectors);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException | RuntimeException e) {
      log.error("committing {} decisions failed; failing them and rebuilding state from the journal", batch.size(),
          RedactedFailure.of(e));
      broken = true;
      failAll(batch);
      return;
    }
    lastHash = previous;
    committedHead = new CommittedHead(committedHead.epoch(), batch.get(batch.size() - 1).sequence(), previous);
    observer.committed(batch.get(batch.size() - 1).sequence(), previous);
    metrics.commitBatch.record(batch.size());
    metrics.commitTimer.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    for (Pending p : batch) {
      pendingBySequence.remove(p.sequence());
      metrics.decided(p.submission().event().type(), p.decision().action(), p.submission().receivedNanos());
      p.submission().reply().complete(new Outcome.Response(p.responseJson(), false));
    }
  }

  private void failAll(List<Pending> batch) {
    long now = clock.millis();
    for (Pending p : batch) {
      pendingBySequence.remove(p.sequence());
      // Not stored, so not in force: a lifted restriction leaves the index.
      for (Restriction r : p.restrictionsSet()) engine.restrictions().put(r.lifted(now), now);
      p.submission().reply().completeExceptionally(
          ApiException.unavailable("storage_unavailable", "The decision could not be stored; nothing was recorded. Retry shortly"));
    }
  }

  // ---- recovery -------------------------------------------------------------------------------

  private void rebuildAfterFailure() {
    recovering = true;
    while (!commitQueue.isEmpty() || committerBusy) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    try {
      rebuild();
      broken = false;
    } catch (RuntimeException e) {
      log.error("rebuilding from the journal failed; will retry", RedactedFailure.of(e));
      recovering = false;
    }
  }

  /**
   * Derives all in-memory state from the journal: the feature windows and facts, the event-id
   * index, and the chain head ({@link StateRecovery}: from a checkpoint when there is a usable one).
   * Runs at start-up and after a failed commit.
   */
  private void rebuild() {
    recovering = true;
    StateRecovery.Recovered r = recovery.recover(policy);
    Engine fresh = r.engine();
    ids = r.ids();
    index = ids.index();
    collided = ids.collided();
    engine = fresh;
    linkStats = fresh.signals().links().stats();
    fresh.install(policy); // a policy installed while replaying must not be lost
    ReferenceData reloaded = reference;
    if (reloaded != null) fresh.install(reloaded); // nor a reference set reloaded meanwhile
    lastSequence = r.sequence();
    lastHash = r.hash();
    epoch++;
    committedHead = new CommittedHead(epoch, r.sequence(), r.hash());
    recoveredFromSequence = r.checkpointSequence();
    if (checkpoints != null) checkpoints.recovered(r.checkpointSequence());
    recovering = false;
    log.info("state rebuilt from {} journal rows ({} skipped){} in {} ms", r.rowsReplayed(), r.rowsSkipped(),
        r.checkpointSequence() == 0 ? "" : " after the checkpoint of sequence " + r.checkpointSequence(), r.millis());
  }

  @Override
  public void close() {
    running = false;
    sequencer.interrupt();
    try {
      sequencer.join(5_000);
      committer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
