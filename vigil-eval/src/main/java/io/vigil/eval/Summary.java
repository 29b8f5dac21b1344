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
  }

  private static String f(Object v) {
    return v instanceof Double d && !d.isNaN() ? String.format("%.3f", d) : "-";
  }
}
