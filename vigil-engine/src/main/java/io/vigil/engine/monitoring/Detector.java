package io.vigil.engine.monitoring;

import java.util.Optional;

/** One scenario's logic: reads the state (the movement already added) and says whether the movement completes the pattern. */
interface Detector {
  String scenarioId();

  /**
   * @param previousSeenMillis when the movement's account was last seen before it ({@code Long.MIN_VALUE} if unknown)
   */
  Optional<AlertCandidate> check(Movement m, MonitorState state, ScenarioSettings.Setting s, long previousSeenMillis);

  long DAY_MILLIS = 86_400_000L;
  long HOUR_MILLIS = 3_600_000L;
}
