package io.vigil.engine.monitoring;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Money back at its origin v: the movement u→v closes a cycle when a path v→…→u of earlier transfers,
 * each no earlier than the one before, all within the window and each at least the minimum amount,
 * leads back to u. Depth-first with an explicit stack, at most {@link #EXPANSIONS_MAX} edges looked at.
 */
final class CycleDetector implements Detector {
  static final int EXPANSIONS_MAX = 5_000;

  @Override
  public String scenarioId() {
    return ScenarioCatalog.CYCLE;
  }

  /** A partial path: its last movement and the movements before it. */
  private record Step(Movement last, List<Movement> path) {}

  @Override
  public Optional<AlertCandidate> check(Movement m, MonitorState state, ScenarioSettings.Setting s, long previousSeenMillis) {
    long least = s.get("min_amount_minor");
    if (!m.isTransfer() || m.amountMinor() < least) return Optional.empty();
    long from = m.occurredAtMillis() - s.get("window_days") * DAY_MILLIS;
    int hopsMin = (int) s.get("hops_min");
    int hopsMax = (int) s.get("hops_max");
    ArrayDeque<Step> stack = new ArrayDeque<>();
    for (Movement first : state.outSince(m.counterpartyId(), from)) {
      if (first != m && first.isTransfer() && first.amountMinor() >= least) stack.push(new Step(first, List.of(first)));
    }
    int expansions = 0;
    while (!stack.isEmpty() && expansions < EXPANSIONS_MAX) {
      Step step = stack.pop();
      int hops = step.path().size() + 1;
      if (step.last().counterpartyId().equals(m.accountId())) {
        if (hops >= hopsMin) return Optional.of(alert(m, step.path()));
        continue;
      }
      if (hops >= hopsMax) continue;
      for (Movement next : state.outSince(step.last().counterpartyId(), step.last().occurredAtMillis())) {
        expansions++;
        if (next == m || !next.isTransfer() || next.amountMinor() < least || visits(step.path(), next.counterpartyId(), m)) continue;
        List<Movement> path = new ArrayList<>(step.path());
        path.add(next);
        stack.push(new Step(next, path));
      }
    }
    return Optional.empty();
  }

  /** Whether the path already passed through the account (the origin may close it). */
  private static boolean visits(List<Movement> path, String account, Movement closing) {
    if (account.equals(closing.accountId())) return false;
    if (account.equals(closing.counterpartyId())) return true;
    for (Movement x : path) {
      if (x.counterpartyId().equals(account)) return true;
    }
    return false;
  }

  /** The origin is the closing movement's receiver: its money left along the path and came back. */
  private AlertCandidate alert(Movement closing, List<Movement> inner) {
    List<Movement> evidence = new ArrayList<>(inner.size() + 1);
    evidence.addAll(inner);
    evidence.add(closing);
    String origin = closing.counterpartyId();
    List<String> path = new ArrayList<>();
    path.add(origin);
    for (Movement x : evidence) path.add(x.counterpartyId());
    long least = evidence.stream().mapToLong(Movement::amountMinor).min().orElse(0);
    return new AlertCandidate(scenarioId(), origin, closing.occurredAtMillis(),
        "money back at " + origin + " through " + evidence.size() + " hops: " + String.join(" -> ", path),
        evidence, List.copyOf(new LinkedHashSet<>(path)), path, Map.of("hops", (long) evidence.size(), "least_hop_minor", least));
  }
}
