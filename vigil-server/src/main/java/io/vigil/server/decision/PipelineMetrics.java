package io.vigil.server.decision;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vigil.engine.Engine;
import io.vigil.engine.event.EventType;
import io.vigil.engine.policy.Action;
import io.vigil.engine.signal.links.LinkGraphStats;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The pipeline's Micrometer meters: decisions, overloads, commits, queue depths, and gauges read
 * from the live engine and the link graph's last published counters. Tagged counters are created
 * once, not per decision.
 */
final class PipelineMetrics {
  final Counter overloads;
  final Counter late;
  final DistributionSummary commitBatch;
  final Timer commitTimer;
  final Timer commitSync;
  final Counter rebuilds;
  final Counter storageOutages;
  private final Timer latency;
  private final Counter[][] decisions;
  /** The live engine, null while the first rebuild runs. */
  private final Supplier<Engine> engine;
  /** The link graph's counters as the sequencer last copied them, or null. */
  private final Supplier<LinkGraphStats> linkStats;

  PipelineMetrics(MeterRegistry registry, PipelineState state, EventIds ids) {
    this.engine = () -> state.engine;
    this.linkStats = () -> state.linkStats;
    BlockingQueue<?> inbox = state.inbox;
    BlockingQueue<?> commitQueue = state.commitQueue;
    overloads = Counter.builder("vigil.decisions.rejected").tag("reason", "overloaded")
        .description("Requests refused with 503 because the inbox was full").register(registry);
    late = Counter.builder("vigil.decisions.rejected").tag("reason", "late")
        .description("Requests refused with 503 because they waited longer than their admission budget").register(registry);
    commitBatch = DistributionSummary.builder("vigil.commit.batch.size")
        .description("Decisions written per transaction (group commit)").publishPercentileHistogram().register(registry);
    commitTimer = Timer.builder("vigil.commit.duration").description("Time to write and commit one batch")
        .publishPercentileHistogram().register(registry);
    commitSync = Timer.builder("vigil.commit.sync").description("Time to sync one committed batch to stable storage (one fsync)")
        .publishPercentileHistogram().register(registry);
    latency = Timer.builder("vigil.decision.latency")
        .description("From request receipt to durable decision").publishPercentileHistogram().register(registry);
    Gauge.builder("vigil.queue.depth", inbox, BlockingQueue::size).tag("queue", "inbox")
        .description("Decisions waiting for the sequencer").register(registry);
    Gauge.builder("vigil.queue.depth", commitQueue, BlockingQueue::size).tag("queue", "commit")
        .description("Decisions waiting to be committed").register(registry);
    rebuilds = Counter.builder("vigil.state.rebuilds")
        .description("Times the in-memory state was derived from the journal (start-up, a refused commit)").register(registry);
    storageOutages = Counter.builder("vigil.storage.outages")
        .description("Times the committer found the store unreachable and began holding decisions").register(registry);
    Gauge.builder("vigil.decisions.held", state, s -> s.held)
        .description("Decisions made but not yet stored because the store is unreachable").register(registry);
    Gauge.builder("vigil.idempotency.ids", ids, EventIds::size)
        .description("Event ids held in memory (those recorded within the idempotency horizon)").register(registry);
    Gauge.builder("vigil.idempotency.bytes", ids, EventIds::bytes)
        .description("Bytes of the arrays holding the event ids").register(registry);
    decisions = new Counter[EventType.values().length][Action.values().length];
    for (EventType t : EventType.values()) {
      for (Action a : Action.values()) {
        decisions[t.ordinal()][a.ordinal()] = Counter.builder("vigil.decisions").tag("type", t.wireName())
            .tag("action", a.name()).description("Durable decisions").register(registry);
      }
    }
    registerFeatureMeters(registry);
    registerSignalMeters(registry);
  }

  void decided(EventType type, Action action, long latencyNanos) {
    decisions[type.ordinal()][action.ordinal()].increment();
    latency.record(latencyNanos, TimeUnit.NANOSECONDS);
  }

  private void registerFeatureMeters(MeterRegistry registry) {
    Gauge.builder("vigil.features.entries", this, m -> m.fromEngine(e -> e.features().entryCount()))
        .description("Window entries held in memory").register(registry);
    Gauge.builder("vigil.features.keys", this, m -> m.fromEngine(e -> e.features().keyCount()))
        .description("Keys (accounts, devices, IPs…) with window entries").register(registry);
    FunctionCounter.builder("vigil.features.entries.dropped", this, m -> m.fromEngine(e -> e.features().entriesDropped()))
        .description("Window entries dropped because a key reached entries-per-key-max (windows undercount)")
        .register(registry);
  }

  /** Gauges of the signals: the live reference version, geo decode errors, the link graph's size and caps. */
  private void registerSignalMeters(MeterRegistry registry) {
    Gauge.builder("vigil.reference.version", this, m -> m.fromEngine(e -> e.reference().version()))
        .description("Version of the reference data the next decision uses").register(registry);
    FunctionCounter.builder("vigil.geo.lookup.errors", this,
            m -> m.fromEngine(e -> e.reference().geo() == null ? 0 : e.reference().geo().lookupErrorCount()))
        .description("Geo lookups whose record failed to decode (a damaged database), in the live geo database")
        .register(registry);
    Gauge.builder("vigil.links.accounts", this, m -> m.fromLinks(LinkGraphStats::accounts))
        .description("Accounts in the identity link graph (refreshed each minute)").register(registry);
    Gauge.builder("vigil.links.identifiers", this, m -> m.fromLinks(LinkGraphStats::identifiers))
        .description("Identifiers in the identity link graph (refreshed each minute)").register(registry);
    Gauge.builder("vigil.links.identifiers.saturated", this, m -> m.fromLinks(LinkGraphStats::identifiersSaturated))
        .description("Identifiers that reached accounts-per-identifier-max").register(registry);
    FunctionCounter.builder("vigil.links.evicted", this, m -> m.fromLinks(LinkGraphStats::linksEvicted))
        .description("Links forgotten because their account was full").register(registry);
    FunctionCounter.builder("vigil.links.walks.capped", this, m -> m.fromLinks(LinkGraphStats::walksCapped))
        .description("Cluster walks cut short by a cap (links.cluster_capped)").register(registry);
  }

  private double fromEngine(ToDoubleFunction<Engine> read) {
    Engine e = engine.get();
    return e == null ? 0 : read.applyAsDouble(e);
  }

  private double fromLinks(ToDoubleFunction<LinkGraphStats> read) {
    LinkGraphStats s = linkStats.get();
    return s == null ? 0 : read.applyAsDouble(s);
  }
}
