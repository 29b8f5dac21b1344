package io.vigil.eval;

import io.vigil.engine.model.FeatureSchema;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validation-only helpers of {@link Sweep}: candidate features derived after the replay from the rows'
 * recorded vectors (each row's value uses only that row and earlier rows of the same card or terminal, in
 * the windows (t − w, t], as the engine's windows do), and the CP@100 diagnosis.
 *
 * <p>The side table re-reads the CSV's first {@code data.size} rows (the replay's own rows, before the
 * {@code --limit}) for the terminal id and, for the diagnosis only, the simulator's fraud scenario. The
 * scenario never reaches a feature or a training set: it is what an analyst reads about past cases.
 */
final class SweepExtras {
  private SweepExtras() {}

  static final List<String> NAMES = List.of("x_card_spikes_1d", "x_card_spikes_7d", "x_card_spike_frac_7d",
      "x_merchant_known_card_txs_1d", "x_merchant_known_card_txs_7d", "x_card_known_merchant_txs_7d",
      "x_card_count_today_before", "x_card_max_ratio_1d",
      "x_merchant_last5_labelled_fraud", "x_merchant_fraud_streak", "x_merchant_ratio_since_first_fraud_56d");

  /** A spike: the amount at least this many times the card's older (t − 30 d, t − 8 d] mean, else its previous 30-day mean. */
  static final double SPIKE = 2.5;

  private static final long DAY = ReplayOptions.DAY_MILLIS;
  // Caches of one replay's side table and derived columns; a different replay clears them.
  private static Replay.Result cachedFor;
  private static int[] merchant;
  private static byte[] scenario;
  private static final Map<String, float[]> columns = new HashMap<>();

  private static synchronized void load(Replay.Result r, ReplayOptions o) {
    forReplay(r);
    if (merchant != null) return;
    ReplayData d = r.data();
    int[] m = new int[d.size];
    byte[] s = new byte[d.size];
    Map<String, Integer> ids = new HashMap<>();
    try (CsvReader csv = new CsvReader(o.input())) {
      int cId = csv.column(o.mapping().eventId()), cMerchant = csv.column(o.mapping().merchantId());
      int cScenario = csv.column("TX_FRAUD_SCENARIO");
      String[] row;
      for (int i = 0; i < d.size; i++) {
        row = csv.next();
        if (row == null || !d.eventId[i].equals(o.mapping().eventIdPrefix() + row[cId])) {
          throw new IllegalStateException("side table out of step with the replay at row " + i);
        }
        m[i] = ids.computeIfAbsent(row[cMerchant], k -> ids.size());
        s[i] = Byte.parseByte(row[cScenario].trim());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    merchant = m;
    scenario = s;
  }

  /** Forgets what was cached for another replay. */
  private static void forReplay(Replay.Result r) {
    if (cachedFor == r) return;
    cachedFor = r;
    merchant = null;
    scenario = null;
    columns.clear();
  }

  static synchronized float[] column(Replay.Result r, ReplayOptions o, FeatureSchema schema, String name) {
    forReplay(r);
    float[] cached = columns.get(name);
    if (cached != null) return cached;
    load(r, o);
    ReplayData d = r.data();
    float[] spike = new float[d.size], one = new float[d.size], knownCard = new float[d.size], knownMerchant = new float[d.size];
    float[] ratio = new float[d.size];
    int cOld = schema.indexOf("amount_to_account_mean_8_30d"), cPrev = schema.indexOf("amount_to_account_prev_mean_30d");
    int cKnownCard = schema.indexOf("account_known_fraud_30d"), cKnownMerchant = schema.indexOf("merchant_known_fraud_28d");
    for (int i = 0; i < d.size; i++) {
      float old = d.features[i * d.featureCount + cOld], prev = d.features[i * d.featureCount + cPrev];
      ratio[i] = old > 0 ? old : prev;
      spike[i] = ratio[i] >= SPIKE ? 1 : 0;
      one[i] = 1;
      knownCard[i] = d.features[i * d.featureCount + cKnownCard] > 0 ? 1 : 0;
      knownMerchant[i] = d.features[i * d.featureCount + cKnownMerchant] > 0 ? 1 : 0;
    }
    float[] out = switch (name) {
      case "x_card_spikes_1d" -> windowSum(d, d.account, spike, DAY, false);
      case "x_card_spikes_7d" -> windowSum(d, d.account, spike, 7 * DAY, false);
      case "x_card_spike_frac_7d" -> {
        float[] s = windowSum(d, d.account, spike, 7 * DAY, false), n = windowSum(d, d.account, one, 7 * DAY, false);
        for (int i = 0; i < s.length; i++) s[i] = n[i] == 0 ? 0 : s[i] / n[i];
        yield s;
      }
      case "x_merchant_known_card_txs_1d" -> windowSum(d, merchant, knownCard, DAY, false);
      case "x_merchant_known_card_txs_7d" -> windowSum(d, merchant, knownCard, 7 * DAY, false);
      case "x_card_known_merchant_txs_7d" -> windowSum(d, d.account, knownMerchant, 7 * DAY, false);
      case "x_card_count_today_before" -> {
        float[] n = windowSum(d, d.account, one, DAY, false);
        for (int i = 0; i < n.length; i++) n[i] -= 1;
        yield n;
      }
      case "x_card_max_ratio_1d" -> windowSum(d, d.account, ratio, DAY, true);
      case "x_merchant_last5_labelled_fraud", "x_merchant_fraud_streak", "x_merchant_ratio_since_first_fraud_56d" -> {
        float[][] m = merchantLabelHistory(d, o.labelDelayMillis());
        columns.put("x_merchant_last5_labelled_fraud", m[0]);
        columns.put("x_merchant_fraud_streak", m[1]);
        columns.put("x_merchant_ratio_since_first_fraud_56d", m[2]);
        yield columns.get(name);
      }
      default -> throw new IllegalArgumentException(name);
    };
    columns.put(name, out);
    return out;
  }

  /**
   * The terminal's labels known at each row's time (a row's label is known {@code delay} after its event, as the
   * replay feeds the label store): the fraud share of its last 5 labelled transactions, the length of its latest
   * run of labelled frauds, and the fraud share of its labelled transactions since its first labelled fraud of the
   * last 56 days (0 without one).
   */
  static float[][] merchantLabelHistory(ReplayData d, long delay) {
    int n = d.size, keys = 0;
    for (int i = 0; i < n; i++) keys = Math.max(keys, merchant[i] + 1);
    int[] start = new int[keys + 1];
    for (int i = 0; i < n; i++) start[merchant[i] + 1]++;
    for (int k = 0; k < keys; k++) start[k + 1] += start[k];
    int[] fill = Arrays.copyOf(start, keys), order = new int[n];
    for (int i = 0; i < n; i++) order[fill[merchant[i]]++] = i;
    float[] last5 = new float[n], streak = new float[n], since = new float[n];
    for (int k = 0; k < keys; k++) {
      int a = start[k], b = start[k + 1];
      int[] prefix = new int[b - a + 1];
      for (int p = a; p < b; p++) prefix[p - a + 1] = prefix[p - a] + (d.truth[order[p]] ? 1 : 0);
      int q = a, f = a, run = 0;
      for (int p = a; p < b; p++) {
        int i = order[p];
        long t = d.timeMillis[i];
        while (q < p && d.timeMillis[order[q]] + delay <= t) {
          run = d.truth[order[q]] ? run + 1 : 0;
          q++;
        }
        int m = Math.min(5, q - a);
        last5[i] = m == 0 ? 0 : (prefix[q - a] - prefix[q - a - m]) / (float) m;
        streak[i] = run;
        while (f < q && (d.timeMillis[order[f]] <= t - 56 * DAY || !d.truth[order[f]])) f++;
        since[i] = f < q ? (prefix[q - a] - prefix[f - a]) / (float) (q - f) : 0;
      }
    }
    return new float[][] {last5, streak, since};
  }

  /** Per row i: the sum (or max) of value over the rows j ≤ i of the same key with time in (t_i − w, t_i]. */
  static float[] windowSum(ReplayData d, int[] key, float[] value, long w, boolean max) {
    int n = d.size, keys = 0;
    for (int i = 0; i < n; i++) keys = Math.max(keys, key[i] + 1);
    int[] start = new int[keys + 1];
    for (int i = 0; i < n; i++) start[key[i] + 1]++;
    for (int k = 0; k < keys; k++) start[k + 1] += start[k];
    int[] fill = Arrays.copyOf(start, keys), order = new int[n];
    for (int i = 0; i < n; i++) order[fill[key[i]]++] = i;
    float[] out = new float[n];
    for (int k = 0; k < keys; k++) {
      int lo = start[k];
      double sum = 0;
      for (int p = start[k]; p < start[k + 1]; p++) {
        int i = order[p];
        sum += value[i];
        while (d.timeMillis[order[lo]] <= d.timeMillis[i] - w) sum -= value[order[lo++]];
        if (max) {
          float m = Float.NEGATIVE_INFINITY;
          for (int q = lo; q <= p; q++) m = Math.max(m, value[order[q]]);
          out[i] = m;
        } else {
          out[i] = (float) sum;
        }
      }
    }
    return out;
  }

  private static void addProfile(double[] acc, ReplayData d, int i, FeatureSchema schema, String[] names) {
    for (int f = 0; f < names.length; f++) acc[f] += d.features[i * d.featureCount + schema.indexOf(names[f])];
    acc[names.length]++;
  }

  /** Ceilings: CP@100 if every fraud card were ranked first, and if only the "detectable" ones were (analysis only). */
  static String oracles(Replay.Result r, long[] days, long[] cards, double[] score, boolean[] y, List<Integer> rows, FeatureSchema schema) {
    ReplayData d = r.data();
    int cMk = schema.indexOf("merchant_known_fraud_28d");
    double[] all = new double[score.length], detectable = new double[score.length];
    for (int k = 0; k < score.length; k++) {
      int i = rows.get(k);
      all[k] = y[k] ? 2 + score[k] : score[k];
      boolean seen = scenario[i] != 2 || d.features[i * d.featureCount + cMk] > 0;
      detectable[k] = y[k] && seen ? 2 + score[k] : score[k];
    }
    return String.format("oracle CP@100: all fraud first %.4f, detectable fraud (s1, s3, s2 at a terminal with known fraud) first %.4f",
        io.vigil.engine.evaluation.CardPrecision.atK(days, cards, all, y, Evaluation.CARD_PRECISION_K).mean(),
        io.vigil.engine.evaluation.CardPrecision.atK(days, cards, detectable, y, Evaluation.CARD_PRECISION_K).mean());
  }

  /**
   * The CP@100 day by day for one validation week, as {@code CardPrecision} computes it, with what the
   * top 100 and the missed fraud cards look like. Lines start with DIAG (per day) and DIAGW (week).
   */
  static void diagnose(Replay.Result r, ReplayOptions o, FeatureSchema schema, long week, List<Integer> rows, double[] score,
      PrintStream out) {
    load(r, o);
    ReplayData d = r.data();
    int fc = d.featureCount;
    int cAmount = schema.indexOf("amount_major"), cMk = schema.indexOf("merchant_known_fraud_28d");
    int cSpan = schema.indexOf("merchant_days_since_first_known_fraud_56d"), cLast = schema.indexOf("merchant_days_since_last_known_fraud_56d");
    int cMax7 = schema.indexOf("account_max_7d_to_mean_8_30d"), cOld = schema.indexOf("amount_to_account_mean_8_30d");
    int cPrev = schema.indexOf("amount_to_account_prev_mean_30d");
    Map<Long, List<Integer>> byDay = new HashMap<>();
    for (int k = 0; k < rows.size(); k++) byDay.computeIfAbsent(Math.floorDiv(d.timeMillis[rows.get(k)], DAY), x -> new ArrayList<>()).add(k);
    long[] days = byDay.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
    Set<Integer> detected = new HashSet<>();
    int[] wFraud = new int[4], wHit = new int[4];
    int[][] wMissRank = new int[4][5]; // 101-200, 201-500, 501-2000, >2000, (unused)
    int[] missS2Known = new int[2], missS3Spike = new int[2], hitS2Known = new int[2];
    String[] profile = {"merchant_known_fraud_28d", "merchant_known_fraud_ratio_28d", "merchant_days_since_first_known_fraud_56d",
        "merchant_days_since_last_known_fraud_56d", "merchant_fraud_ratio_1d_lagged", "merchant_fraud_ratio_7d_lagged", "amount_major"};
    double[][] prof = new double[3][profile.length + 1]; // FP at known terminal, missed s2 known, hit s2 known
    int[] fpKind = new int[5]; // terminal with known fraud, spike ≥ 2.5, amount ≥ 150, other, total
    double fpAmount = 0, fpSpan = 0;
    int fpSpanN = 0;
    for (long day : days) {
      Map<Integer, int[]> cards = new HashMap<>(); // card → {best k, best fraud k (−1)}
      for (int k : byDay.get(day)) {
        int card = d.account[rows.get(k)];
        if (detected.contains(card)) continue;
        int[] c = cards.computeIfAbsent(card, x -> new int[] {k, -1});
        if (score[k] > score[c[0]]) c[0] = k;
        if (d.truth[rows.get(k)] && (c[1] < 0 || score[k] > score[c[1]])) c[1] = k;
      }
      Integer[] ranked = cards.keySet().toArray(new Integer[0]);
      Arrays.sort(ranked, (a, b) -> {
        int bySc = Double.compare(score[cards.get(b)[0]], score[cards.get(a)[0]]);
        return bySc != 0 ? bySc : Integer.compare(a, b);
      });
      int[] dFraud = new int[4], dHit = new int[4];
      for (int rank = 0; rank < ranked.length; rank++) {
        int[] c = cards.get(ranked[rank]);
        if (c[1] >= 0) {
          int i = rows.get(c[1]);
          int sc = Math.min(3, scenario[i]);
          dFraud[sc]++;
          wFraud[sc]++;
          if (sc == 2 && d.features[i * fc + cMk] > 0) addProfile(prof[rank < Evaluation.CARD_PRECISION_K ? 2 : 1], d, i, schema, profile);
          if (rank < Evaluation.CARD_PRECISION_K) {
            if (sc == 2) hitS2Known[d.features[i * fc + cMk] > 0 ? 1 : 0]++;
            dHit[sc]++;
            wHit[sc]++;
            detected.add(ranked[rank]);
          } else {
            wMissRank[sc][rank < 200 ? 0 : rank < 500 ? 1 : rank < 2000 ? 2 : 3]++;
            if (sc == 2) missS2Known[d.features[i * fc + cMk] > 0 ? 1 : 0]++;
            if (sc == 3) {
              double ratio = d.features[i * fc + cOld] > 0 ? d.features[i * fc + cOld] : d.features[i * fc + cPrev];
              missS3Spike[ratio >= SweepExtras.SPIKE ? 1 : 0]++;
            }
          }
        } else if (rank < Evaluation.CARD_PRECISION_K) {
          int i = rows.get(c[0]);
          double ratio = d.features[i * fc + cOld] > 0 ? d.features[i * fc + cOld] : d.features[i * fc + cPrev];
          fpKind[4]++;
          fpAmount += d.features[i * fc + cAmount];
          if (d.features[i * fc + cMk] > 0) {
            addProfile(prof[0], d, i, schema, profile);
            fpKind[0]++;
            fpSpan += d.features[i * fc + cSpan];
            fpSpanN++;
          } else if (ratio >= SweepExtras.SPIKE || d.features[i * fc + cMax7] >= SweepExtras.SPIKE) {
            fpKind[1]++;
          } else if (d.features[i * fc + cAmount] >= 150) {
            fpKind[2]++;
          } else {
            fpKind[3]++;
          }
        }
      }
      int hits = dHit[1] + dHit[2] + dHit[3];
      out.printf("DIAG\t%s\tfraud cards %d (s1 %d, s2 %d, s3 %d)\thits %d (s1 %d, s2 %d, s3 %d)\tcards %d%n",
          Evaluation.date(day * DAY), dFraud[1] + dFraud[2] + dFraud[3], dFraud[1], dFraud[2], dFraud[3], hits, dHit[1], dHit[2],
          dHit[3], ranked.length);
    }
    out.printf("DIAGW\t%s\tfraud cards s1 %d s2 %d s3 %d\thits s1 %d s2 %d s3 %d%n", Evaluation.date(week), wFraud[1], wFraud[2],
        wFraud[3], wHit[1], wHit[2], wHit[3]);
    for (int sc = 1; sc <= 3; sc++) {
      out.printf("DIAGW\t%s\tmissed s%d by rank 101-200 %d, 201-500 %d, 501-2000 %d, >2000 %d%n", Evaluation.date(week), sc,
          wMissRank[sc][0], wMissRank[sc][1], wMissRank[sc][2], wMissRank[sc][3]);
    }
    out.printf("DIAGW\t%s\tmissed s2: terminal known fraud %d, unknown %d; missed s3: spike %d, no spike %d%n", Evaluation.date(week),
        missS2Known[1], missS2Known[0], missS3Spike[1], missS3Spike[0]);
    out.printf("DIAGW\t%s\thit s2: terminal known fraud %d, unknown %d%n", Evaluation.date(week), hitS2Known[1], hitS2Known[0]);
    String[] what = {"FP at known-fraud terminal", "missed s2 at known-fraud terminal", "hit s2 at known-fraud terminal"};
    for (int g = 0; g < 3; g++) {
      StringBuilder b = new StringBuilder();
      for (int f = 0; f < profile.length; f++) b.append(String.format(" %s=%.3f", profile[f], prof[g][f] / Math.max(1, prof[g][profile.length])));
      out.printf("DIAGW\t%s\t%s (n=%d) means:%s%n", Evaluation.date(week), what[g], (int) prof[g][profile.length], b);
    }
    out.printf("DIAGW\t%s\tfalse positives in top 100: %d (terminal with known fraud %d [mean days since first %.1f], spike %d, "
        + "amount>=150 %d, other %d), mean amount %.1f%n", Evaluation.date(week), fpKind[4], fpKind[0], fpSpanN == 0 ? 0 : fpSpan / fpSpanN,
        fpKind[1], fpKind[2], fpKind[3], fpKind[4] == 0 ? 0 : fpAmount / fpKind[4]);
    out.flush();
  }
}
