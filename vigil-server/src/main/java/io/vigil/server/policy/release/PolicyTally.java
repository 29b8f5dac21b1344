package io.vigil.server.policy.release;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one policy (live or candidate) decided on a release's decisions, acted on or not: how many
 * it saw, intercepted (deny, hold or challenge) and sent to review, how often each rule fired, and
 * of the intercepted decisions with a fraud-or-legitimate label, how many were fraud. Confined to
 * the thread that tallies.
 */
final class PolicyTally {
  /** Distinct rule ids counted; a policy holds fewer rules than this. */
  static final int RULES_MAX = 2_000;

  long decisions;
  long intercepted;
  long reviewed;
  long labelledIntercepted;
  long fraudIntercepted;
  final Map<String, Long> fires = new TreeMap<>();

  void add(String action, Iterable<String> rulesFired, String label) {
    decisions++;
    boolean intercepts = ReleaseComparison.intercepts(action);
    if (intercepts) intercepted++;
    if ("REVIEW".equals(action)) reviewed++;
    if (intercepts && label != null) {
      labelledIntercepted++;
      if ("fraud".equals(label)) fraudIntercepted++;
    }
    for (String rule : rulesFired) {
      if (fires.size() < RULES_MAX || fires.containsKey(rule)) fires.merge(rule, 1L, Long::sum);
    }
  }

  double interceptionRate() {
    return decisions == 0 ? 0 : (double) intercepted / decisions;
  }

  double reviewRate() {
    return decisions == 0 ? 0 : (double) reviewed / decisions;
  }

  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("decisions", decisions);
    m.put("intercepted", intercepted);
    m.put("interception_rate", round(interceptionRate()));
    m.put("reviewed", reviewed);
    m.put("review_rate", round(reviewRate()));
    m.put("labelled_intercepted", labelledIntercepted);
    m.put("precision", labelledIntercepted == 0 ? null : round((double) fraudIntercepted / labelledIntercepted));
    m.put("fires", new TreeMap<>(fires));
    return m;
  }

  static double round(double v) {
    return Math.round(v * 1e4) / 1e4;
  }
}
