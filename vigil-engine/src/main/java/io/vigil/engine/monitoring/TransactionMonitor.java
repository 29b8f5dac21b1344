package io.vigil.engine.monitoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Monitoring over days, one committed decision at a time: adds the movement to the bounded state,
 * then asks each enabled scenario whether it completes its pattern. Pure and single-threaded: the
 * server's monitor feeds it from the journal, the AMLSim replay feeds it from a file.
 */
public final class TransactionMonitor {
  private final MonitorState state;
  private final List<Detector> detectors = List.of(new StructuringDetector(), new FanDetector(true), new FanDetector(false),
      new PassThroughDetector(), new CycleDetector(), new SharedIdentityDetector(), new NonresidentProxyDetector(),
      new ActivityDetector(true), new ActivityDetector(false), new LargeCashDetector());

  public TransactionMonitor(MonitorState state) {
    this.state = state;
    assert detectors.size() == ScenarioCatalog.all().size() : "a detector per scenario";
  }

  public MonitorState state() {
    return state;
  }

  /** Adds the movement to the state without looking for patterns (warming up after a restart). */
  public void remember(Movement m) {
    state.add(m);
  }

  /** Adds the movement and returns what the enabled scenarios found, at most one candidate each. */
  public List<AlertCandidate> observe(Movement m, ScenarioSettings settings) {
    MonitorState.Account before = state.account(m.accountId());
    long previousSeen = before == null ? Long.MIN_VALUE : before.lastSeenMillis();
    state.add(m);
    List<AlertCandidate> out = new ArrayList<>(2);
    for (Detector d : detectors) {
      ScenarioSettings.Setting s = settings.get(d.scenarioId());
      if (!s.enabled()) continue;
      Optional<AlertCandidate> found = d.check(m, state, s, previousSeen);
      found.ifPresent(out::add);
    }
    return out;
  }
}
