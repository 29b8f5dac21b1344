package io.vigil.server.state;

import io.vigil.engine.Engine;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.event.ValidationException;
import io.vigil.engine.journal.HashChain;
import io.vigil.engine.journal.JournalRecord;
import io.vigil.engine.policy.Action;
import io.vigil.engine.policy.CompiledPolicy;
import io.vigil.engine.state.StateReader;
import io.vigil.server.api.Json;
import io.vigil.server.journal.AnchoredChain;
import io.vigil.server.journal.JournalObserver;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Derives the in-memory state (engine and event-id index) and the chain head from the journal, at
 * start-up and after a failed commit: from the newest usable checkpoint plus the journal rows after
 * it, or from the whole journal when there is none.
 *
 * <h2>Which checkpoint</h2>
 * Newest first, a checkpoint is used when its manifest is whole (its own checksum), its format is
 * this build's, its sequence is not beyond the journal's head, the journal's row at that sequence
 * still has the hash the manifest recorded (so the journal is the one the checkpoint was taken
 * from, not an older backup or a rewritten one), every file matches its length and CRC32C, and the
 * parts read back (same feature windows and link caps as now). Otherwise the reason is logged, the
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
public final class StateRecovery {
  private static final Logger log = LoggerFactory.getLogger(StateRecovery.class);
  /** The files of a checkpoint: the engine's parts and the event ids. */
  static final List<String> FILES = files();

  private final JournalRepository journal;
  private final JournalObserver observer;
  private final Supplier<Engine> engines;
  private final Clock clock;
  private final CheckpointFiles checkpoints;
  private final ToLongFunction<String> customHash;

  /**
   * @param checkpoints where checkpoints are read from; null to always replay the whole journal
   * @param customHash a test's event-id hash, or null for the keyed SipHash
   */
  public StateRecovery(JournalRepository journal, JournalObserver observer, Supplier<Engine> engines, Clock clock,
      CheckpointFiles checkpoints, ToLongFunction<String> customHash) {
    this.journal = journal;
    this.observer = observer;
    this.engines = engines;
    this.clock = clock;
    this.checkpoints = checkpoints;
    this.customHash = customHash;
  }

  /** What a recovery produced; {@code checkpointSequence} is 0 after a full replay. */
  public record Recovered(Engine engine, EventIds ids, long sequence, String hash, long checkpointSequence, long rowsReplayed,
      long rowsSkipped, long millis) {}

  private record Start(Engine engine, EventIds ids, long sequence, String hash) {}

  static String file(String part) {
    return part + ".bin";
  }

  private static List<String> files() {
    List<String> all = new ArrayList<>();
    for (String part : Engine.STATE_PARTS) all.add(file(part));
    all.add(file(EventIdsPart.NAME));
    return List.copyOf(all);
  }

  public Recovered recover(CompiledPolicy policy) {
    long startNanos = System.nanoTime();
    long nowMillis = clock.millis();
    Start start = checkpoints == null ? null : newestUsable(policy);
    Engine engine;
    EventIds ids;
    AnchoredChain chain;
    if (start == null) {
      engine = engines.get();
      engine.install(policy);
      ids = EventIds.empty(customHash);
      chain = observer.rebuilding();
      start = new Start(engine, ids, 0, HashChain.GENESIS);
    } else {
      engine = start.engine();
      ids = start.ids();
      chain = observer.rebuildingFrom(start.sequence(), start.hash());
    }
    long[] rows = {0, 0};
    long[] last = {start.sequence()};
    String[] hash = {start.hash()};
    Engine fresh = engine;
    journal.forEachAfter(start.sequence(), row -> {
      JournalRecord r = row.record();
      chain.accept(r);
      try {
        fresh.replay(EventParser.parse(Json.readMap(r.eventJson())), Action.valueOf(row.action()), nowMillis);
      } catch (ValidationException refusedByThisBuild) {
        // Accepted by the build that stored it; a stricter parser must not stop start-up.
        if (++rows[1] <= 10) {
          log.warn("journal row {} no longer parses ({}); it is skipped for feature state", r.sequence(), refusedByThisBuild.code());
        }
      }
      ids.record(r.eventId(), r.sequence());
      last[0] = r.sequence();
      hash[0] = r.hash();
      rows[0]++;
    });
    observer.rebuilt(chain); // a broken chain refuses the start here, or makes Vigil read-only
    engine.features().sweep(nowMillis);
    engine.ledger().sweep(nowMillis);
    long millis = (System.nanoTime() - startNanos) / 1_000_000;
    return new Recovered(engine, ids, last[0], hash[0], start.sequence(), rows[0], rows[1], millis);
  }

  /** The newest checkpoint that passes every check, restored; null when none does. */
  private Start newestUsable(CompiledPolicy policy) {
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
        return restore(c, head, policy);
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

  private Start restore(Path c, JournalRepository.Head head, CompiledPolicy policy) throws IOException {
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
    checkpoints.verify(c, m, FILES);
    Engine engine = engines.get();
    engine.install(policy);
    engine.restore(part -> checkpoints.open(c, file(part)));
    EventIds ids;
    try (InputStream in = checkpoints.open(c, file(EventIdsPart.NAME))) {
      ids = EventIdsPart.read(new StateReader(in), customHash);
    }
    log.info("state restored from checkpoint {} (sequence {}, taken {}) in {} ms; replaying the journal after it", c, m.sequence(),
        Instant.ofEpochMilli(m.createdAtMillis()), (System.nanoTime() - startNanos) / 1_000_000);
    return new Start(engine, ids, m.sequence(), m.hash());
  }

  /** A checkpoint that is whole but must not be used with this journal. */
  static final class CheckpointRefused extends IOException {
    CheckpointRefused(String message) {
      super(message);
    }
  }
}
