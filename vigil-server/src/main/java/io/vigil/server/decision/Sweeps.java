package io.vigil.server.decision;

import io.vigil.engine.Engine;
import java.time.Clock;

/**
 * Once a minute, under traffic or not, on the sequencer: drops window entries no event can see any
 * more, forgets event ids older than the idempotency horizon, and publishes the link graph's
 * counters for the metrics.
 */
final class Sweeps {
  static final long INTERVAL_MILLIS = 60_000;
  private final PipelineState state;
  private final EventIds ids;
  private final Clock clock;
  private long lastSweepMillis;

  Sweeps(PipelineState state, EventIds ids, Clock clock) {
    this.state = state;
    this.ids = ids;
    this.clock = clock;
  }

  void maybeSweep() {
    long now = clock.millis();
    if (now - lastSweepMillis < INTERVAL_MILLIS) return;
    lastSweepMillis = now;
    Engine engine = state.engine;
    engine.features().sweep(engine.tick(now));
    engine.ledger().sweep(engine.tick(now));
    ids.expire(now);
    state.linkStats = engine.signals().links().stats();
  }
}
