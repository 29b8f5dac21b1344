package io.vigil.engine.monitoring;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Fan-in (many distinct senders into one account) or fan-out (one account paying many distinct
 * receivers) within a window: at least {@code counterparties_min}, and more than {@code history_factor}
 * times the account's own average over the {@code baseline_windows} windows before.
 */
final class FanDetector implements Detector {
  private final boolean in;

  FanDetector(boolean in) {
    this.in = in;
  }

  @Override
  public String scenarioId() {
    return in ? ScenarioCatalog.FAN_IN : ScenarioCatalog.FAN_OUT;
  }

  @Override
  public Optional<AlertCandidate> check(Movement m, MonitorState state, ScenarioSettings.Setting s, long previousSeenMillis) {
    if (!m.isTransfer()) return Optional.empty();
    String account = in ? m.counterpartyId() : m.accountId();
    Function<Movement, String> other = in ? Movement::accountId : Movement::counterpartyId;
    long window = s.get("window_days") * DAY_MILLIS;
    long k = s.get("baseline_windows");
    long now = m.occurredAtMillis();
    List<Movement> all = in ? state.inSince(account, now - window * (k + 1)) : state.outSince(account, now - window * (k + 1));
    Set<String> recent = new HashSet<>();
    Set<String> earlier = new HashSet<>();
    List<Movement> evidence = new ArrayList<>();
    for (Movement x : all) {
      String party = other.apply(x);
      if (party == null) continue;
      if (x.occurredAtMillis() >= now - window) {
        recent.add(party);
        evidence.add(x);
      } else {
        earlier.add(party);
      }
    }
    long usual = (earlier.size() + k - 1) / k;
    if (recent.size() < s.get("counterparties_min") || recent.size() <= s.get("history_factor") * usual) return Optional.empty();
    long total = evidence.stream().mapToLong(Movement::amountMinor).sum();
    return Optional.of(new AlertCandidate(scenarioId(), account, now,
        recent.size() + " distinct " + (in ? "senders" : "receivers") + " within " + s.get("window_days") + " days; usually " + usual,
        evidence, List.copyOf(recent), List.of(), Map.of("counterparties", (long) recent.size(), "usual", usual, "total_minor", total)));
  }
}
