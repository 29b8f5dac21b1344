package io.vigil.eval;

import io.vigil.engine.policy.Decision;
import io.vigil.engine.policy.Reason;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How often each rule fired over a replay, and on how many frauds, for the live policy and the
 * candidate one: the per-rule half of a rule-set backtest (what each rule catches and what it costs).
 * A rule counts once per event however many reasons it gave.
 */
final class RuleHits {
  /** Distinct rule ids tallied at most (a policy holds far fewer). */
  static final int RULES_MAX = 10_000;

  /** Per rule: live fires, live fires on fraud, candidate fires, candidate fires on fraud. */
  private final Map<String, long[]> hits = new TreeMap<>();
  private final Set<String> seen = new HashSet<>();
  private long events;
  private long frauds;

  void add(Decision live, Decision candidate, boolean fraud) {
    events++;
    if (fraud) frauds++;
    tally(live, 0, fraud);
    tally(candidate, 2, fraud);
  }

  private void tally(Decision d, int column, boolean fraud) {
    seen.clear();
    for (Reason r : d.reasons()) {
      if (r.ruleId() == null || !seen.add(r.ruleId())) continue;
      long[] h = hits.get(r.ruleId());
      if (h == null) {
        if (hits.size() >= RULES_MAX) continue;
        hits.put(r.ruleId(), h = new long[4]);
      }
      h[column]++;
      if (fraud) h[column + 1]++;
    }
  }

  /** Rows of {rule, live {fires, frauds, precision, recall}, candidate {…}} over the whole replay. */
  Map<String, Object> report() {
    List<Map<String, Object>> rules = new ArrayList<>();
    hits.forEach((id, h) -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("rule", id);
      m.put("live", side(h[0], h[1]));
      m.put("candidate", side(h[2], h[3]));
      rules.add(m);
    });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("events", events);
    out.put("frauds", frauds);
    out.put("rules", rules);
    return out;
  }

  private Map<String, Object> side(long fires, long fraudFires) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fires", fires);
    m.put("fraud_fires", fraudFires);
    m.put("precision", fires == 0 ? Double.NaN : (double) fraudFires / fires);
    m.put("fraud_recall", frauds == 0 ? Double.NaN : (double) fraudFires / frauds);
    return m;
  }
}
