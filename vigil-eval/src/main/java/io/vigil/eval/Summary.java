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
    printComparison(r, out);
    printThresholds(r, out);
    if (r.containsKey("protocol")) {
      Map<String, Object> p = (Map<String, Object>) r.get("protocol");
      out.printf("%nHandbook protocol: train %s..%s, test %s..%s (%s rows, %s frauds; %s rows of known-compromised cards removed)%n",
          p.get("train_from"), p.get("train_to"), p.get("test_from"), p.get("test_to"), p.get("rows"), p.get("frauds"),
          p.get("removed_known_compromised_rows"));
      out.printf("%-52s %7s %7s %7s%n", "model", "AUC", "AP", "CP@100");
      for (String[] b : new String[][] {{"logistic_regression", "logistic regression, handbook features, on this file"},
          {"random_forest", "random forest, handbook features, on this file"}}) {
        Map<String, Object> m = (Map<String, Object>) p.get(b[0]);
        if (m != null) out.printf("%-52s %7s %7s %7s%n", b[1], f(m.get("auc_roc")), f(m.get("average_precision")), f(m.get("card_precision_at_100")));
      }
      if (!r.containsKey("published")) out.println("(the handbook's published figures are for the published file only: not printed)");
      for (Map<String, Object> pub : (List<Map<String, Object>>) r.getOrDefault("published", List.of())) {
        out.printf("%-52s %7s %7s %7s%n", pub.get("model"), f(pub.get("auc_roc")), f(pub.get("average_precision")),
            f(pub.get("card_precision_at_100")));
      }
      out.printf("%-52s %7s %7s %7s%n", "Vigil LightGBM " + p.get("models"), f(p.get("auc_roc")), f(p.get("average_precision")),
          f(p.get("card_precision_at_100")));
      Map<String, Object> b = (Map<String, Object>) p.get("blended");
      out.printf("%-52s %7s %7s %7s%n", "Vigil blended score (rules + model)", f(b.get("auc_roc")), f(b.get("average_precision")),
          f(b.get("card_precision_at_100")));
      Map<String, Object> a = (Map<String, Object>) p.get("acting");
      out.printf("%-52s %7s %7s %7s%n", "Vigil acting score (" + p.get("acting_score") + ")", f(a.get("auc_roc")),
          f(a.get("average_precision")), f(a.get("card_precision_at_100")));
    }
    if (r.containsKey("rule_hits")) printBacktest(r, out);
  }

  private static final String[][] SCORES = {{"model", null}, {"rules", "rules_only"}, {"acting", "acting"},
      {"LR", "logistic_regression"}, {"RF", "random_forest"}};

  /** Week by week: the model, the rules, the acting score and the handbook baselines on AUC, AP and CP@100, and their means. */
  @SuppressWarnings("unchecked")
  private static void printComparison(Map<String, Object> r, PrintStream out) {
    String[] metrics = {"auc_roc", "average_precision", "card_precision_at_100"};
    String[] titles = {"AUC ROC", "AP", "CP@100"};
    List<Map<String, Object>> weeks = (List<Map<String, Object>>) r.get("weeks");
    for (int k = 0; k < metrics.length; k++) {
      out.printf("%n%s by week (acting = %s)%n%-12s", titles[k], r.get("combination"), "week from");
      for (String[] s : SCORES) out.printf(" %8s", s[0]);
      out.printf(" %12s %12s%n", "acting-best", "acting-RF");
      double[] sums = new double[SCORES.length + 2];
      int counted = 0;
      for (Map<String, Object> w : weeks) {
        double[] v = new double[SCORES.length];
        boolean complete = Boolean.TRUE.equals(w.get("scored_by_model"));
        for (int c = 0; c < SCORES.length; c++) {
          Map<String, Object> m = SCORES[c][1] == null ? w : (Map<String, Object>) w.get(SCORES[c][1]);
          v[c] = m == null || !(m.get(metrics[k]) instanceof Double x) ? Double.NaN : x;
          complete &= !Double.isNaN(v[c]);
        }
        if (!complete) continue;
        double best = Math.max(v[0], v[1]);
        out.printf("%-12s", w.get("from"));
        for (double x : v) out.printf(" %8.3f", x);
        out.printf(" %+12.3f %+12.3f%n", v[2] - best, v[2] - v[4]);
        for (int c = 0; c < v.length; c++) sums[c] += v[c];
        sums[SCORES.length] += v[2] - best;
        sums[SCORES.length + 1] += v[2] - v[4];
        counted++;
      }
      if (counted == 0) continue;
      out.printf("%-12s", "mean (" + counted + ")");
      for (int c = 0; c < SCORES.length; c++) out.printf(" %8.3f", sums[c] / counted);
      out.printf(" %+12.3f %+12.3f%n", sums[SCORES.length] / counted, sums[SCORES.length + 1] / counted);
    }
  }

  /** Week by week: the thresholds proposed from the two labelled weeks before, and the rates they reached. */
  @SuppressWarnings("unchecked")
  private static void printThresholds(Map<String, Object> r, PrintStream out) {
    Map<String, Object> target = (Map<String, Object>) r.get("threshold_target");
    out.printf("%nThresholds proposed from the two labelled weeks before each week (target: review ≤ %s, false interception ≤ %s)%n",
        pct(target.get("review_max")), pct(target.get("false_interception_max")));
    out.printf("%-12s %13s %15s %15s %15s %12s %15s%n", "week from", "chal/rev/deny", "exp. intercept", "interception",
        "review", "false int.", "legit intercept");
    for (Map<String, Object> w : (List<Map<String, Object>>) r.get("weeks")) {
      Map<String, Object> t = (Map<String, Object>) w.get("threshold_proposal");
      if (t == null) continue;
      Map<String, Object> th = (Map<String, Object>) t.get("thresholds"), e = (Map<String, Object>) t.get("expected"),
          a = (Map<String, Object>) t.get("reached");
      out.printf("%-12s %13s %15s %15s %15s %12s %15s%n", w.get("from"), th.get("challenge") + "/" + th.get("review") + "/" + th.get("deny"),
          pct(e.get("interception_rate")), pct(a.get("interception_rate")), pct(a.get("review_rate")),
          pct(a.get("false_interception_rate")), pct(a.get("legitimate_intercepted_rate")));
    }
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
