package io.vigil.server.decision;

import io.vigil.engine.Engine;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.event.ValidationException;
import io.vigil.engine.journal.HashChain;
import io.vigil.engine.journal.JournalRecord;
import io.vigil.engine.policy.Action;
import io.vigil.engine.signal.ReferenceData;
import io.vigil.server.api.Json;
import io.vigil.server.journal.AnchoredChain;
import io.vigil.server.journal.JournalObserver;
import io.vigil.server.journal.JournalRepository;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Derives all in-memory state from the journal: the feature windows and facts, the event-id index
 * (ids recorded within the idempotency horizon) and the chain head. Runs at start-up, and after a
 * commit the store refused (not after an outage: the committer stores what it holds instead).
 */
final class StateRecovery {
  private static final Logger log = LoggerFactory.getLogger(StateRecovery.class);

  private final JournalRepository journal;
  /** Makes the fresh engine each rebuild starts from (configuration, lists, current reference data). */
  private final Supplier<Engine> engines;
  private final EventIds ids;
  private final PipelineState state;
  private final Clock clock;
  /** Checks the chain at each rebuild (the journal's anchors). */
  private final JournalObserver observer;
  private final PipelineMetrics metrics;

  StateRecovery(JournalRepository journal, Supplier<Engine> engines, EventIds ids, PipelineState state, Clock clock,
      JournalObserver observer, PipelineMetrics metrics) {
    this.journal = journal;
    this.engines = engines;
    this.ids = ids;
    this.state = state;
    this.clock = clock;
    this.observer = observer;
    this.metrics = metrics;
  }

  /** Rebuilds; returns the journal head the sequencer and committer continue from. */
  JournalRepository.Head rebuild() {
    state.recovering = true;
    long startNanos = System.nanoTime();
    Engine fresh = engines.get();
    fresh.install(state.policy);
    for (PipelineState.StoredId s; (s = state.storedBeyondHorizon.poll()) != null; ) ids.remember(s.eventId(), s.sequence());
    ids.clear();
    AtomicLong rows = new AtomicLong();
    long[] last = {0};
    String[] hash = {HashChain.GENESIS};
    long nowMillis = clock.millis();
    AtomicLong unparseable = new AtomicLong();
    AnchoredChain chain = observer.rebuilding();
    journal.forEachInOrder(row -> {
      JournalRecord r = row.record();
      chain.accept(r);
      try {
        fresh.replay(EventParser.parse(Json.readMap(r.eventJson())), Action.valueOf(row.action()), nowMillis);
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
    ids.rebuilt();
    ids.expire(nowMillis);
    observer.rebuilt(chain); // a broken chain refuses the start here, or makes Vigil read-only
    fresh.features().sweep(nowMillis);
    fresh.ledger().sweep(nowMillis);
    state.engine = fresh;
    state.linkStats = fresh.signals().links().stats();
    fresh.install(state.policy); // a policy installed while replaying must not be lost
    ReferenceData reloaded = state.reference;
    if (reloaded != null) fresh.install(reloaded); // nor a reference set reloaded meanwhile
    state.recovering = false;
    metrics.rebuilds.increment();
    log.info("state rebuilt from {} journal rows ({} skipped, {} event ids within the idempotency horizon) in {} ms",
        rows.get(), unparseable.get(), ids.size(), (System.nanoTime() - startNanos) / 1_000_000);
    return new JournalRepository.Head(last[0], hash[0]);
  }
}
