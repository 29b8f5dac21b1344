package io.vigil.server.health;

import io.vigil.server.decision.DecisionPipeline;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness of the decision path: UP only while a decision can be made and stored now. DOWN while
 * the pipeline rebuilds its state or cannot store, when its sequencer or committer thread is not
 * running, and when decisions are not completing: the oldest one waiting has waited longer than
 * the reply timeout, so clients are already getting 503s; and while Vigil runs read-only on a
 * journal that failed verification.
 */
public final class DecisionsHealth implements HealthIndicator {
  private final DecisionPipeline pipeline;
  private final long replyTimeoutNanos;
  private final BooleanSupplier readOnly;

  public DecisionsHealth(DecisionPipeline pipeline, long replyTimeoutMillis, BooleanSupplier readOnly) {
    this.pipeline = pipeline;
    this.readOnly = readOnly;
    this.replyTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(replyTimeoutMillis);
  }

  @Override
  public Health health() {
    if (!pipeline.sequencerAlive() || !pipeline.committerAlive()) {
      return Health.down().withDetail("reason", "decision thread not running")
          .withDetail("sequencer_running", pipeline.sequencerAlive())
          .withDetail("committer_running", pipeline.committerAlive()).build();
    }
    if (readOnly.getAsBoolean()) return Health.down().withDetail("reason", "journal chain broken: read-only, decisions refused").build();
    if (pipeline.storageDown()) {
      return Health.down().withDetail("reason", "storage unavailable: decisions refused, held decisions retried")
          .withDetail("held_decisions", pipeline.heldDecisions()).build();
    }
    if (!pipeline.ready()) return Health.down().withDetail("reason", "recovering or storage failing").build();
    long waitedNanos = pipeline.oldestWaitingNanos();
    long waitedMillis = TimeUnit.NANOSECONDS.toMillis(waitedNanos);
    if (waitedNanos > replyTimeoutNanos) {
      return Health.down().withDetail("reason", "decisions not completing")
          .withDetail("oldest_waiting_millis", waitedMillis).build();
    }
    return Health.up().withDetail("oldest_waiting_millis", waitedMillis)
        .withDetail("feature_keys", pipeline.engine().features().keyCount()).build();
  }
}
