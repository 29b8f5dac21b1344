package io.vigil.eval;

import io.vigil.engine.evaluation.CardPrecision;
import io.vigil.engine.evaluation.RankingMetrics;
import io.vigil.engine.label.LabelScope;
import io.vigil.engine.label.LabelStore;
import io.vigil.engine.label.Verdict;
import io.vigil.engine.model.FeatureSchema;
import io.vigil.engine.model.LightGbmModel;
import io.vigil.engine.model.LightGbmTrainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validation-only experiments ({@code --sweep FILE}): after a replay, each configuration of the file
 * is trained and scored on earlier "protocol weeks" W, exactly as the handbook protocol does for the
 * test week: train at W on the rows of [W − lookback, W) whose labels are known at W, test on
 * [W, W + 7 d) without the cards whose fraud (on an event since W − 14 d) is known before each day.
 *
 * <p>Honesty by construction: a week is refused unless all its labels are known by the protocol's
 * test start (W + 7 d + delay ≤ test start), so the test week can never steer a choice.
 *
 * <p>File format, one configuration a line ({@code #} comments): {@code name; key=value; ...} where the
 * keys are LightGBM parameters (and {@code rounds}), plus {@code lookback} (days, default 14),
 * {@code seeds} (models averaged, default 1), {@code drop} (comma-separated features left out) or
 * {@code only} (the features kept).
 */
final class Sweep {
  private Sweep() {}

  record Config(String name, Map<String, String> params, int lookbackDays, int seeds, List<String> features, boolean dropKnownCards,
      String weight, List<String> extra, boolean diagnose, String agg) {}

  static List<Config> read(Path file, FeatureSchema schema) throws IOException {
    List<Config> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      line = line.strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      String[] parts = line.split(";");
      Map<String, String> params = new LinkedHashMap<>();
      int lookback = 14, seeds = 1;
      boolean dropKnownCards = false, diagnose = false;
      String weight = "none", agg = "none";
      List<String> extra = new ArrayList<>();
      List<String> features = new ArrayList<>(schema.featureNames());
      for (int k = 1; k < parts.length; k++) {
        String p = parts[k].strip();
        if (p.isEmpty()) continue;
        int eq = p.indexOf('=');
        String key = p.substring(0, eq).strip(), value = p.substring(eq + 1).strip();
        switch (key) {
          case "lookback" -> lookback = Integer.parseInt(value);
          case "seeds" -> seeds = Integer.parseInt(value);
          case "drop_known_cards" -> dropKnownCards = value.equals("1");
          case "weight" -> {
            if (!List.of("none", "card", "cardday", "cardsqrt").contains(value)) throw new IllegalArgumentException("weight: none, card, cardday, cardsqrt");
            weight = value;
          }
          case "diag" -> diagnose = value.equals("1");
          case "agg" -> {
            if (!List.of("none", "noisyor", "noisyor_half").contains(value)) throw new IllegalArgumentException("agg: none, noisyor, noisyor_half");
            agg = value;
          }
          case "extra" -> {
            for (String f : value.split(",")) {
              if (!SweepExtras.NAMES.contains(f.strip())) throw new IllegalArgumentException("unknown extra feature " + f + ", known " + SweepExtras.NAMES);
              extra.add(f.strip());
            }
          }
          case "drop" -> {
            for (String f : value.split(",")) {
              if (!features.remove(f.strip())) throw new IllegalArgumentException("unknown feature " + f);
            }
          }
          case "only" -> {
            features.clear();
            for (String f : value.split(",")) {
              if (schema.indexOf(f.strip()) < 0) throw new IllegalArgumentException("unknown feature " + f);
              features.add(f.strip());
            }
          }
          default -> params.put(key, value);
        }
      }
      out.add(new Config(parts[0].strip(), params, lookback, seeds, features, dropKnownCards, weight, extra, diagnose, agg));
    }
    return out;
  }

  static void run(Replay.Result r, ReplayOptions o, List<Config> configs, List<Long> weeks, FeatureSchema schema, PrintStream out) {
    long day = ReplayOptions.DAY_MILLIS;
    for (long w : weeks) {
      if (o.protocol() != null && w + 7 * day + o.labelDelayMillis() > o.protocol().testFromMillis()) {
        throw new IllegalArgumentException("validation week " + Evaluation.date(w) + " is not fully labelled before the test start");
      }
    }
    ReplayData d = r.data();
    LabelStore labels = r.labels();
    out.println("config\tweek\trows\tfrauds\tauc\tap\tcp100");
    for (Config c : configs) {
      int[] cols = new int[c.features().size()];
      for (int k = 0; k < cols.length; k++) cols[k] = schema.indexOf(c.features().get(k));
      float[][] extras = new float[c.extra().size()][];
      for (int k = 0; k < extras.length; k++) extras[k] = SweepExtras.column(r, o, schema, c.extra().get(k));
      List<String> names = new ArrayList<>(c.features());
      names.addAll(c.extra());
      FeatureSchema sub = new FeatureSchema("sweep", 1, names);
      int width = names.size();
      double sAuc = 0, sAp = 0, sCp = 0;
      int n = 0;
      long started = System.nanoTime();
      for (long w : weeks) {
        List<Integer> trainRows = new ArrayList<>();
        LightGbmTrainer.TrainingSet train = trainingSet(d, labels, sub, cols, extras, w - c.lookbackDays() * day, w, w,
            c.dropKnownCards() ? schema.indexOf("account_known_fraud_30d") : -1, trainRows);
        float[] weights = weights(d, train, trainRows, c.weight());
        // test rows: protocol filtering per day
        List<Integer> rows = new ArrayList<>();
        Map<Integer, Boolean> known = new HashMap<>();
        for (int dd = 0; dd < 7; dd++) {
          long dayStart = w + dd * day;
          known.clear();
          for (int i = d.lowerBound(dayStart), end = d.lowerBound(dayStart + day); i < end; i++) {
            int acc = d.account[i];
            boolean compromised = known.computeIfAbsent(acc,
                k -> labels.counts(LabelScope.ACCOUNT, r.accountNames().get(k), w - 14 * day - 1, dayStart, dayStart).fraud() > 0);
            if (!compromised) rows.add(i);
          }
        }
        double[] x = new double[rows.size() * width];
        boolean[] y = new boolean[rows.size()];
        long[] days = new long[rows.size()], cards = new long[rows.size()];
        for (int k = 0; k < rows.size(); k++) {
          int i = rows.get(k);
          for (int j = 0; j < cols.length; j++) x[k * width + j] = d.features[i * d.featureCount + cols[j]];
          for (int j = 0; j < extras.length; j++) x[k * width + cols.length + j] = extras[j][i];
          y[k] = d.truth[i];
          days[k] = Math.floorDiv(d.timeMillis[i], day);
          cards[k] = d.account[i];
        }
        double[] score = new double[rows.size()];
        for (int s = 0; s < c.seeds(); s++) {
          Map<String, String> p = new LinkedHashMap<>(c.params());
          if (c.seeds() > 1) {
            p.put("seed", Integer.toString(7 + s));
          }
          int[] groups = null;
          if (List.of("lambdarank", "rank_xendcg").contains(p.getOrDefault("objective", ""))) {
            List<Integer> sizes = new ArrayList<>();
            long prev = Long.MIN_VALUE;
            for (int i : trainRows) {
              long dd = Math.floorDiv(d.timeMillis[i], day);
              if (dd != prev) sizes.add(0);
              sizes.set(sizes.size() - 1, sizes.get(sizes.size() - 1) + 1);
              prev = dd;
            }
            groups = sizes.stream().mapToInt(Integer::intValue).toArray();
          }
          try (LightGbmModel m = LightGbmTrainer.train(train, weights, groups, p, "sweep", w)) {
            double[] margins = m.margins(x, rows.size());
            for (int k = 0; k < score.length; k++) score[k] += 1 / (1 + Math.exp(-margins[k])) / c.seeds();
          }
        }
        if (!c.agg().equals("none")) aggregate(score, days, cards, c.agg());
        double auc = RankingMetrics.aucRoc(score, y), ap = RankingMetrics.averagePrecision(score, y);
        double cp = CardPrecision.atK(days, cards, score, y, Evaluation.CARD_PRECISION_K).mean();
        int frauds = 0;
        for (boolean b : y) if (b) frauds++;
        if (c.diagnose()) {
          SweepExtras.diagnose(r, o, schema, w, rows, score, out);
          out.printf("DIAGW\t%s\t%s%n", Evaluation.date(w), SweepExtras.oracles(r, days, cards, score, y, rows, schema));
        }
        out.printf("%s\t%s\t%d\t%d\t%.4f\t%.4f\t%.4f%n", c.name(), Evaluation.date(w), rows.size(), frauds, auc, ap, cp);
        sAuc += auc;
        sAp += ap;
        sCp += cp;
        n++;
      }
      out.printf("MEAN\t%s\t%d weeks\t%.0fs\t%.4f\t%.4f\t%.4f%n", c.name(), n, (System.nanoTime() - started) / 1e9, sAuc / n, sAp / n, sCp / n);
      out.flush();
    }
  }

  private static LightGbmTrainer.TrainingSet trainingSet(ReplayData d, LabelStore labels, FeatureSchema schema, int[] cols,
      float[][] extras, long from, long to, long asOf, int knownCardColumn, List<Integer> kept) {
    int first = d.lowerBound(from), end = d.lowerBound(to);
    int width = cols.length + extras.length;
    double[] x = new double[(end - first) * width];
    float[] y = new float[end - first];
    int n = 0;
    for (int i = first; i < end; i++) {
      Verdict v = labels.verdict(d.eventId[i], asOf);
      if (v == null || v == Verdict.NONE) continue;
      if (knownCardColumn >= 0 && d.features[i * d.featureCount + knownCardColumn] > 0) continue;
      for (int j = 0; j < cols.length; j++) x[n * width + j] = d.features[i * d.featureCount + cols[j]];
      for (int j = 0; j < extras.length; j++) x[n * width + cols.length + j] = extras[j][i];
      kept.add(i);
      y[n++] = v == Verdict.FRAUD ? 1f : 0f;
    }
    return new LightGbmTrainer.TrainingSet(schema, Arrays.copyOf(x, n * width), Arrays.copyOf(y, n), from, to);
  }

  /**
   * A card's risk accumulated over its transactions so far today (past-only: each row sees the same card's earlier
   * rows of the day): {@code noisyor} 1 − Π(1 − p), {@code noisyor_half} the same with the earlier rows' p halved.
   */
  static void aggregate(double[] score, long[] days, long[] cards, String mode) {
    Map<Long, Double> keep = new HashMap<>(); // (card, day) → Π(1 − p) of the earlier rows
    double factor = mode.equals("noisyor_half") ? 0.5 : 1;
    for (int k = 0; k < score.length; k++) {
      long key = cards[k] << 20 | days[k];
      double before = keep.getOrDefault(key, 1.0);
      double p = score[k];
      score[k] = 1 - before * (1 - p);
      keep.put(key, before * (1 - factor * p));
    }
  }

  /**
   * Per-row training weights (null = none): CP@100 counts a card once a day, the loss counts transactions,
   * so a card with many fraud rows weighs more. {@code card}: each fraud row 1 / (the card's fraud rows in the
   * training set); {@code cardday}: per card and day; {@code cardsqrt}: 1 / sqrt of the card's count. Fraud
   * weights are scaled to sum to the number of fraud rows (the class balance is unchanged); legitimate rows weigh 1.
   */
  static float[] weights(ReplayData d, LightGbmTrainer.TrainingSet train, List<Integer> rows, String mode) {
    if (mode.equals("none")) return null;
    float[] y = train.labels();
    Map<Long, Integer> count = new HashMap<>();
    long[] key = new long[y.length];
    for (int k = 0; k < y.length; k++) {
      int i = rows.get(k);
      key[k] = mode.equals("cardday") ? (long) d.account[i] << 20 | Math.floorDiv(d.timeMillis[i], ReplayOptions.DAY_MILLIS) : d.account[i];
      if (y[k] > 0.5f) count.merge(key[k], 1, Integer::sum);
    }
    float[] w = new float[y.length];
    double sum = 0;
    int frauds = 0;
    for (int k = 0; k < y.length; k++) {
      if (y[k] <= 0.5f) continue;
      int n = count.get(key[k]);
      w[k] = (float) (mode.equals("cardsqrt") ? 1 / Math.sqrt(n) : 1.0 / n);
      sum += w[k];
      frauds++;
    }
    for (int k = 0; k < y.length; k++) w[k] = y[k] > 0.5f ? (float) (w[k] * frauds / sum) : 1f;
    return w;
  }
}
