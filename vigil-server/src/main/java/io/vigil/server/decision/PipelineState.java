package io.vigil.server.decision;

import io.vigil.engine.Engine;
import io.vigil.engine.policy.CompiledPolicy;
import io.vigil.engine.release.ReleaseSnapshot;
import io.vigil.engine.signal.ReferenceData;
import io.vigil.engine.signal.links.LinkGraphStats;
import io.vigil.server.privacy.JournalPrivacy;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the pipeline's parts share: the two queues between them, the live engine, and the flags
 * that open and close the pipeline. Every field is written by one thread (named) and read by any.
 */
final class PipelineState {
  /** An event id the committer found stored beyond the horizon, for the sequencer to remember. */
  record StoredId(String eventId, long sequence) {}

  final BlockingQueue<DecisionPipeline.Submission> inbox;
  final BlockingQueue<Pending> commitQueue;
  /** Decided, not yet stored: what a repeat of an in-flight event id follows. */
  final Map<Long, Pending> pendingBySequence = new ConcurrentHashMap<>();
  final ConcurrentLinkedQueue<StoredId> storedBeyondHorizon = new ConcurrentLinkedQueue<>();

  /** Seals the response of each row the committer writes; opens each event the rebuild replays. Set before the first rebuild. */
  volatile JournalPrivacy privacy = JournalPrivacy.NONE;
  /** Told of each decision the committer stored (see {@link DecisionPipeline#addCommitListener}); copied on write, at most a few. */
  final java.util.concurrent.CopyOnWriteArrayList<DecisionPipeline.CommitListener> committed =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Replaced by each rebuild (the sequencer). */
  volatile Engine engine;
  volatile CompiledPolicy policy;
  /** The running release's snapshot, read once per decision by the sequencer; null when none runs. */
  volatile ReleaseSnapshot release;
  /** The last reference data installed; null until the first reload (engines start with the factory's). */
  volatile ReferenceData reference;
  /** The link graph's counters, copied by the sequencer at each sweep (the graph is its alone). */
  volatile LinkGraphStats linkStats;
  volatile boolean running = true;
  /** In-memory state may differ from the journal: the sequencer rebuilds it (set by either thread). */
  volatile boolean broken;
  /** A rebuild runs (the sequencer). */
  volatile boolean recovering = true;
  /** The committer holds decisions it could not store and retries them; nothing new is accepted. */
  volatile boolean storageDown;
  /** How many decisions the committer holds. */
  volatile int held;
  volatile boolean committerBusy;
  /** When the oldest decision of the batch being committed arrived ({@code System.nanoTime()}); 0 when none. */
  volatile long committingSinceNanos;
  /** When the committer began writing its current batch ({@code System.nanoTime()}); 0 when not writing. */
  volatile long writingSinceNanos;
  /** When the submission the sequencer holds (taken from the inbox, not yet handed on) arrived; 0 when none. */
  volatile long sequencingSinceNanos;

  PipelineState(int queueCapacity, int commitBatchMax) {
    inbox = new ArrayBlockingQueue<>(queueCapacity);
    commitQueue = new ArrayBlockingQueue<>(Math.max(commitBatchMax * 4, queueCapacity));
  }
}
