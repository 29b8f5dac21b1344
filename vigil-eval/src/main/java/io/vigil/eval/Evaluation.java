package io.vigil.eval;

import io.vigil.engine.evaluation.CardPrecision;
import io.vigil.engine.evaluation.InterceptionMetrics;
import io.vigil.engine.evaluation.RankingMetrics;
import io.vigil.engine.label.LabelScope;
import io.vigil.engine.label.LabelStore;
import io.vigil.engine.policy.Action;
import io.vigil.engine.policy.Thresholds;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Metrics of a finished replay: per retraining period, and for the handbook's test week. */
final class Evaluation {
  static final int CARD_PRECISION_K = 100;
  static final double[] FPRS = {0.001, 0.005, 0.01, 0.05};
  private static final Action[] ACTIONS = Action.values();

  private Evaluation() {}

  /** Metrics of the rows [first, end) that {@code keep} accepts. */
  static Map<String, Object> metrics(ReplayData d, List<Integer> rows, Thresholds candidate) {
    int n = rows.size();
    double[] model = new double[n], blended = new double[n], rules = new double[n];
    boolean[] fraud = new boolean[n];
    long[] day = new long[n], card = new long[n];
    Action[] actions = new Action[n], candidateActions = candidate == null ? null : new Action[n];
    boolean hasModel = true;
    for (int r = 0; r < n; r++) {
      int i = rows.get(r);
      if (Float.isNaN(d.probability[i])) hasModel = false;
      model[r] = d.probability[i];
      blended[r] = d.blendedScore[i];
      rules[r] = d.rulesScore[i];
      fraud[r] = d.truth[i];
      day[r] = Math.floorDiv(d.timeMillis[i], ReplayOptions.DAY_MILLIS);
      card[r] = d.account[i];
      actions[r] = ACTIONS[d.action[i]];
      if (candidate != null) candidateActions[r] = candidate.action(d.blendedScore[i]).atLeast(rulesFloor(actions[r]));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("rows", n);
    out.put("frauds", (int) count(fraud));
    out.put("scored_by_model", hasModel);
    if (hasModel) out.putAll(ranking(model, fraud, day, card));
    out.put("blended", ranking(blended, fraud, day, card));
    double[] acting = new double[n];
    boolean combined = n > 0;
    for (int r = 0; r < n; r++) combined &= !Double.isNaN(d.combined[rows.get(r)]);
    for (int r = 0; r < n; r++) acting[r] = combined ? d.combined[rows.get(r)] : d.blendedScore[rows.get(r)];
    out.put("acting_score", combined ? "learned combination" : "fixed blend");
    out.put("acting", ranking(acting, fraud, day, card));
    putBaseline(out, "logistic_regression", d.baselineLogistic, rows, fraud, day, card);
    putBaseline(out, "random_forest", d.baselineForest, rows, fraud, day, card);
    out.put("rules_only", ranking(rules, fraud, day, card));
    out.put("actions", interception(InterceptionMetrics.of(actions, fraud)));
    if (candidate != null) out.put("candidate_thresholds_backtest", interception(InterceptionMetrics.of(candidateActions, fraud)));
    if (d.candidateAction != null) out.put("candidate_policy_backtest", candidatePolicy(d, rows, actions, fraud));
    return out;
  }

  /**
   * The candidate policy's actions over the same rows, and what changed: frauds and legitimate events
   * it intercepts that the live policy let through, and the reverse.
   */
  private static Map<String, Object> candidatePolicy(ReplayData d, List<Integer> rows, Action[] live, boolean[] fraud) {
    int n = rows.size();
    Action[] candidate = new Action[n];
    double[] score = new double[n];
    long fraudGained = 0, legitGained = 0, fraudLost = 0, legitLost = 0;
    for (int r = 0; r < n; r++) {
      int i = rows.get(r);
      candidate[r] = ACTIONS[d.candidateAction[i]];
      score[r] = d.candidateScore[i];
      boolean was = live[r] != Action.ALLOW, is = candidate[r] != Action.ALLOW;
      if (is && !was) {
        if (fraud[r]) fraudGained++;
        else legitGained++;
      } else if (was && !is) {
        if (fraud[r]) fraudLost++;
        else legitLost++;
      }
    }
    Map<String, Object> out = interception(InterceptionMetrics.of(candidate, fraud));
    out.put("auc_roc", RankingMetrics.aucRoc(score, fraud));
    out.put("average_precision", RankingMetrics.averagePrecision(score, fraud));
    Map<String, Object> changed = new LinkedHashMap<>();
    changed.put("frauds_newly_intercepted", fraudGained);
    changed.put("legitimate_newly_intercepted", legitGained);
    changed.put("frauds_no_longer_intercepted", fraudLost);
    changed.put("legitimate_no_longer_intercepted", legitLost);
    out.put("changed_against_live", changed);
    return out;
  }

  /** A baseline's ranking metrics over the rows when it scored every one of them. */
  private static void putBaseline(Map<String, Object> out, String name, float[] scores, List<Integer> rows, boolean[] fraud, long[] day,
      long[] card) {
    if (scores == null || rows.isEmpty()) return;
    double[] s = new double[rows.size()];
    for (int r = 0; r < s.length; r++) {
      s[r] = scores[rows.get(r)];
      if (Double.isNaN(s[r])) return;
    }
    out.put(name, ranking(s, fraud, day, card));
  }

  /** Backtests keep the engine's forced actions (rules, lists) only where they exceed the score's. */
  static Action rulesFloor(Action live) {
    return live == Action.HOLD ? Action.HOLD : Action.ALLOW;
  }

  static Map<String, Object> ranking(double[] score, boolean[] fraud, long[] day, long[] card) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("auc_roc", RankingMetrics.aucRoc(score, fraud));
    m.put("average_precision", RankingMetrics.averagePrecision(score, fraud));
    CardPrecision.Result cp = CardPrecision.atK(day, card, score, fraud, CARD_PRECISION_K);
    m.put("card_precision_at_100", cp.mean());
    m.put("card_precision_at_100_per_day", cp.perDay());
    Map<String, Object> recall = new LinkedHashMap<>();
    for (double fpr : FPRS) recall.put(Double.toString(fpr), RankingMetrics.recallAtFpr(score, fraud, fpr));
    m.put("recall_at_fpr", recall);
    return m;
  }

  private static Map<String, Object> interception(InterceptionMetrics im) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("interception_rate", im.interceptionRate());
    m.put("deny_rate", im.denyRate());
    m.put("review_rate", im.reviewRate());
    m.put("challenge_rate", im.challengeRate());
    m.put("false_interception_rate", im.falseInterceptionRate());
    m.put("legitimate_intercepted_rate", im.legitimateInterceptedRate());
    return m;
  }

  /** One entry per retraining period [T, T + every) (or per 7 days without retraining). */
  static List<Map<String, Object>> weekly(ReplayData d, long anchorMillis, long periodMillis, List<String> modelIds, Thresholds candidate) {
    List<Map<String, Object>> weeks = new ArrayList<>();
    if (d.size == 0) return weeks;
    long start = anchorMillis - Math.floorDiv(anchorMillis - d.timeMillis[0], periodMillis) * periodMillis;
    if (start > d.timeMillis[0]) start -= periodMillis;
    for (long from = start; from <= d.timeMillis[d.size - 1]; from += periodMillis) {
      int first = d.lowerBound(from), end = d.lowerBound(from + periodMillis);
      List<Integer> rows = new ArrayList<>(end - first);
      for (int i = first; i < end; i++) rows.add(i);
      Map<String, Object> w = new LinkedHashMap<>();
      w.put("from", date(from));
      w.put("to", date(from + periodMillis));
      int mi = end > first ? d.modelIndex[first] : -1;
      w.put("model_id", mi < 0 ? null : modelIds.get(mi));
      w.putAll(metrics(d, rows, candidate));
      weeks.add(w);
    }
    return weeks;
  }

  /**
   * Thresholds proposed from the two weeks whose labels are all known at {@code fromMillis}
   * ([from − delay − 2·7 d, from − delay)) for the model that acts from {@code fromMillis}
   * ({@link ThresholdProposal#forModel}: translated to that model's scores of the events of
   * [from − period, from)), applied to the week [from, from + period): the proposal, its expected
   * rates (on the validation weeks), the margin chosen on them and the rates it reached, on the
   * acting score, with the engine's forced holds kept.
   */
  static Map<String, Object> thresholdBacktest(ReplayData d, long fromMillis, long periodMillis, long delayMillis,
      ThresholdProposal.Target target, String challengeKind) {
    long week = 7 * ReplayOptions.DAY_MILLIS;
    int vFirst = d.lowerBound(fromMillis - delayMillis - 2 * week), vMid = d.lowerBound(fromMillis - delayMillis - week);
    int vEnd = d.lowerBound(fromMillis - delayMillis);
    int first = d.lowerBound(fromMillis), end = d.lowerBound(fromMillis + periodMillis);
    Map<String, Object> out = new LinkedHashMap<>();
    if (vEnd - vFirst < Retrainer.TRAIN_ROWS_MIN || end <= first || d.modelIndex[vFirst] < 0) return out;
    int[] recent = nextModelScores(d, d.lowerBound(fromMillis - periodMillis), first);
    if (recent.length == 0) return out;
    ThresholdProposal.ModelProposal p = ThresholdProposal.forModel(scores(d, vFirst, vMid), truth(d, vFirst, vMid),
        scores(d, vMid, vEnd), truth(d, vMid, vEnd), recent, target, challengeKind);
    Action[] actions = new Action[end - first];
    boolean[] fraud = new boolean[end - first];
    for (int i = first; i < end; i++) {
      actions[i - first] = p.thresholds().action(d.blendedScore[i]).atLeast(rulesFloor(ACTIONS[d.action[i]]));
      fraud[i - first] = d.truth[i];
    }
    Thresholds t = p.thresholds(), v = p.validation();
    out.put("thresholds", Map.of("challenge", t.challenge(), "review", t.review(), "deny", t.deny()));
    out.put("validation_thresholds", Map.of("challenge", v.challenge(), "review", v.review(), "deny", v.deny()));
    out.put("margin", p.margin());
    out.put("target_met_on_validation", p.met());
    out.put("expected", interception(p.expected()));
    out.put("reached", interception(InterceptionMetrics.of(actions, fraud)));
    return out;
  }

  static int[] scores(ReplayData d, int first, int end) {
    int[] s = new int[Math.max(0, end - first)];
    for (int i = first; i < end; i++) s[i - first] = d.blendedScore[i];
    return s;
  }

  static boolean[] truth(ReplayData d, int first, int end) {
    boolean[] y = new boolean[Math.max(0, end - first)];
    for (int i = first; i < end; i++) y[i - first] = d.truth[i];
    return y;
  }

  /** The rows of [first, end) that the next model rescored, with its acting scores. */
  static int[] nextModelScores(ReplayData d, int first, int end) {
    int[] s = new int[Math.max(0, end - first)];
    int k = 0;
    for (int i = first; i < end; i++) if (d.nextModelScore[i] >= 0) s[k++] = d.nextModelScore[i];
    return Arrays.copyOf(s, k);
  }

  /**
   * The handbook's test set: rows of the test days, without the cards whose fraud (on an event
   * since the training start) was known before that day began, read from the label store as of the
   * day's start.
   */
  static Map<String, Object> protocol(ReplayData d, ReplayOptions.Protocol p, LabelStoreView labels, List<String> modelIds,
      Thresholds candidate, Map<Integer, String> accountNames) {
    List<Integer> rows = new ArrayList<>();
    long removed = 0;
    Map<Long, Boolean> known = new java.util.HashMap<>();
    for (int day = 0; day < p.testDays(); day++) {
      long dayStart = p.testFromMillis() + day * ReplayOptions.DAY_MILLIS;
      int first = d.lowerBound(dayStart), end = d.lowerBound(dayStart + ReplayOptions.DAY_MILLIS);
      known.clear();
      for (int i = first; i < end; i++) {
        long key = d.account[i];
        boolean compromised = known.computeIfAbsent(key,
            k -> labels.knownFraud(accountNames.get((int) (long) k), p.trainFromMillis(), dayStart));
        if (compromised) removed++;
        else rows.add(i);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("train_from", date(p.trainFromMillis()));
    out.put("train_to", date(p.trainFromMillis() + 7 * ReplayOptions.DAY_MILLIS));
    out.put("test_from", date(p.testFromMillis()));
    out.put("test_to", date(p.testToMillis()));
    out.put("removed_known_compromised_rows", removed);
    Map<Short, Boolean> modelsUsed = new LinkedHashMap<>();
    for (int i : rows) modelsUsed.put(d.modelIndex[i], true);
    List<String> used = new ArrayList<>();
    for (short s : modelsUsed.keySet()) used.add(s < 0 ? "none" : modelIds.get(s));
    out.put("models", used);
    out.putAll(metrics(d, rows, candidate));
    return out;
  }

  /** The label store's answer the protocol needs; an interface so that the evaluation reads no other state. */
  interface LabelStoreView {
    boolean knownFraud(String accountId, long eventsSinceMillis, long asOfMillis);

    static LabelStoreView of(LabelStore store) {
      return (account, since, asOf) -> store.counts(LabelScope.ACCOUNT, account, since - 1, asOf, asOf).fraud() > 0;
    }
  }

  private static long count(boolean[] flags) {
    long n = 0;
    for (boolean f : flags) if (f) n++;
    return n;
  }

  static String date(long millis) {
    return Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC).toLocalDate().toString();
  }
}
