package io.vigil.engine.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The scenarios' logic on movements made here: patterns that must alert, look-alikes that must not, and the state's bounds. */
class TransactionMonitorTest {
  private static final long DAY = 86_400_000L;
  private static final long T0 = 1_770_000_000_000L;
  private final AtomicInteger ids = new AtomicInteger();
  private final TransactionMonitor monitor = new TransactionMonitor(new MonitorState(10_000, 10_000));
  private final ScenarioSettings settings = ScenarioSettings.defaults();

  private Movement move(String type, String from, String to, long amountMinor, long at, Set<String> rules, String... identities) {
    return new Movement("dec_" + ids.incrementAndGet(), type, from, to, amountMinor, at, List.of(identities), rules);
  }

  private List<AlertCandidate> transfer(String from, String to, long amountMinor, long at) {
    return monitor.observe(move("transfer", from, to, amountMinor, at, Set.of()), settings);
  }

  private static boolean has(List<AlertCandidate> found, String scenario) {
    return found.stream().anyMatch(c -> c.scenarioId().equals(scenario));
  }

  @Test
  void aNonResidentOnALocalProxyAlertsOnlyWhenTheRuleFired() {
    List<AlertCandidate> found = monitor.observe(move("login", "nr", null, Movement.NO_AMOUNT, T0, Set.of("nonresident_local_proxy")), settings);
    assertTrue(has(found, ScenarioCatalog.NONRESIDENT_PROXY));
    List<AlertCandidate> resident = monitor.observe(move("login", "res", null, Movement.NO_AMOUNT, T0, Set.of("anonymizer_ip")), settings);
    assertTrue(!has(resident, ScenarioCatalog.NONRESIDENT_PROXY), "a proxy alone is not the red flag");
  }

  @Test
  void aCycleOfSixHopsAlertsAndSevenDoNot() {
    String[] ring = {"r0", "r1", "r2", "r3", "r4", "r5"};
    List<AlertCandidate> found = List.of();
    for (int i = 0; i < ring.length; i++) found = transfer(ring[i], ring[(i + 1) % ring.length], 200_000, T0 + i * 3_600_000L);
    AlertCandidate cycle = found.stream().filter(c -> c.scenarioId().equals(ScenarioCatalog.CYCLE)).findFirst().orElseThrow();
    assertEquals(List.of("r0", "r1", "r2", "r3", "r4", "r5", "r0"), cycle.path());
    assertEquals("r0", cycle.accountId());

    String[] longer = {"s0", "s1", "s2", "s3", "s4", "s5", "s6"};
    for (int i = 0; i < longer.length; i++) found = transfer(longer[i], longer[(i + 1) % longer.length], 200_000, T0 + i * 3_600_000L);
    assertTrue(!has(found, ScenarioCatalog.CYCLE), "seven hops are beyond hops_max");
  }

  @Test
  void aCycleSlowerThanTheWindowDoesNotAlert() {
    transfer("w0", "w1", 200_000, T0);
    transfer("w1", "w2", 200_000, T0 + 10 * DAY);
    assertTrue(!has(transfer("w2", "w0", 200_000, T0 + 20 * DAY), ScenarioCatalog.CYCLE));
  }

  @Test
  void fanInAgainstTheAccountsOwnHistory() {
    for (int i = 0; i < 9; i++) assertTrue(!has(transfer("in" + i, "hub", 10_000, T0 + i), ScenarioCatalog.FAN_IN));
    assertTrue(has(transfer("in9", "hub", 10_000, T0 + 9), ScenarioCatalog.FAN_IN), "the tenth distinct sender alerts");
    // The same sender twice is one counterparty.
    for (int i = 0; i < 12; i++) assertTrue(!has(transfer("same", "shop", 10_000, T0 + i), ScenarioCatalog.FAN_IN));
  }

  @Test
  void structuringCountsLinkedAccountsThroughAPhone() {
    monitor.observe(move("transfer", "p1", "x", 950_000, T0, Set.of(), "phone:+880000"), settings);
    monitor.observe(move("transfer", "p2", "x", 950_000, T0 + DAY, Set.of(), "phone:+880000"), settings);
    List<AlertCandidate> found = monitor.observe(move("withdrawal", "p3", null, 990_000, T0 + 2 * DAY, Set.of(), "phone:+880000"), settings);
    AlertCandidate s = found.stream().filter(c -> c.scenarioId().equals(ScenarioCatalog.STRUCTURING)).findFirst().orElseThrow();
    assertEquals(List.of("p1", "p2", "p3"), s.accounts());
    assertEquals(3L, s.figures().get("count"));
  }

  @Test
  void structuringOutsideTheWindowDoesNotAlert() {
    transfer("slow", "x", 950_000, T0);
    transfer("slow", "x", 950_000, T0 + 4 * DAY);
    assertTrue(!has(transfer("slow", "x", 950_000, T0 + 8 * DAY), ScenarioCatalog.STRUCTURING));
  }

  @Test
  void theStateKeepsAtMostTheCapsAndDropsWhatIsOlderThanTheHistory() {
    MonitorState state = new MonitorState(100, 50);
    TransactionMonitor small = new TransactionMonitor(state);
    for (int i = 0; i < 1_000; i++) {
      small.observe(move("transfer", "a", "b" + i, 1_000, T0 + i, Set.of(), "device:d" + i), settings);
    }
    assertTrue(state.accounts() <= 100);
    assertTrue(state.identityKeys() <= 50);
    assertTrue(state.outSince("a", 0).size() <= MonitorState.MOVES_PER_ACCOUNT_MAX);
    small.observe(move("transfer", "a", "z", 1_000, T0 + MonitorState.HISTORY_MILLIS + DAY, Set.of()), settings);
    assertEquals(1, state.outSince("a", 0).size(), "movements older than the history are gone");
  }

  @Test
  void aProposalIsCheckedFieldByField() {
    ScenarioSettings.InvalidSetting e = assertThrows(ScenarioSettings.InvalidSetting.class, () -> settings.merge(
        Map.of("scenarios", Map.of("structuring", Map.of("parameters", Map.of("count_min", 1))))));
    assertEquals("scenarios.structuring.parameters.count_min", e.path());
    assertEquals("scenarios.nope", assertThrows(ScenarioSettings.InvalidSetting.class,
        () -> settings.merge(Map.of("scenarios", Map.of("nope", Map.of())))).path());
    assertEquals("scenarios.cycle.parameters.hops_min", assertThrows(ScenarioSettings.InvalidSetting.class, () -> settings.merge(
        Map.of("scenarios", Map.of("cycle", Map.of("parameters", Map.of("hops_min", 5, "hops_max", 3)))))).path());
    assertEquals("scenarios.fan_in.parameters.window_days", assertThrows(ScenarioSettings.InvalidSetting.class, () -> settings.merge(
        Map.of("scenarios", Map.of("fan_in", Map.of("parameters", Map.of("window_days", 1.5)))))).path());
    assertEquals("scenarios.large_cash.parameters.threshold_minor", assertThrows(ScenarioSettings.InvalidSetting.class,
        () -> settings.merge(Map.of("scenarios", Map.of("large_cash", Map.of("parameters",
            Map.of("threshold_minor", new BigInteger("18446744073709551716"))))))).path());
    ScenarioSettings changed = settings.merge(Map.of("scenarios", Map.of("large_cash", Map.of("enabled", false))));
    assertTrue(!changed.enabled(ScenarioCatalog.LARGE_CASH));
    assertEquals(Map.of("scenarios.large_cash.enabled", Map.of("from", true, "to", false)), settings.difference(changed));
    assertEquals(changed.toMap(), ScenarioSettings.fromMap(changed.toMap()).toMap(), "what is stored reads back the same");
  }

  @Test
  void aDisabledScenarioStaysSilent() {
    ScenarioSettings off = settings.merge(Map.of("scenarios", Map.of("large_cash", Map.of("enabled", false))));
    List<AlertCandidate> found = monitor.observe(move("withdrawal", "c", null, 2_000_000, T0, Set.of()), off);
    assertTrue(!has(found, ScenarioCatalog.LARGE_CASH));
    assertTrue(has(monitor.observe(move("withdrawal", "c", null, 2_000_000, T0 + 1, Set.of()), settings), ScenarioCatalog.LARGE_CASH));
  }
}
