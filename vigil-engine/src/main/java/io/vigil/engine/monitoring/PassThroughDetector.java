package io.vigil.engine.monitoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Money received and sent on within hours: what went out since the first receipt is most of what came in. */
final class PassThroughDetector implements Detector {
  @Override
  public String scenarioId() {
    return ScenarioCatalog.PASS_THROUGH;
  }

  @Override
  public Optional<AlertCandidate> check(Movement m, MonitorState state, ScenarioSettings.Setting s, long previousSeenMillis) {
    if (!m.movesMoney() || "refund".equals(m.type())) return Optional.empty();
    long from = m.occurredAtMillis() - s.get("window_hours") * HOUR_MILLIS;
    List<Movement> ins = state.inSince(m.accountId(), from);
    if (ins.isEmpty()) return Optional.empty();
    long firstIn = ins.get(0).occurredAtMillis();
    long received = ins.stream().mapToLong(Movement::amountMinor).sum();
    if (received < s.get("min_amount_minor")) return Optional.empty();
    List<Movement> outs = state.outSince(m.accountId(), firstIn);
    long sent = outs.stream().mapToLong(Movement::amountMinor).sum();
    if (sent * 100 < received * s.get("out_percent")) return Optional.empty();
    List<Movement> evidence = new ArrayList<>(ins);
    evidence.addAll(outs);
    return Optional.of(new AlertCandidate(scenarioId(), m.accountId(), m.occurredAtMillis(),
        "received " + received + " and sent on " + sent + " (minor units) within " + s.get("window_hours") + " hours",
        evidence, List.of(m.accountId()), List.of(), Map.of("received_minor", received, "sent_minor", sent)));
  }
}
