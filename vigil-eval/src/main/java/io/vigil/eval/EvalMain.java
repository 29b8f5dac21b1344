package io.vigil.eval;

import io.vigil.engine.model.ModelFeatures;
import io.vigil.engine.policy.Thresholds;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * {@code vigil replay} and {@code vigil evaluate fdh}: in-process replay of a CSV through the engine,
 * with delayed labels, scheduled retraining and a JSON report.
 */
public final class EvalMain {
  private static final String USAGE = """
      usage:
        vigil replay --input FILE.csv[.gz] --mapping FILE.properties [options]
        vigil evaluate fdh --input transactions.csv.gz [options]
      options:
        --report FILE.json           write the full report (default: none; the summary always prints)
        --label-delay-days N         labels reach Vigil N days after the event (default 7)
        --retrain-every-days N       retrain the model every N days of event time; 0 = never (default 7)
        --retrain-anchor YYYY-MM-DD  one retraining date (default: the test start for fdh, else 7 days after the first row)
        --train-lookback-days N      longest training history the grid may use: rows of the last N days whose label
                                     is known (default 14 = the protocol's one labelled week; 28 adds the 3-week entries)
        --model-weight W             model weight in the blended score, rules get 1-W (default 0.5; used with --combination blend)
        --combination learned|blend  the score the engine acts on: a combination of model, rules and forced actions learned
                                     at each retraining on the validation weeks and carried by the model artifact (default),
                                     or the policy's fixed blend
        --baselines on|off           train the handbook's logistic regression and random forest on this file, week by week (default on)
        --target-review-max R        threshold proposal target: at most this share of events reviewed (default 0.05)
        --target-false-interception-max F   ... at most this share of the intercepted events legitimate (default 0.05)
        --target-deny-false-max F    ... at most this share of the denied events legitimate (default 0.01)
        --propose-thresholds FILE    write a PUT /v1/policy/thresholds body proposed from the last two labelled weeks
        --scores-out FILE.csv.gz     write every event's scores (acting, next model's, rules, baselines) and truth
        --selection-folds N          prequential folds for choosing LightGBM parameters; 0 = fixed (default 2)
        --candidate-thresholds C,R,D backtest challenge/review/deny score thresholds next to the live ones
        --candidate-policy FILE.json backtest a candidate rule set and/or thresholds ({"rules": [...], "thresholds": {...}}
                                     in GET /v1/policy's format): a second engine decides every event with it
        --models-dir DIR             write every trained model artifact there
        --limit N                    stop after N rows
        --quiet                      no progress line
        --sweep FILE                 validation-only experiments after the replay (see Sweep); prints a table, no test week
        --sweep-weeks D1,D2,...      the validation weeks' start dates (default 2018-06-20 .. 2018-07-25, six weeks)
      fdh only:
        --train-from YYYY-MM-DD      (default 2018-07-25)   --test-from YYYY-MM-DD (default 2018-08-08)   --test-days N (default 7)
      """;

  /** The handbook's published test results (AUC ROC, AP, CP@100). */
  static final List<Map<String, Object>> PUBLISHED = List.of(
      published("logistic regression (ch. 3)", 0.871, 0.606, 0.291),
      published("random forest (ch. 3)", 0.867, 0.658, 0.287),
      published("XGBoost (ch. 3)", 0.862, 0.639, 0.273),
      published("XGBoost after prequential model selection (ch. 5)", 0.869, 0.687, 0.303),
      published("balanced bagging (ch. 6)", 0.879, 0.680, 0.305),
      published("feed-forward network (ch. 7)", 0.876, 0.675, 0.303));

  private EvalMain() {}

  public static void main(String[] args) throws Exception {
    try {
      System.exit(run(args, System.out, System.err));
    } catch (IllegalArgumentException e) {
      System.err.println("vigil: " + e.getMessage());
      System.exit(2);
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    if (args.length == 0) {
      err.print(USAGE);
      return 2;
    }
    boolean fdh;
    int i;
    if (args[0].equals("replay")) {
      fdh = false;
      i = 1;
    } else if (args[0].equals("evaluate") && args.length > 1 && args[1].equals("fdh")) {
      fdh = true;
      i = 2;
    } else {
      err.print(USAGE);
      return 2;
    }
    Map<String, String> o = new LinkedHashMap<>();
    for (; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--quiet")) {
        o.put("quiet", "true");
        continue;
      }
      if (!a.startsWith("--") || i + 1 >= args.length) throw new IllegalArgumentException("option " + a + " needs a value\n" + USAGE);
      o.put(a.substring(2), args[++i]);
    }
    String sweepFile = o.remove("sweep");
    String sweepWeeks = o.remove("sweep-weeks");
    boolean baselines = !"off".equals(o.remove("baselines"));
    ThresholdProposal.Target target = new ThresholdProposal.Target(Double.parseDouble(o.getOrDefault("target-review-max", "0.05")),
        Double.parseDouble(o.getOrDefault("target-false-interception-max", "0.05")),
        Double.parseDouble(o.getOrDefault("target-deny-false-max", "0.01")));
    o.remove("target-review-max");
    o.remove("target-false-interception-max");
    o.remove("target-deny-false-max");
    String proposalFile = o.remove("propose-thresholds");
    String scoresFile = o.remove("scores-out");
    ReplayOptions options = options(o, fdh);
    List<Sweep.Config> sweep = sweepFile == null ? null : Sweep.read(Path.of(sweepFile), ModelFeatures.SCHEMA);
    Replay.Result result = new Replay(options, err).run();
    if (sweep != null) {
      List<Long> weeks = new ArrayList<>();
      for (String w : (sweepWeeks == null ? "2018-06-20,2018-06-27,2018-07-04,2018-07-11,2018-07-18,2018-07-25" : sweepWeeks).split(",")) {
        weeks.add(date(w.strip()));
      }
      Sweep.run(result, options, sweep, weeks, ModelFeatures.SCHEMA, out);
      // Interactive experiments: FILE.2, FILE.3, ... run on the same replay as they appear; FILE.end stops.
      for (int k = 2; ; k++) {
        Path next = Path.of(sweepFile + "." + k);
        while (!Files.exists(next) && !Files.exists(Path.of(sweepFile + ".end"))) Thread.sleep(2_000);
        if (!Files.exists(next)) return 0;
        Thread.sleep(500);
        Sweep.run(result, options, Sweep.read(next, ModelFeatures.SCHEMA), weeks, ModelFeatures.SCHEMA, out);
      }
    }
    if (baselines) {
      err.println("training the handbook baselines week by week");
      long period = options.retrainEveryMillis() > 0 ? options.retrainEveryMillis() : 7 * ReplayOptions.DAY_MILLIS;
      HandbookBaselines b = HandbookBaselines.compute(result.data(), options.labelDelayMillis(),
          weekStarts(result.data(), options.retrainAnchorMillis(), period), period);
      result.data().baselineLogistic = b.logistic;
      result.data().baselineForest = b.forest;
    }
    Map<String, Object> report = report(result, options, o.get("input"), target);
    if (proposalFile != null) {
      Map<String, Object> body = proposal(result, options, target);
      Files.writeString(Path.of(proposalFile), Json.write(body), StandardCharsets.UTF_8);
      err.println("threshold proposal written to " + proposalFile + " (apply with PUT /v1/policy/thresholds)");
    }
    if (scoresFile != null) {
      writeScores(result.data(), Path.of(scoresFile));
      err.println("scores written to " + scoresFile);
    }
    if (o.containsKey("report")) {
      Path file = Path.of(o.get("report"));
      Files.writeString(file, Json.write(report), StandardCharsets.UTF_8);
      err.println("report written to " + file);
    }
    Summary.print(report, out);
    return 0;
  }

  private static ReplayOptions options(Map<String, String> o, boolean fdh) throws java.io.IOException {
    List<String> known = new ArrayList<>(List.of("input", "mapping", "report", "label-delay-days", "retrain-every-days",
        "retrain-anchor", "train-lookback-days", "model-weight", "selection-folds", "candidate-thresholds", "candidate-policy", "models-dir",
        "limit", "quiet", "combination"));
    if (fdh) known.addAll(List.of("train-from", "test-from", "test-days"));
    for (String k : o.keySet()) if (!known.contains(k)) throw new IllegalArgumentException("unknown option --" + k + "\n" + USAGE);
    if (!o.containsKey("input")) throw new IllegalArgumentException("--input is required\n" + USAGE);
    Path input = Path.of(o.get("input"));
    if (!Files.isReadable(input)) throw new IllegalArgumentException("cannot read --input " + input);
    ColumnMapping mapping;
    if (o.containsKey("mapping")) mapping = ColumnMapping.read(Path.of(o.get("mapping")));
    else if (fdh) mapping = ColumnMapping.fdh();
    else throw new IllegalArgumentException("--mapping is required for replay\n" + USAGE);
    long day = ReplayOptions.DAY_MILLIS;
    ReplayOptions.Protocol protocol = null;
    long anchor;
    if (fdh) {
      protocol = new ReplayOptions.Protocol(date(o.getOrDefault("train-from", "2018-07-25")),
          date(o.getOrDefault("test-from", "2018-08-08")), Integer.parseInt(o.getOrDefault("test-days", "7")));
      anchor = o.containsKey("retrain-anchor") ? date(o.get("retrain-anchor")) : protocol.testFromMillis();
    } else {
      anchor = o.containsKey("retrain-anchor") ? date(o.get("retrain-anchor")) : Long.MIN_VALUE;
    }
    int[] candidate = null;
    if (o.containsKey("candidate-thresholds")) {
      String[] parts = o.get("candidate-thresholds").split(",");
      candidate = new int[parts.length];
      for (int k = 0; k < parts.length; k++) candidate[k] = Integer.parseInt(parts[k].trim());
    }
    ReplayOptions options = new ReplayOptions(input, mapping, days(o, "label-delay-days", 7), days(o, "retrain-every-days", 7),
        anchor, days(o, "train-lookback-days", 14), Double.parseDouble(o.getOrDefault("model-weight", "0.5")),
        Integer.parseInt(o.getOrDefault("selection-folds", "2")), Long.parseLong(o.getOrDefault("limit", "0")),
        o.containsKey("models-dir") ? Path.of(o.get("models-dir")) : null, protocol, candidate,
        o.containsKey("candidate-policy") ? CandidatePolicy.read(Path.of(o.get("candidate-policy"))) : null, !o.containsKey("quiet"),
        learned(o.getOrDefault("combination", "learned")));
    if (anchor == Long.MIN_VALUE) options = withAnchorAfterFirstRow(options, day);
    return options;
  }

  /** Without an anchor, retrain first one period after the first row's day. */
  private static ReplayOptions withAnchorAfterFirstRow(ReplayOptions o, long day) throws java.io.IOException {
    long first;
    try (CsvReader csv = new CsvReader(o.input())) {
      String[] row = csv.next();
      if (row == null) throw new IllegalArgumentException("--input has no rows");
      first = o.mapping().parseTime(row[csv.column(o.mapping().occurredAt())]);
    }
    long anchor = Math.floorDiv(first, day) * day + Math.max(o.retrainEveryMillis(), day);
    return new ReplayOptions(o.input(), o.mapping(), o.labelDelayMillis(), o.retrainEveryMillis(), anchor, o.trainLookbackMillis(),
        o.modelWeight(), o.selectionFolds(), o.rowsMax(), o.modelsDir(), o.protocol(), o.candidateThresholds(), o.candidatePolicy(),
        o.progress(), o.learnedCombination());
  }

  private static boolean learned(String combination) {
    return switch (combination) {
      case "learned" -> true;
      case "blend" -> false;
      default -> throw new IllegalArgumentException("--combination must be learned or blend");
    };
  }

  /** The weekly entries' start times (as {@link Evaluation#weekly} lays them out). */
  static List<Long> weekStarts(ReplayData d, long anchorMillis, long periodMillis) {
    List<Long> starts = new ArrayList<>();
    if (d.size == 0) return starts;
    long start = anchorMillis - Math.floorDiv(anchorMillis - d.timeMillis[0], periodMillis) * periodMillis;
    if (start > d.timeMillis[0]) start -= periodMillis;
    for (long from = start; from <= d.timeMillis[d.size - 1]; from += periodMillis) starts.add(from);
    return starts;
  }

  /**
   * A {@code PUT /v1/policy/thresholds} body: the live default thresholds, and for the replay's event
   * type the thresholds proposed from the last two weeks whose labels are all known at the end of the
   * replay, translated to the live model's scores of the events it decided
   * ({@link ThresholdProposal#forModel}).
   */
  static Map<String, Object> proposal(Replay.Result r, ReplayOptions o, ThresholdProposal.Target target) {
    ReplayData d = r.data();
    long end = d.timeMillis[d.size - 1], week = 7 * ReplayOptions.DAY_MILLIS;
    int vFirst = d.lowerBound(end - o.labelDelayMillis() - 2 * week), vMid = d.lowerBound(end - o.labelDelayMillis() - week);
    int vEnd = d.lowerBound(end - o.labelDelayMillis());
    if (vEnd <= vFirst) throw new IllegalArgumentException("--propose-thresholds: no labelled events in the last two weeks");
    short live = d.modelIndex[d.size - 1];
    int liveFirst = d.size;
    while (liveFirst > 0 && d.modelIndex[liveFirst - 1] == live) liveFirst--;
    Thresholds liveThresholds = r.policy().defaultThresholds();
    ThresholdProposal.ModelProposal p = ThresholdProposal.forModel(Evaluation.scores(d, vFirst, vMid), Evaluation.truth(d, vFirst, vMid),
        Evaluation.scores(d, vMid, vEnd), Evaluation.truth(d, vMid, vEnd), Evaluation.scores(d, liveFirst, d.size), target,
        liveThresholds.challengeKind());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("default", thresholdsJson(liveThresholds));
    body.put(o.mapping().type(), thresholdsJson(p.thresholds()));
    return body;
  }

  /**
   * One line per replayed event, for analysis outside the replay: time, the model that decided it,
   * the acting score, the next model's acting score (-1: not rescored), the rules' score, whether a
   * rule forced the action, the baselines' scores (empty without them) and the truth.
   */
  static void writeScores(ReplayData d, Path file) throws IOException {
    try (Writer w = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.UTF_8))) {
      w.write("time_ms,model,acting_score,next_model_score,rules_score,forced,lr,rf,fraud\n");
      for (int i = 0; i < d.size; i++) {
        String lr = d.baselineLogistic == null || Float.isNaN(d.baselineLogistic[i]) ? "" : Float.toString(d.baselineLogistic[i]);
        String rf = d.baselineForest == null || Float.isNaN(d.baselineForest[i]) ? "" : Float.toString(d.baselineForest[i]);
        w.write(d.timeMillis[i] + "," + d.modelIndex[i] + "," + d.blendedScore[i] + "," + d.nextModelScore[i] + "," + d.rulesScore[i] + ","
            + (d.forced[i] ? 1 : 0) + "," + lr + "," + rf + "," + (d.truth[i] ? 1 : 0) + "\n");
      }
    }
  }

  private static Map<String, Object> thresholdsJson(Thresholds t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("challenge", t.challenge());
    m.put("review", t.review());
    m.put("deny", t.deny());
    m.put("medium", t.medium());
    m.put("high", t.high());
    m.put("critical", t.critical());
    m.put("challenge_kind", t.challengeKind());
    return m;
  }

  /** SHA-256 of the published FDH file (the handbook's daily files joined as docs/evaluation.md shows). */
  static final String PUBLISHED_FDH_SHA256 = "5e2ae6234f8afffd7a6e915e32e2c35e36b2c34528c913c51e7b56196424e4a5";

  static boolean isPublishedFdh(Path input) {
    try (java.io.InputStream in = Files.newInputStream(input)) {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int k; (k = in.read(buffer)) > 0; ) sha.update(buffer, 0, k);
      return java.util.HexFormat.of().formatHex(sha.digest()).equals(PUBLISHED_FDH_SHA256);
    } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
      return false;
    }
  }

  private static long days(Map<String, String> o, String key, int defaultDays) {
    return Long.parseLong(o.getOrDefault(key, Integer.toString(defaultDays))) * ReplayOptions.DAY_MILLIS;
  }

  private static long date(String text) {
    return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  static Map<String, Object> report(Replay.Result r, ReplayOptions o, String inputName) {
    return report(r, o, inputName, new ThresholdProposal.Target(0.05, 0.05, 0.01));
  }

  static Map<String, Object> report(Replay.Result r, ReplayOptions o, String inputName, ThresholdProposal.Target target) {
    Thresholds live = r.policy().defaultThresholds();
    Thresholds candidate = o.candidateThresholds() == null ? null : new Thresholds(o.candidateThresholds()[0],
        o.candidateThresholds()[1], o.candidateThresholds()[2], live.medium(), live.high(), live.critical(), live.challengeKind());
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("input", inputName);
    report.put("rows", r.rows());
    report.put("elapsed_seconds", r.seconds());
    report.put("events_per_second", r.rows() / r.seconds());
    report.put("decide_and_score_micros_per_event", r.decideSeconds() * 1e6 / Math.max(1, r.rows()));
    report.put("label_delay_days", o.labelDelayMillis() / ReplayOptions.DAY_MILLIS);
    report.put("retrain_every_days", o.retrainEveryMillis() / ReplayOptions.DAY_MILLIS);
    report.put("train_lookback_days", o.trainLookbackMillis() / ReplayOptions.DAY_MILLIS);
    report.put("selection_folds", o.selectionFolds());
    report.put("blend", Map.of("rules_weight", r.policy().rulesWeight(), "model_weight", r.policy().modelWeight()));
    report.put("combination", o.learnedCombination() ? "learned" : "blend");
    report.put("threshold_target", Map.of("review_max", target.reviewMax(), "false_interception_max", target.falseInterceptionMax(),
        "deny_false_max", target.denyFalseMax()));
    report.put("feature_schema", ModelFeatures.SCHEMA.id());
    report.put("features", ModelFeatures.SCHEMA.featureNames());
    if (o.protocol() != null) {
      Map<String, Object> p = Evaluation.protocol(r.data(), o.protocol(), Evaluation.LabelStoreView.of(r.labels()), r.modelIds(),
          candidate, r.accountNames());
      report.put("auc_roc", p.get("auc_roc"));
      report.put("average_precision", p.get("average_precision"));
      report.put("card_precision_at_100", p.get("card_precision_at_100"));
      report.put("protocol", p);
      if (isPublishedFdh(o.input())) report.put("published", PUBLISHED);
    }
    long period = o.retrainEveryMillis() > 0 ? o.retrainEveryMillis() : 7 * ReplayOptions.DAY_MILLIS;
    List<Map<String, Object>> weeks = Evaluation.weekly(r.data(), o.retrainAnchorMillis(), period, r.modelIds(), candidate);
    List<Long> starts = weekStarts(r.data(), o.retrainAnchorMillis(), period);
    for (int k = 0; k < weeks.size(); k++) {
      Map<String, Object> t = Evaluation.thresholdBacktest(r.data(), starts.get(k), period, o.labelDelayMillis(), target, live.challengeKind());
      if (!t.isEmpty()) weeks.get(k).put("threshold_proposal", t);
    }
    report.put("weeks", weeks);
    List<Map<String, Object>> retrainings = new ArrayList<>();
    for (Replay.Retraining t : r.retrainings()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("at", java.time.Instant.ofEpochMilli(t.atMillis()).toString());
      m.put("model_id", t.modelId());
      m.put("train_rows", t.trainRows());
      m.put("train_frauds", t.trainPositives());
      m.put("params", new LinkedHashMap<>(t.params()));
      m.put("validation_average_precision_per_grid_entry", t.validationAp());
      m.put("validation_folds", t.folds());
      m.put("seconds", t.seconds());
      if (!t.combinationValidation().isEmpty()) m.put("combination_validation", t.combinationValidation());
      retrainings.add(m);
    }
    report.put("retrainings", retrainings);
    if (r.ruleHits() != null) {
      List<Integer> all = new ArrayList<>(r.data().size);
      for (int k = 0; k < r.data().size; k++) all.add(k);
      report.put("overall", Evaluation.metrics(r.data(), all, candidate));
      report.put("rule_hits", r.ruleHits().report());
    }
    return report;
  }

  private static Map<String, Object> published(String model, double auc, double ap, double cp) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", model);
    m.put("auc_roc", auc);
    m.put("average_precision", ap);
    m.put("card_precision_at_100", cp);
    return m;
  }
}
