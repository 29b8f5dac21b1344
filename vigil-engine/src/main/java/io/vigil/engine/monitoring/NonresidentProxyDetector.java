package io.vigil.engine.monitoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A non-resident on a proxy or VPN exiting in the home market: the decision signal that the rule
 * {@code nonresident_local_proxy} fires on (the account's country, the IP's country and the proxy
 * and VPN lists of the reference data). Monitoring counts such decisions per account over the window.
 */
final class NonresidentProxyDetector implements Detector {
  static final String RULE_ID = "nonresident_local_proxy";

  @Override
  public String scenarioId() {
    return ScenarioCatalog.NONRESIDENT_PROXY;
  }

  @Override
  public Optional<AlertCandidate> check(Movement m, MonitorState state, ScenarioSettings.Setting s, long previousSeenMillis) {
    if (m.accountId() == null || !m.ruleIds().contains(RULE_ID)) return Optional.empty();
    long from = m.occurredAtMillis() - s.get("window_days") * DAY_MILLIS;
    List<Movement> hits = new ArrayList<>();
    for (Movement x : state.outSince(m.accountId(), from)) {
      if (x != m && x.ruleIds().contains(RULE_ID)) hits.add(x);
    }
    hits.add(m);
    if (hits.size() < s.get("count_min")) return Optional.empty();
    return Optional.of(new AlertCandidate(scenarioId(), m.accountId(), m.occurredAtMillis(),
        hits.size() + " decision(s) of a non-resident on a local proxy or VPN within " + s.get("window_days") + " days",
        hits, List.of(m.accountId()), List.of(), Map.of("count", (long) hits.size())));
  }
}
