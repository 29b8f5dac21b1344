package io.vigil.server.health;

import io.vigil.server.decision.DecisionPipeline;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Liveness: DOWN when the process cannot recover by itself, so that an orchestrator restarts it.
 * That is a decision thread (sequencer or committer) that is no longer running: nothing restarts
 * it, and state is rebuilt from the journal only at start-up. A failing store or a rebuild in
 * progress is not a liveness failure: the pipeline recovers from both on its own.
 */
public final class PipelineLiveness implements HealthIndicator {
  private final DecisionPipeline pipeline;

  public PipelineLiveness(DecisionPipeline pipeline) {
    this.pipeline = pipeline;
  }

  @Override
  public Health health() {
    boolean sequencer = pipeline.sequencerAlive();
    boolean committer = pipeline.committerAlive();
    Health.Builder health = sequencer && committer ? Health.up() : Health.down();
    return health.withDetail("sequencer_running", sequencer).withDetail("committer_running", committer).build();
  }
}
