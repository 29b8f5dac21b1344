package io.vigil.engine.monitoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Cash-like movements (withdrawals) of one account adding up to the threshold within 24 hours. */
final class LargeCashDetector implements Detector {
  @Override
  public String scenarioId() {
    return ScenarioCatalog.LARGE_CASH;
  }

  @Override
  public Optional<AlertCandidate> check(Movement m, MonitorState state, ScenarioSettings.Setting s, long previousSeenMillis) {
    if (!m.isCashLike()) return Optional.empty();
    List<Movement> cash = new ArrayList<>();
    long total = 0;
    for (Movement x : state.outSince(m.accountId(), m.occurredAtMillis() - DAY_MILLIS + 1)) {
      if (x.isCashLike()) {
        cash.add(x);
        total += x.amountMinor();
      }
    }
    if (total < s.get("threshold_minor")) return Optional.empty();
    return Optional.of(new AlertCandidate(scenarioId(), m.accountId(), m.occurredAtMillis(),
        cash.size() + " cash-like movement(s) of " + total + " (minor units) within 24 hours",
        cash, List.of(m.accountId()), List.of(), Map.of("total_minor", total, "count", (long) cash.size())));
  }
}
