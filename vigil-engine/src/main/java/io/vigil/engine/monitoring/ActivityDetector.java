package io.vigil.engine.monitoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The account against its own past: dormant for months and suddenly moving money
 * ({@code dormant_reactivation}), or a day's outgoing total far above its daily average
 * ({@code activity_spike}).
 */
final class ActivityDetector implements Detector {
  private final boolean dormant;

  ActivityDetector(boolean dormant) {
    this.dormant = dormant;
  }

  @Override
  public String scenarioId() {
    return dormant ? ScenarioCatalog.DORMANT_REACTIVATION : ScenarioCatalog.ACTIVITY_SPIKE;
  }

  @Override
  public Optional<AlertCandidate> check(Movement m, MonitorState state, ScenarioSettings.Setting s, long previousSeenMillis) {
    if (!m.movesMoney()) return Optional.empty();
    return dormant ? dormant(m, s, previousSeenMillis) : spike(m, state, s);
  }

  private Optional<AlertCandidate> dormant(Movement m, ScenarioSettings.Setting s, long previousSeenMillis) {
    if (previousSeenMillis == Long.MIN_VALUE || m.amountMinor() < s.get("min_amount_minor")) return Optional.empty();
    long silentDays = (m.occurredAtMillis() - previousSeenMillis) / DAY_MILLIS;
    if (silentDays < s.get("dormant_days")) return Optional.empty();
    return Optional.of(new AlertCandidate(scenarioId(), m.accountId(), m.occurredAtMillis(),
        "silent for " + silentDays + " days, then moved " + m.amountMinor() + " (minor units)",
        List.of(m), List.of(m.accountId()), List.of(), Map.of("silent_days", silentDays, "amount_minor", m.amountMinor())));
  }

  private Optional<AlertCandidate> spike(Movement m, MonitorState state, ScenarioSettings.Setting s) {
    long now = m.occurredAtMillis();
    long days = s.get("baseline_days");
    List<Movement> all = state.outSince(m.accountId(), now - (days + 1) * DAY_MILLIS);
    List<Movement> today = new ArrayList<>();
    long todayMinor = 0;
    long earlierMinor = 0;
    long earlierCount = 0;
    for (Movement x : all) {
      if (x.occurredAtMillis() > now - DAY_MILLIS) {
        today.add(x);
        todayMinor += x.amountMinor();
      } else {
        earlierMinor += x.amountMinor();
        earlierCount++;
      }
    }
    if (earlierCount < s.get("history_count_min") || todayMinor < s.get("min_amount_minor")) return Optional.empty();
    long averageMinor = earlierMinor / days;
    if (todayMinor <= s.get("factor") * averageMinor) return Optional.empty();
    return Optional.of(new AlertCandidate(scenarioId(), m.accountId(), now,
        "moved " + todayMinor + " within a day against a daily average of " + averageMinor + " (minor units)",
        today, List.of(m.accountId()), List.of(), Map.of("day_minor", todayMinor, "average_minor", averageMinor)));
  }
}
