package io.vigil.engine.monitoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Many accounts on one device, phone or identity within the window. The alert is on the first
 * account that used the key in the window, so the group raises one alert, not one per account.
 */
final class SharedIdentityDetector implements Detector {
  @Override
  public String scenarioId() {
    return ScenarioCatalog.SHARED_IDENTITY;
  }

  @Override
  public Optional<AlertCandidate> check(Movement m, MonitorState state, ScenarioSettings.Setting s, long previousSeenMillis) {
    long from = m.occurredAtMillis() - s.get("window_days") * DAY_MILLIS;
    for (String key : m.identities()) {
      List<String> accounts = new ArrayList<>();
      for (MonitorState.Use u : state.uses(key)) {
        if (u.atMillis() >= from) accounts.add(u.accountId());
      }
      if (accounts.size() >= s.get("accounts_min")) {
        String kind = key.substring(0, Math.max(0, key.indexOf(':')));
        return Optional.of(new AlertCandidate(scenarioId(), accounts.get(0), m.occurredAtMillis(),
            accounts.size() + " accounts on one " + kind + " within " + s.get("window_days") + " days",
            List.of(m), accounts, List.of(), Map.of("accounts", (long) accounts.size())));
      }
    }
    return Optional.empty();
  }
}
