package io.vigil.server.decision;

import io.vigil.engine.Engine;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.event.ValidationException;
import io.vigil.engine.journal.HashChain;
import io.vigil.engine.journal.JournalRecord;
import io.vigil.engine.policy.Action;
import io.vigil.engine.signal.ReferenceData;
import io.vigil.engine.state.StateFormatException;
import io.vigil.engine.state.StateReader;
import io.vigil.server.api.Json;
import io.vigil.server.journal.AnchoredChain;
import io.vigil.server.journal.JournalObserver;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.privacy.JournalPrivacy;
import io.vigil.server.journal.StorageException;
import io.vigil.server.state.CheckpointFiles;
import io.vigil.server.state.Checkpoints;
import io.vigil.server.state.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Derives all in-memory state from the journal: the feature windows and facts, the event-id index
 * (ids recorded within the idempotency horizon) and the chain head. Runs at start-up, and after a
 * commit the store refused (not after an outage: the committer stores what it holds instead). It
 * starts from the newest usable checkpoint and replays the journal rows after it, or replays the
 * whole journal when there is none.
 *
 * <h2>Which checkpoint</h2>
 * Newest first, a checkpoint is used when its manifest is whole (its own checksum), its format is
 * this build's, its sequence is not beyond the journal's head, the journal's row at that sequence
 * still has the hash the manifest recorded (so the journal is the one the checkpoint was taken
 * from, not an older backup or a rewritten one), every file matches its length (and CRC32C, for the
 * files Vigil writes itself; the disk-backed windows' RocksDB files and {@code store.bin} carry
 * their own checksums), and the parts read back (same feature windows, link caps and idempotency
 * horizon as now; windows on disk or in memory as now). Otherwise the reason is logged, the
 * checkpoint is renamed {@code unusable-<name>} (kept for a look, never tried or pruned again) and
 * the previous checkpoint is tried, and the whole journal is replayed when none is left: slow, never
 * wrong.
 *
 * <h2>The chain</h2>
 * The rows read are checked as they are replayed ({@link AnchoredChain}), from the checkpoint's head
 * forward; the rows before it were checked when they were first replayed, and any rewrite of them
 * that kept the chain whole changed the head's hash, which the manifest check above catches.
 * {@code ./vigil verify-journal} checks the whole journal.
 */
final class StateRecovery {
  private static final Logger log = LoggerFactory.getLogger(StateRecovery.class);

  private final JournalRepository journal;
  /** Makes the fresh engine each rebuild starts from (configuration, lists, current reference data). */
  private final Supplier<Engine> engines;
  /**
   * Makes an engine on the disk-backed windows of a checkpoint's features directory (restored into
   * the live window directory); null when the engines keep their windows in memory.
   */
  private final Function<Path, Engine> enginesFromCheckpoint;
  private final EventIds ids;
  private final PipelineState state;
  private final Clock clock;
  /** Checks the chain at each rebuild (the journal's anchors). */
  private final JournalObserver observer;
  private final PipelineMetrics metrics;
  /** Where checkpoints are read from; null to always replay the whole journal. */
  private final CheckpointFiles checkpoints;
  /** The sequence of the checkpoint the last rebuild started from; 0 after a full replay. */
  private volatile long recoveredFromSequence;

  StateRecovery(JournalRepository journal, Supplier<Engine> engines, EventIds ids, PipelineState state, Clock clock,
      JournalObserver observer, PipelineMetrics metrics) {
    this(journal, engines, null, ids, state, clock, observer, metrics, null);
  }

  StateRecovery(JournalRepository journal, Supplier<Engine> engines, Function<Path, Engine> enginesFromCheckpoint, EventIds ids,
      PipelineState state, Clock clock, JournalObserver observer, PipelineMetrics metrics, CheckpointFiles checkpoints) {
    this.journal = journal;
    this.engines = engines;
    this.enginesFromCheckpoint = enginesFromCheckpoint;
    this.ids = ids;
    this.state = state;
    this.clock = clock;
    this.observer = observer;
    this.metrics = metrics;
    this.checkpoints = checkpoints;
  }

  long recoveredFromSequence() {
    return recoveredFromSequence;
  }

  private record Start(Engine engine, long sequence, String hash) {}

  /** Rebuilds; returns the journal head the sequencer and committer continue from. */
  JournalRepository.Head rebuild() {
    state.recovering = true;
    long startNanos = System.nanoTime();
    long nowMillis = clock.millis();
    for (PipelineState.StoredId s; (s = state.storedBeyondHorizon.poll()) != null; ) ids.remember(s.eventId(), s.sequence());
    Start start = checkpoints == null ? null : newestUsable();
    Engine fresh;
    AnchoredChain chain;
    boolean fromCheckpoint = start != null;
    if (fromCheckpoint) {
      fresh = start.engine();
      chain = observer.rebuildingFrom(start.sequence(), start.hash());
    } else {
      fresh = engines.get();
      fresh.install(state.policy);
      ids.clear();
      chain = observer.rebuilding();
      start = new Start(fresh, 0, HashChain.GENESIS);
    }
    AtomicLong rows = new AtomicLong();
    long[] last = {start.sequence()};
    String[] hash = {start.hash()};
    AtomicLong unparseable = new AtomicLong();
    Engine engine = fresh;
    journal.forEachAfter(start.sequence(), row -> {
      JournalRecord r = row.record();
      chain.accept(r);
      try {
        engine.replay(EventParser.parse(state.privacy.openEvent(r.eventJson(), JournalPrivacy.Reading.REPLAY)),
            Action.valueOf(row.action()), nowMillis);
      } catch (ValidationException refusedByThisBuild) {
        // Accepted by the build that stored it; a stricter parser must not stop start-up.
        if (unparseable.incrementAndGet() <= 10) {
          log.warn("journal row {} no longer parses ({}); it is skipped for feature state", r.sequence(), refusedByThisBuild.code());
        }
      }
      if (ids.withinHorizon(r.recordedAtMillis(), nowMillis)) {
        boolean hashTaken = ids.sequenceOf(r.eventId(), false) != EventIds.MISSING;
        ids.put(r.eventId(), r.sequence(), r.recordedAtMillis(), hashTaken);
      }
      last[0] = r.sequence();
      hash[0] = r.hash();
      rows.incrementAndGet();
    });
    if (!fromCheckpoint) ids.rebuilt();
    ids.expire(nowMillis);
    observer.rebuilt(chain); // a broken chain refuses the start here, or makes Vigil read-only
    fresh.features().sweep(nowMillis);
    fresh.ledger().sweep(nowMillis);
    state.engine = fresh;
    state.linkStats = fresh.signals().links().stats();
    fresh.install(state.policy); // a policy installed while replaying must not be lost
    ReferenceData reloaded = state.reference;
    if (reloaded != null) fresh.install(reloaded); // nor a reference set reloaded meanwhile
    recoveredFromSequence = start.sequence();
    state.recovering = false;
    metrics.rebuilds.increment();
    log.info("state rebuilt from {} journal rows{} ({} skipped, {} event ids within the idempotency horizon) in {} ms",
        rows.get(), fromCheckpoint ? " after the checkpoint of sequence " + start.sequence() : "", unparseable.get(), ids.size(),
        (System.nanoTime() - startNanos) / 1_000_000);
    return new JournalRepository.Head(last[0], hash[0]);
  }

  /** The newest checkpoint that passes every check, restored (engine and event ids); null when none does. */
  private Start newestUsable() {
    List<Path> candidates;
    try {
      candidates = checkpoints.newestFirst();
    } catch (IOException e) {
      log.warn("cannot list the checkpoints in {} ({}): replaying the whole journal", checkpoints.dir(), e.toString());
      return null;
    }
    if (candidates.isEmpty()) {
      log.info("no checkpoint in {}: replaying the whole journal", checkpoints.dir());
      return null;
    }
    JournalRepository.Head head = journal.head();
    for (Path c : candidates) {
      try {
        return restore(c, head);
      } catch (StorageException e) {
        throw e; // the database, not the checkpoint
      } catch (IOException | RuntimeException e) {
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        try {
          Path aside = checkpoints.setAside(c);
          log.warn("checkpoint {} is unusable: {}; set aside as {} (delete it when done looking); trying the previous one", c, why, aside);
        } catch (IOException cannotRename) {
          log.warn("checkpoint {} is unusable: {}; trying the previous one (it could not be set aside: {})", c, why, cannotRename.toString());
        }
      }
    }
    log.warn("none of the {} checkpoints in {} is usable: replaying the whole journal", candidates.size(), checkpoints.dir());
    return null;
  }

  private Start restore(Path c, JournalRepository.Head head) throws IOException {
    long startNanos = System.nanoTime();
    Manifest m = checkpoints.manifest(c);
    if (m.sequence() > head.sequence()) {
      throw new CheckpointRefused("its sequence " + m.sequence() + " is beyond the journal's head " + head.sequence()
          + " (was the database restored from an older backup?)");
    }
    String rowHash = m.sequence() == head.sequence() ? head.hash()
        : journal.findBySequence(m.sequence()).map(r -> r.record().hash()).orElse(null);
    if (!m.hash().equals(rowHash)) {
      throw new CheckpointRefused("the journal's row " + m.sequence() + " has hash " + rowHash + ", the checkpoint recorded "
          + m.hash() + " (the journal is not the one it was taken from)");
    }
    boolean featuresOnDisk = m.files().keySet().stream().anyMatch(f -> f.startsWith(Checkpoints.FEATURES_DIR + "/"));
    List<String> required = new ArrayList<>();
    for (String part : Engine.STATE_PARTS) {
      if (!(featuresOnDisk && part.equals("features"))) required.add(Checkpoints.file(part));
    }
    required.add(Checkpoints.file(Checkpoints.EVENT_IDS_PART));
    checkpoints.verify(c, m, required);
    Engine engine;
    if (featuresOnDisk) {
      if (enginesFromCheckpoint == null) throw new StateFormatException("its windows are on disk; this server keeps them in memory");
      engine = enginesFromCheckpoint.apply(c.resolve(Checkpoints.FEATURES_DIR));
    } else {
      engine = engines.get();
    }
    engine.install(state.policy);
    engine.restore(part -> checkpoints.open(c, Checkpoints.file(part)));
    try (InputStream in = checkpoints.open(c, Checkpoints.file(Checkpoints.EVENT_IDS_PART))) {
      ids.restore(new StateReader(in));
    }
    log.info("state restored from checkpoint {} (sequence {}, taken {}) in {} ms; replaying the journal after it", c, m.sequence(),
        Instant.ofEpochMilli(m.createdAtMillis()), (System.nanoTime() - startNanos) / 1_000_000);
    return new Start(engine, m.sequence(), m.hash());
  }

  /** A checkpoint that is whole but must not be used with this journal. */
  static final class CheckpointRefused extends IOException {
    CheckpointRefused(String message) {
      super(message);
    }
  }
}
