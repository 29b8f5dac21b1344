package io.vigil.eval.aml;

import io.vigil.engine.monitoring.AlertCandidate;
import io.vigil.engine.monitoring.MonitorState;
import io.vigil.engine.monitoring.Movement;
import io.vigil.engine.monitoring.ScenarioCatalog;
import io.vigil.engine.monitoring.ScenarioDefinition;
import io.vigil.engine.monitoring.ScenarioSettings;
import io.vigil.engine.monitoring.TransactionMonitor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replays the AMLSim fan-in sample through the monitoring scenarios' own logic (the engine-level
 * {@link TransactionMonitor}, as the server's monitor feeds it, without HTTP or a database) and
 * prints, per scenario: the fan-in receivers it alerted on, how many days after their pattern
 * started, all alerts per 1,000 accounts, and the cost of the state it held.
 *
 * <p>Alerts are deduplicated as the server does: one per account and scenario within the cooldown.
 * Usage: {@code AmlSimReplay DIR [scenario.param=value ...]} (changes to the default parameters).
 */
public final class AmlSimReplay {
  private static final long DAY_MILLIS = 86_400_000L;
  private static final long T0 = 1_735_689_600_000L; // 2025-01-01T00:00:00Z, step 0

  private AmlSimReplay() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args[0].startsWith("-")) {
      System.err.println("usage: AmlSimReplay DIR [scenario.param=value ...]  (DIR holds fanin200_*.csv.gz)");
      System.exit(2);
    }
    AmlSimData data = AmlSimData.load(Path.of(args[0]));
    ScenarioSettings settings = ScenarioSettings.defaults();
    List<String> changes = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      settings = settings.merge(change(args[i]));
      changes.add(args[i]);
    }
    run(data, settings, changes.isEmpty() ? "default parameters" : String.join(" ", changes));
  }

  private static Map<String, Object> change(String arg) {
    String[] kv = arg.split("=", 2);
    String[] path = kv[0].split("\\.", 2);
    if (kv.length != 2 || path.length != 2) throw new IllegalArgumentException("expected scenario.param=value, got " + arg);
    return Map.of("scenarios", Map.of(path[0], Map.of("parameters", Map.of(path[1], Long.parseLong(kv[1])))));
  }

  static void run(AmlSimData data, ScenarioSettings settings, String label) {
    Map<Integer, Integer> receivers = data.receivers();
    long heapBefore = usedHeap();
    MonitorState state = new MonitorState(1_000_000, 1_000_000);
    TransactionMonitor monitor = new TransactionMonitor(state);
    Map<String, Long> lastAlert = new HashMap<>();
    Map<String, Integer> alerts = new LinkedHashMap<>();
    Map<String, Integer> onLabelled = new HashMap<>();
    Map<String, Map<Integer, Integer>> firstAlertStep = new LinkedHashMap<>();
    for (ScenarioDefinition d : ScenarioCatalog.all()) {
      alerts.put(d.id(), 0);
      firstAlertStep.put(d.id(), new HashMap<>());
    }
    List<AmlSimData.Transfer> ordered = new ArrayList<>(data.transfers);
    ordered.sort((a, b) -> Integer.compare(a.step(), b.step()));
    Map<Integer, Integer> perStep = new HashMap<>();
    for (AmlSimData.Transfer t : ordered) perStep.merge(t.step(), 1, Integer::sum);
    Map<Integer, Integer> seen = new HashMap<>();
    long started = System.nanoTime();
    int n = 0;
    for (AmlSimData.Transfer t : ordered) {
      int k = seen.merge(t.step(), 1, Integer::sum) - 1;
      long at = T0 + t.step() * DAY_MILLIS + k * (DAY_MILLIS / perStep.get(t.step()));
      Movement m = new Movement("t" + n++, "transfer", "a" + t.source(), "a" + t.target(), t.amountMinor(), at, List.of(), Set.of());
      for (AlertCandidate c : monitor.observe(m, settings)) {
        long cooldown = settings.get(c.scenarioId()).get("cooldown_hours") * 3_600_000L;
        String key = c.scenarioId() + "|" + c.accountId();
        Long last = lastAlert.get(key);
        if (last != null && c.atMillis() - last < cooldown) continue;
        lastAlert.put(key, c.atMillis());
        alerts.merge(c.scenarioId(), 1, Integer::sum);
        int account = Integer.parseInt(c.accountId().substring(1));
        if (data.accounts.get(account).fraud()) onLabelled.merge(c.scenarioId(), 1, Integer::sum);
        // An alert before the receiver's pattern started found something else: not a detection.
        Integer start = receivers.get(account);
        if (start != null && t.step() >= start) firstAlertStep.get(c.scenarioId()).putIfAbsent(account, t.step());
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long heapAfter = usedHeap();
    print(data, settings, label, receivers, alerts, onLabelled, firstAlertStep, seconds, ordered.size(), state, heapAfter - heapBefore);
  }

  private static void print(AmlSimData data, ScenarioSettings settings, String label, Map<Integer, Integer> receivers,
      Map<String, Integer> alerts, Map<String, Integer> onLabelled, Map<String, Map<Integer, Integer>> first, double seconds, int transfers, MonitorState state,
      long heapBytes) {
    double perThousand = data.accounts.size() / 1000.0;
    System.out.printf("AMLSim fan-in sample: %,d accounts, %,d transfers over 149 days; %d fan-in receivers rebuilt from the labels;"
        + " %s%n", data.accounts.size(), transfers, receivers.size(), label);
    System.out.printf("%-22s %8s %22s %14s %16s %14s%n", "scenario", "enabled", "receivers alerted", "days (median)", "alerts/1k accts",
        "on labelled");
    Set<Integer> any = new HashSet<>();
    for (Map.Entry<String, Map<Integer, Integer>> e : first.entrySet()) {
      List<Integer> days = new ArrayList<>();
      e.getValue().forEach((acct, step) -> days.add(step - receivers.get(acct)));
      any.addAll(e.getValue().keySet());
      Collections.sort(days);
      String median = days.isEmpty() ? "-" : String.valueOf(days.get(days.size() / 2));
      int raised = alerts.get(e.getKey());
      System.out.printf("%-22s %8s %14d of %-5d %14s %16.2f %13.0f%%%n", e.getKey(), settings.enabled(e.getKey()), e.getValue().size(),
          receivers.size(), median, raised / perThousand, raised == 0 ? 0.0 : 100.0 * onLabelled.getOrDefault(e.getKey(), 0) / raised);
    }
    int total = alerts.values().stream().mapToInt(Integer::intValue).sum();
    System.out.printf("%-22s %8s %14d of %-5d %14s %16.2f%n", "any scenario", "", any.size(), receivers.size(), "", total / perThousand);
    System.out.println("receivers alerted: at or after their pattern's start; days: from the start to the first such alert;"
        + " on labelled: share of alerts on an account the data labels as part of a pattern");
    System.out.printf("replayed in %.1f s (%,.0f transfers/s); state: %,d accounts, heap %,d bytes = %,.0f bytes per account,"
        + " %,.0f bytes per transfer held%n", seconds, transfers / seconds, state.accounts(), heapBytes,
        (double) heapBytes / Math.max(1, state.accounts()), (double) heapBytes / transfers);
  }

  /** Heap in use after a full collection (best effort: System.gc is a request). */
  static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) System.gc();
    return rt.totalMemory() - rt.freeMemory();
  }
}
