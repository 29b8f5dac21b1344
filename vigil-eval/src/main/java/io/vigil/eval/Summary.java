package io.vigil.eval;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** The readable summary of a report. */
final class Summary {
  private Summary() {}

  @SuppressWarnings("unchecked")
  static void print(Map<String, Object> r, PrintStream out) {
    out.printf("%nVigil replay of %s: %,d events in %.1f s (%,.0f events/s; decide + features + model %.1f µs/event)%n",
        r.get("input"), (Long) r.get("rows"), (Double) r.get("elapsed_seconds"), (Double) r.get("events_per_second"),
        (Double) r.get("decide_and_score_micros_per_event"));
    out.printf("features %s (%d), labels after %s days, retrained every %s days on the last %s days, blend %s%n",
        r.get("feature_schema"), ((List<?>) r.get("features")).size(), r.get("label_delay_days"), r.get("retrain_every_days"),
        r.get("train_lookback_days"), r.get("blend"));
    out.printf("%n%-12s %-26s %8s %7s %7s %7s %9s%n", "week from", "model", "rows", "frauds", "AUC", "AP", "CP@100");
    for (Map<String, Object> w : (List<Map<String, Object>>) r.get("weeks")) {
      boolean model = Boolean.TRUE.equals(w.get("scored_by_model"));
      Map<String, Object> m = model ? w : (Map<String, Object>) w.get("rules_only");
      out.printf("%-12s %-26s %8d %7d %7s %7s %9s%n", w.get("from"), model ? w.get("model_id") : "(rules only)", w.get("rows"),
          w.get("frauds"), f(m.get("auc_roc")), f(m.get("average_precision")), f(m.get("card_precision_at_100")));
    }
    if (r.containsKey("protocol")) {
      Map<String, Object> p = (Map<String, Object>) r.get("protocol");
      out.printf("%nHandbook protocol: train %s..%s, test %s..%s (%s rows, %s frauds; %s rows of known-compromised cards removed)%n",
          p.get("train_from"), p.get("train_to"), p.get("test_from"), p.get("test_to"), p.get("rows"), p.get("frauds"),
          p.get("removed_known_compromised_rows"));
      out.printf("%-52s %7s %7s %7s%n", "model", "AUC", "AP", "CP@100");
      for (Map<String, Object> pub : (List<Map<String, Object>>) r.get("published")) {
        out.printf("%-52s %7s %7s %7s%n", pub.get("model"), f(pub.get("auc_roc")), f(pub.get("average_precision")),
            f(pub.get("card_precision_at_100")));
      }
      out.printf("%-52s %7s %7s %7s%n", "Vigil LightGBM " + p.get("models"), f(p.get("auc_roc")), f(p.get("average_precision")),
          f(p.get("card_precision_at_100")));
      Map<String, Object> b = (Map<String, Object>) p.get("blended");
      out.printf("%-52s %7s %7s %7s%n", "Vigil blended score (rules + model)", f(b.get("auc_roc")), f(b.get("average_precision")),
          f(b.get("card_precision_at_100")));
    }
    if (r.containsKey("rule_hits")) printBacktest(r, out);
  }

  /** Live against candidate policy, on the protocol's test set when there is one, else on the whole replay. */
  @SuppressWarnings("unchecked")
  private static void printBacktest(Map<String, Object> r, PrintStream out) {
    boolean protocol = r.containsKey("protocol") && ((Number) ((Map<String, Object>) r.get("protocol")).get("rows")).longValue() > 0;
    Map<String, Object> scope = (Map<String, Object>) r.get(protocol ? "protocol" : "overall");
    Map<String, Object> live = (Map<String, Object>) scope.get("actions");
    Map<String, Object> cand = (Map<String, Object>) scope.get("candidate_policy_backtest");
    out.printf("%nCandidate policy backtest (%s):%n", protocol ? "the protocol's test set" : "the whole replay");
    out.printf("%-10s %13s %10s %8s %10s %18s%n", "policy", "interception", "challenge", "review", "deny", "false interception");
    for (Object[] row : new Object[][] {{"live", live}, {"candidate", cand}}) {
      Map<String, Object> m = (Map<String, Object>) row[1];
      out.printf("%-10s %13s %10s %8s %10s %18s%n", row[0], pct(m.get("interception_rate")), pct(m.get("challenge_rate")),
          pct(m.get("review_rate")), pct(m.get("deny_rate")), pct(m.get("false_interception_rate")));
    }
    Map<String, Object> changed = (Map<String, Object>) cand.get("changed_against_live");
    out.printf("changed against live: %s frauds newly intercepted, %s no longer; %s legitimate events newly intercepted, %s no longer%n",
        changed.get("frauds_newly_intercepted"), changed.get("frauds_no_longer_intercepted"),
        changed.get("legitimate_newly_intercepted"), changed.get("legitimate_no_longer_intercepted"));
    Map<String, Object> hits = (Map<String, Object>) r.get("rule_hits");
    out.printf("%nRule hits over the whole replay (%s events, %s frauds):%n", hits.get("events"), hits.get("frauds"));
    out.printf("%-36s %10s %10s %10s %10s%n", "rule", "live fires", "precision", "cand fires", "precision");
    for (Map<String, Object> rule : (List<Map<String, Object>>) hits.get("rules")) {
      Map<String, Object> l = (Map<String, Object>) rule.get("live"), c = (Map<String, Object>) rule.get("candidate");
      out.printf("%-36s %10s %10s %10s %10s%n", rule.get("rule"), l.get("fires"), f(l.get("precision")), c.get("fires"),
          f(c.get("precision")));
    }
  }

  private static String pct(Object v) {
    return v instanceof Double d && !d.isNaN() ? String.format("%.2f %%", 100 * d) : "-";
  }

  private static String f(Object v) {
    return v instanceof Double d && !d.isNaN() ? String.format("%.3f", d) : "-";
  }
}
