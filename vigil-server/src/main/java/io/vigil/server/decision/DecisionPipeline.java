package io.vigil.server.decision;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.engine.Engine;
import io.vigil.engine.event.Event;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.policy.CompiledPolicy;
import io.vigil.engine.policy.Decision;
import io.vigil.engine.release.ReleaseSnapshot;
import io.vigil.engine.signal.ReferenceData;
import io.vigil.server.api.ApiException;
import io.vigil.server.journal.JournalObserver;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.privacy.JournalPrivacy;
import io.vigil.server.state.Checkpoints;
import io.vigil.server.storage.DurableCommit;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import javax.sql.DataSource;

/**
 * From a validated request to a durable decision, in two threads. This class wires the parts and
 * is what the rest of the server calls; each part has one job:
 * <ul>
 *   <li>{@link Sequencer}: the engine's single writer; decides in arrival order, numbers the
 *       decisions, answers repeated event ids;
 *   <li>{@link Committer}: group commit; holds and retries what it could not store while the
 *       store is unreachable;
 *   <li>{@link EventIds}: the idempotency index, bounded by the idempotency horizon;
 *   <li>{@link StateRecovery}: derives state from the journal at start-up and after a refused commit;
 *   <li>{@link Sweeps}: the minute's housekeeping; {@link PipelineMetrics}: the meters.
 * </ul>
 *
 * <p><b>Idempotency.</b> A repeat of an in-flight event waits for the first and gets its bytes; a
 * repeat of a committed event is answered from the journal row by the caller's thread, which
 * checks the event id; if the row holds another event id, the two ids share a hash, and the
 * newcomer is decided and remembered exactly. A different body under the same event id is a
 * conflict. The request hash is SHA-256 of the canonical JSON (sorted keys).
 *
 * <p><b>Overload.</b> The inbox is bounded: a full inbox is a 503 at once with Retry-After and the
 * configured fail-open/fail-closed advice. A submission that has waited longer than its admission
 * budget when the sequencer takes it is refused the same way, undecided ({@link Admission}). A
 * reply that takes longer than the timeout is a 503; the decision may still commit, and a retry
 * with the same event id returns it. While the store is unreachable every submission is refused
 * at once with 503 {@code storage_unavailable} ({@link Committer}).
 */
public final class DecisionPipeline implements AutoCloseable {
  /** The idempotency horizon when none is configured: 7 days. */
  public static final long IDEMPOTENCY_HORIZON_MILLIS_DEFAULT = 7 * 86_400_000L;

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

  /**
   * Hears of each decision once it is stored (before its caller is answered), on the committer's thread, in sequence
   * order: it must be quick and must not block (the console's dashboard counts them). Decisions
   * held through a store outage are told when they are stored, after the outage.
   */
  @FunctionalInterface
  public interface CommitListener {
    CommitListener NONE = (sequence, recordedAtMillis, decision, latencyNanos) -> {};

    /** {@code latencyNanos}: from the request's receipt to its durable decision. */
    void committed(long sequence, long recordedAtMillis, Decision decision, long latencyNanos);
  }

  private final PipelineState state;
  private final EventIds ids;
  private final PipelineMetrics metrics;
  private final Sequencer sequencer;
  private final Committer committer;
  private final StateRecovery recovery;

  public DecisionPipeline(JournalRepository journal, DataSource dataSource, FeatureConfig featureConfig,
      ListIndex lists, CompiledPolicy policy, int queueCapacity, int commitBatchMax, MeterRegistry registry, Clock clock) {
    this(journal, dataSource, () -> new Engine(featureConfig, lists), policy, queueCapacity, commitBatchMax, registry, clock, null,
        JournalObserver.NONE, IDEMPOTENCY_HORIZON_MILLIS_DEFAULT, DurableCommit.SYNC);
  }

  public DecisionPipeline(JournalRepository journal, DataSource dataSource, Supplier<Engine> engines,
      CompiledPolicy policy, int queueCapacity, int commitBatchMax, MeterRegistry registry, Clock clock) {
    this(journal, dataSource, engines, policy, queueCapacity, commitBatchMax, registry, clock, null, JournalObserver.NONE,
        IDEMPOTENCY_HORIZON_MILLIS_DEFAULT, DurableCommit.SYNC);
  }

  /** {@code observer} checks the chain when the pipeline rebuilds (it may refuse the start) and hears of each committed head. */
  public DecisionPipeline(JournalRepository journal, DataSource dataSource, Supplier<Engine> engines,
      CompiledPolicy policy, int queueCapacity, int commitBatchMax, MeterRegistry registry, Clock clock, JournalObserver observer) {
    this(journal, dataSource, engines, policy, queueCapacity, commitBatchMax, registry, clock, null, observer,
        IDEMPOTENCY_HORIZON_MILLIS_DEFAULT, DurableCommit.SYNC);
  }

  /**
   * {@code idempotencyHorizonMillis}: how long an event id is answered from memory (the
   * configuration checks it is at least the feature lateness plus the accepted clock skew);
   * {@code durable}: whether each group commit is synced to stable storage before its replies.
   */
  public DecisionPipeline(JournalRepository journal, DataSource dataSource, Supplier<Engine> engines,
      CompiledPolicy policy, int queueCapacity, int commitBatchMax, MeterRegistry registry, Clock clock, JournalObserver observer,
      long idempotencyHorizonMillis, DurableCommit durable) {
    this(journal, dataSource, engines, policy, queueCapacity, commitBatchMax, registry, clock, null, observer,
        idempotencyHorizonMillis, durable);
  }

  /** {@code eventIdHash} replaces the keyed SipHash; tests use it to force collisions. */
  DecisionPipeline(JournalRepository journal, DataSource dataSource, Supplier<Engine> engines,
      CompiledPolicy policy, int queueCapacity, int commitBatchMax, MeterRegistry registry, Clock clock,
      ToLongFunction<String> eventIdHash, JournalObserver observer, long idempotencyHorizonMillis, DurableCommit durable) {
    this(journal, dataSource, engines, null, policy, queueCapacity, commitBatchMax, registry, clock, eventIdHash, observer,
        idempotencyHorizonMillis, durable, null);
  }

  /**
   * With {@code checkpoints} (null for none), start-up and every rebuild begin from the newest
   * usable checkpoint and replay only the journal after it, and the sequencer takes checkpoints as
   * configured. {@code enginesFromCheckpoint} makes an engine on the disk-backed windows of a
   * checkpoint's features directory ({@link WindowStateStores#restore}); null when the engines keep
   * their windows in memory.
   */
  public DecisionPipeline(JournalRepository journal, DataSource dataSource, Supplier<Engine> engines,
      Function<Path, Engine> enginesFromCheckpoint, CompiledPolicy policy, int queueCapacity, int commitBatchMax,
      MeterRegistry registry, Clock clock, JournalObserver observer, long idempotencyHorizonMillis, DurableCommit durable,
      Checkpoints checkpoints) {
    this(journal, dataSource, engines, enginesFromCheckpoint, policy, queueCapacity, commitBatchMax, registry, clock, null,
        observer, idempotencyHorizonMillis, durable, checkpoints, JournalPrivacy.NONE);
  }

  /**
   * As above, with the journal's personal-data protection: the committer stores each response with
   * its personal values sealed, and every rebuild opens the events it replays ({@code privacy}).
   */
  public DecisionPipeline(JournalRepository journal, DataSource dataSource, Supplier<Engine> engines,
      Function<Path, Engine> enginesFromCheckpoint, CompiledPolicy policy, int queueCapacity, int commitBatchMax,
      MeterRegistry registry, Clock clock, JournalObserver observer, long idempotencyHorizonMillis, DurableCommit durable,
      Checkpoints checkpoints, JournalPrivacy privacy) {
    this(journal, dataSource, engines, enginesFromCheckpoint, policy, queueCapacity, commitBatchMax, registry, clock, null,
        observer, idempotencyHorizonMillis, durable, checkpoints, privacy);
  }

  DecisionPipeline(JournalRepository journal, DataSource dataSource, Supplier<Engine> engines,
      Function<Path, Engine> enginesFromCheckpoint, CompiledPolicy policy, int queueCapacity, int commitBatchMax,
      MeterRegistry registry, Clock clock, ToLongFunction<String> eventIdHash, JournalObserver observer,
      long idempotencyHorizonMillis, DurableCommit durable, Checkpoints checkpoints) {
    this(journal, dataSource, engines, enginesFromCheckpoint, policy, queueCapacity, commitBatchMax, registry, clock, eventIdHash,
        observer, idempotencyHorizonMillis, durable, checkpoints, JournalPrivacy.NONE);
  }

  DecisionPipeline(JournalRepository journal, DataSource dataSource, Supplier<Engine> engines,
      Function<Path, Engine> enginesFromCheckpoint, CompiledPolicy policy, int queueCapacity, int commitBatchMax,
      MeterRegistry registry, Clock clock, ToLongFunction<String> eventIdHash, JournalObserver observer,
      long idempotencyHorizonMillis, DurableCommit durable, Checkpoints checkpoints, JournalPrivacy privacy) {
    this.state = new PipelineState(queueCapacity, commitBatchMax);
    state.policy = policy;
    state.privacy = privacy;
    this.ids = new EventIds(idempotencyHorizonMillis, eventIdHash);
    this.metrics = new PipelineMetrics(registry, state, ids);
    this.committer = new Committer(state, journal, dataSource, commitBatchMax, metrics, observer, clock, durable);
    this.recovery = new StateRecovery(journal, engines, enginesFromCheckpoint, ids, state, clock, observer, metrics,
        checkpoints == null || !checkpoints.settings().load() ? null : checkpoints.files());
    this.sequencer = new Sequencer(state, ids, new Sweeps(state, ids, clock), recovery, committer, metrics, clock, checkpoints);
    sequencer.rebuild();
    sequencer.start();
    committer.start();
  }

  /** The sequence of the checkpoint the last rebuild started from; 0 when it replayed the whole journal. */
  public long recoveredFromSequence() {
    return recovery.recoveredFromSequence();
  }

  public Engine engine() {
    return state.engine;
  }

  /** Makes a compiled policy the one the next decision uses. */
  public void install(CompiledPolicy compiled) {
    state.policy = compiled;
    state.engine.install(compiled);
  }

  /**
   * Makes a release snapshot the one the next decision uses (null: no release runs). Each decision
   * reads it once, so it sees one candidate at one percentage.
   */
  public void install(ReleaseSnapshot release) {
    state.release = release;
  }

  /** The release snapshot decisions use now; null when none runs. */
  public ReleaseSnapshot release() {
    return state.release;
  }

  /** Makes a reference-data set the one the next decision uses. */
  public void install(ReferenceData reference) {
    state.reference = reference;
    state.engine.install(reference);
  }

  /** Listeners at once: each is called on the committer's thread for every stored decision. */
  static final int COMMIT_LISTENERS_MAX = 8;

  /** Tells {@code listener} of each stored decision from now on, besides the listeners already added. */
  public void addCommitListener(CommitListener listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (state.committed) {
      if (state.committed.size() >= COMMIT_LISTENERS_MAX) {
        throw new IllegalStateException("at most " + COMMIT_LISTENERS_MAX + " commit listeners");
      }
      state.committed.add(listener);
    }
  }

  /** Stops telling {@code listener} (the same instance that was added); false when it was not added. */
  public boolean removeCommitListener(CommitListener listener) {
    return state.committed.remove(listener);
  }

  public boolean ready() {
    return state.running && !state.recovering && !state.broken && !state.storageDown;
  }

  /** True while the store is unreachable: decisions made before are held for it, new ones refused. */
  public boolean storageDown() {
    return state.storageDown;
  }

  /** Decisions made but not yet stored because the store is unreachable. */
  public int heldDecisions() {
    return state.held;
  }

  /** Whether the sequencer thread is running; false once it has stopped, for whatever reason. */
  public boolean sequencerAlive() {
    return sequencer.alive();
  }

  /** Whether the committer thread is running. */
  public boolean committerAlive() {
    return committer.alive();
  }

  /**
   * How long the oldest decision still waiting (to be decided, or to be committed) has waited, in
   * nanoseconds; 0 when none waits.
   */
  public long oldestWaitingNanos() {
    long now = System.nanoTime();
    long oldest = now;
    Submission queued = state.inbox.peek();
    if (queued != null) oldest = Math.min(oldest, queued.receivedNanos());
    Pending decided = state.commitQueue.peek();
    if (decided != null) oldest = Math.min(oldest, decided.submission().receivedNanos());
    long sequencing = state.sequencingSinceNanos;
    if (sequencing != 0) oldest = Math.min(oldest, sequencing);
    long committing = state.committingSinceNanos;
    if (committing != 0) oldest = Math.min(oldest, committing);
    return Math.max(0, now - oldest);
  }

  /** Queues a submission; fails fast with 503 when the inbox is full, the store is unreachable or state is rebuilding. */
  public CompletableFuture<Outcome> submit(Submission s) {
    if (state.storageDown || Committer.stalled(state)) throw Committer.storeUnreachable();
    if (!ready()) throw ApiException.unavailable("recovering", "Vigil is rebuilding its state from the journal; retry shortly");
    if (!state.inbox.offer(s)) {
      metrics.overloads.increment();
      throw ApiException.unavailable("overloaded", "Too many decisions are waiting; retry shortly");
    }
    return s.reply();
  }

  /** The request hash the journal stores for a canonical request (keyed when personal data is protected). */
  public String requestHash(String canonicalJson) {
    return state.privacy.requestHash(canonicalJson);
  }

  /** The journal's personal-data protection. */
  public JournalPrivacy privacy() {
    return state.privacy;
  }

  /**
   * Runs work that reads sequencer-owned state (the link graph is single-threaded), on the
   * sequencer, between decisions. Waits at most the sequencer's idle poll (10 ms) when idle.
   * Fails at once with {@link IllegalStateException} when {@value Sequencer#TASKS_MAX} reads already wait.
   */
  public <T> CompletableFuture<T> onSequencer(Function<Engine, T> read) {
    return sequencer.onSequencer(read);
  }

  @Override
  public void close() {
    state.running = false;
    sequencer.stop();
    try {
      sequencer.join(5_000);
      committer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ids.close();
  }
}
