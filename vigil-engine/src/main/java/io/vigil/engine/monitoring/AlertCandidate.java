package io.vigil.engine.monitoring;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a scenario found: the account it alerts on and the evidence (the movements, the accounts,
 * for cycles the path of accounts the money took back to its origin).
 *
 * @param figures the measured values that crossed the parameters ({@code count}, {@code total_minor}, …)
 */
public record AlertCandidate(String scenarioId, String accountId, long atMillis, String summary, List<Movement> movements,
    List<String> accounts, List<String> path, Map<String, Long> figures) {
  /** At most this many movements are kept as evidence (the newest). */
  public static final int EVIDENCE_MOVEMENTS_MAX = 50;

  public AlertCandidate {
    Objects.requireNonNull(scenarioId, "scenarioId");
    Objects.requireNonNull(accountId, "accountId");
    movements = List.copyOf(movements.size() > EVIDENCE_MOVEMENTS_MAX
        ? movements.subList(movements.size() - EVIDENCE_MOVEMENTS_MAX, movements.size()) : movements);
    accounts = List.copyOf(accounts);
    path = List.copyOf(path);
    figures = Map.copyOf(figures);
  }
}
