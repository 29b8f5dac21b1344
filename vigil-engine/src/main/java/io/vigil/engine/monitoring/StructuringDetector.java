package io.vigil.engine.monitoring;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Several amounts just under the threshold within the window, by the account and the accounts linked to it. */
final class StructuringDetector implements Detector {
  @Override
  public String scenarioId() {
    return ScenarioCatalog.STRUCTURING;
  }

  @Override
  public Optional<AlertCandidate> check(Movement m, MonitorState state, ScenarioSettings.Setting s, long previousSeenMillis) {
    long threshold = s.get("threshold_minor");
    long floor = threshold - threshold * s.get("margin_percent") / 100;
    if (!m.movesMoney() || !nearThreshold(m.amountMinor(), floor, threshold)) return Optional.empty();
    long from = m.occurredAtMillis() - s.get("window_days") * DAY_MILLIS;
    List<Movement> hits = new ArrayList<>();
    for (String account : state.linked(m.accountId())) {
      for (Movement x : state.outSince(account, from)) {
        if (nearThreshold(x.amountMinor(), floor, threshold)) hits.add(x);
      }
    }
    if (hits.size() < s.get("count_min")) return Optional.empty();
    hits.sort(Comparator.comparingLong(Movement::occurredAtMillis));
    Set<String> accounts = new LinkedHashSet<>();
    for (Movement x : hits) accounts.add(x.accountId());
    long total = hits.stream().mapToLong(Movement::amountMinor).sum();
    return Optional.of(new AlertCandidate(scenarioId(), m.accountId(), m.occurredAtMillis(),
        hits.size() + " amounts between " + floor + " and " + threshold + " (minor units) within " + s.get("window_days")
            + " days across " + accounts.size() + " linked account(s)",
        hits, List.copyOf(accounts), List.of(), Map.of("count", (long) hits.size(), "total_minor", total, "accounts", (long) accounts.size())));
  }

  private static boolean nearThreshold(long amountMinor, long floor, long threshold) {
    return amountMinor >= floor && amountMinor < threshold;
  }
}
