package io.vigil.eval;

import io.vigil.engine.Engine;
import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.label.Label;
import io.vigil.engine.label.LabelStore;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.model.CombinationLearner;
import io.vigil.engine.model.LightGbmModel;
import io.vigil.engine.model.LightGbmTrainer;
import io.vigil.engine.model.ModelFeatures;
import io.vigil.engine.model.ModelOutcome;
import io.vigil.engine.model.ModelRegistry;
import io.vigil.engine.model.ModelTraining;
import io.vigil.engine.model.ScoreCombination;
import io.vigil.engine.policy.CompiledPolicy;
import io.vigil.engine.policy.Decision;
import io.vigil.engine.policy.DefaultPolicyPack;
import io.vigil.engine.policy.PolicyDocument;
import io.vigil.engine.rule.RuleCompileException;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Runs a CSV of past events through the same engine the server uses, in time order, as if live:
 * <ol>
 *   <li>each row becomes an event body, parsed by {@link EventParser} and decided by
 *       {@link Engine#decide} under the default policy (blend weights from the options);</li>
 *   <li>inside the decision, the engine computes the model vector from its windows and the labels
 *       known at that moment, scores it with the live model (and the shadow one) and blends it with
 *       the rules, as the server does: the replay's label store and models are the engine's;</li>
 *   <li>the row's label enters the label store through {@link LabelStore#ingest} only when the
 *       simulated clock reaches the row's time plus the label delay;</li>
 *   <li>at each retraining time T the model is retrained on the rows whose labels are known at T,
 *       off the decision thread, and swapped in atomically; the previous live model becomes the shadow.</li>
 * </ol>
 * The truth column is kept aside for the final report only.
 */
final class Replay {
  /** Labels in flight (not yet known) at most: a week of a busy stream. */
  static final int PENDING_LABELS_MAX = 5_000_000;
  private static final long SWEEP_EVERY_MILLIS = ReplayOptions.DAY_MILLIS;
  private static final long LABEL_RETENTION_MILLIS = 180 * ReplayOptions.DAY_MILLIS;

  record Retraining(long atMillis, String modelId, int trainRows, long trainPositives, Map<String, String> params,
      List<Double> validationAp, int folds, double seconds, Map<String, Double> combinationValidation) {}

  /** {@code ruleHits} is null without a candidate policy. */
  record Result(ReplayData data, List<String> modelIds, List<Retraining> retrainings, long rows, double seconds,
      double decideSeconds, PolicyDocument policy, LabelStore labels, Map<Integer, String> accountNames, RuleHits ruleHits) {}

  private final ReplayOptions options;
  private final PrintStream progress;
  private final Engine engine;
  /** Decides every event with the candidate policy, on its own state (windows, limits, restrictions); null without one. */
  private final Engine candidateEngine;
  private final RuleHits ruleHits;
  private final LabelStore labels;
  private final ModelRegistry registry = new ModelRegistry();
  private final PolicyDocument policy;
  private final ReplayData data;
  private final Retrainer retrainer;
  private final Map<String, Integer> accountIds = new HashMap<>();
  private final Map<String, Integer> merchantIds = new HashMap<>();
  private final ArrayDeque<Label> pending = new ArrayDeque<>();
  private final List<String> modelIds = new ArrayList<>();
  private final List<Retraining> retrainings = new ArrayList<>();

  Replay(ReplayOptions options, PrintStream progress) {
    this.options = options;
    this.progress = progress;
    this.engine = new Engine(FeatureConfig.defaults(), new ListIndex());
    PolicyDocument d = DefaultPolicyPack.document();
    this.policy = new PolicyDocument(d.version(), d.rules(), d.defaultThresholds(), d.thresholdsByType(),
        1 - options.modelWeight(), options.modelWeight(), d.defaultTimezone(), d.scorecards(), d.holds());
    engine.install(CompiledPolicy.compile(policy, engine.compiler()));
    io.vigil.engine.event.EventType type = io.vigil.engine.event.EventType.fromWire(options.mapping().type());
    if (type == null || !type.movesMoney()) {
      throw new IllegalArgumentException("the mapping's type must move money (payment, transfer, withdrawal, refund): the model scores those");
    }
    this.labels = new LabelStore(LABEL_RETENTION_MILLIS, 50_000_000);
    engine.install(labels, options.labelDelayMillis());
    engine.install(registry);
    if (options.candidatePolicy() == null) {
      this.candidateEngine = null;
      this.ruleHits = null;
    } else {
      this.candidateEngine = new Engine(FeatureConfig.defaults(), new ListIndex());
      try {
        candidateEngine.install(CompiledPolicy.compile(options.candidatePolicy().applyTo(policy), candidateEngine.compiler()));
      } catch (RuleCompileException e) {
        throw new IllegalArgumentException("--candidate-policy: " + e.withRuleId());
      }
      candidateEngine.install(labels, options.labelDelayMillis());
      candidateEngine.install(registry);
      this.ruleHits = new RuleHits();
    }
    this.data = new ReplayData(ModelFeatures.SCHEMA.size(), 1 << 16, candidateEngine != null);
    this.retrainer = new Retrainer(data, labels, ModelFeatures.SCHEMA,
        Retrainer.grid(options.trainLookbackMillis() / ReplayOptions.DAY_MILLIS));
  }

  Result run() throws IOException, InterruptedException, ExecutionException {
    ColumnMapping m = options.mapping();
    long started = System.nanoTime();
    long decideNanos = 0;
    long inputBytes = Files.size(options.input());
    try (CsvReader csv = new CsvReader(options.input()); ModelTraining training = new ModelTraining(registry)) {
      int cId = csv.column(m.eventId()), cTime = csv.column(m.occurredAt()), cAccount = csv.column(m.accountId());
      int cMerchant = m.merchantId() == null ? -1 : csv.column(m.merchantId());
      int cAmount = csv.column(m.amount());
      int cLabel = m.label() == null ? -1 : csv.column(m.label());
      int digits = java.util.Currency.getInstance(m.currency()).getDefaultFractionDigits();
      long nextRetrain = Long.MIN_VALUE, nextSweep = Long.MIN_VALUE, lastTime = Long.MIN_VALUE;
      String[] row;
      while ((row = csv.next()) != null) {
        if (options.rowsMax() > 0 && data.size >= options.rowsMax()) break;
        long t = parseTime(row[cTime], csv.lineNumber());
        if (t < lastTime) throw new IOException("line " + csv.lineNumber() + ": rows must be in time order (replay never reorders)");
        lastTime = t;
        if (nextRetrain == Long.MIN_VALUE) nextRetrain = firstRetrainAtOrAfter(t);
        feedLabelsUpTo(t);
        if (t >= nextSweep) {
          labels.sweep(t);
          engine.features().sweep(t);
          if (candidateEngine != null) candidateEngine.features().sweep(t);
          nextSweep = t + SWEEP_EVERY_MILLIS;
        }
        while (options.retrainEveryMillis() > 0 && t >= nextRetrain) {
          retrain(nextRetrain, training);
          nextRetrain += options.retrainEveryMillis();
        }
        String eventId = m.eventIdPrefix() + row[cId];
        String merchant = cMerchant < 0 ? null : row[cMerchant];
        long amountMinor = amountMinor(row[cAmount], digits, csv.lineNumber());
        long t0 = System.nanoTime();
        Event event = EventParser.parse(body(eventId, t, row[cAccount], merchant, amountMinor));
        Decision decision = engine.decide(event, t);
        decideNanos += System.nanoTime() - t0;
        boolean fraud = cLabel >= 0 && parseFlag(row[cLabel], csv.lineNumber());
        int i = record(event, decision, fraud, amountMinor / Math.pow(10, digits));
        if (candidateEngine != null) {
          Decision candidate = candidateEngine.decide(event, t);
          data.candidateAction[i] = (byte) candidate.action().ordinal();
          data.candidateScore[i] = (byte) candidate.score();
          ruleHits.add(decision, candidate, fraud);
        }
        if (cLabel >= 0) {
          if (pending.size() >= PENDING_LABELS_MAX) throw new IllegalStateException("more than " + PENDING_LABELS_MAX + " labels in flight");
          pending.add(Label.ofFlag("label-" + eventId, eventId, fraud, event.accountId(), merchant, t, t + options.labelDelayMillis()));
        }
        if (options.progress() && data.size % 100_000 == 0) progress(started, t, inputBytes);
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    if (options.progress()) progress.printf("%nreplay: %,d rows in %.1f s (%,.0f events/s)%n", data.size, seconds, data.size / seconds);
    closeModels();
    Map<Integer, String> names = new HashMap<>();
    accountIds.forEach((name, id) -> names.put(id, name));
    return new Result(data, modelIds, retrainings, data.size, seconds, decideNanos / 1e9, policy, labels, names, ruleHits);
  }

  private Map<String, Object> body(String eventId, long t, String account, String merchant, long amountMinor) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event_id", eventId);
    body.put("type", options.mapping().type());
    body.put("occurred_at", Instant.ofEpochMilli(t).toString());
    body.put("account_id", account);
    if (merchant != null) body.put("merchant_id", merchant);
    body.put("amount", amountMinor);
    body.put("currency", options.mapping().currency());
    return body;
  }

  private int record(Event event, Decision decision, boolean fraud, double amountMajor) {
    ModelOutcome model = decision.model();
    double[] vector = model.features();
    int i = data.add();
    int base = i * data.featureCount;
    for (int f = 0; f < data.featureCount; f++) data.features[base + f] = (float) vector[f];
    data.timeMillis[i] = event.occurredAtMillis();
    data.account[i] = accountIds.computeIfAbsent(event.accountId(), k -> accountIds.size());
    data.eventId[i] = event.eventId();
    data.truth[i] = fraud;
    data.probability[i] = (float) model.probability();
    data.challengerProbability[i] = (float) model.challengerProbability();
    data.blendedScore[i] = (byte) decision.score();
    data.rulesScore[i] = (byte) decision.rulesScore();
    data.action[i] = (byte) decision.action().ordinal();
    data.modelIndex[i] = (short) (model.modelId() == null ? -1 : modelIds.indexOf(model.modelId()));
    data.combined[i] = model.combinedProbability();
    data.forced[i] = decision.action().compareTo(policy.thresholdsFor(event.type()).action(decision.score())) > 0;
    data.merchant[i] = event.merchantId() == null ? -1 : merchantIds.computeIfAbsent(event.merchantId(), k -> merchantIds.size());
    data.amountMajor[i] = (float) amountMajor;
    return i;
  }

  private void feedLabelsUpTo(long t) {
    while (!pending.isEmpty() && pending.peekFirst().knownAtMillis() <= t) labels.ingest(pending.pollFirst());
  }

  private long firstRetrainAtOrAfter(long t) {
    long every = options.retrainEveryMillis();
    if (every == 0) return Long.MAX_VALUE;
    long anchor = options.retrainAnchorMillis();
    return anchor - Math.floorDiv(anchor - t, every) * every;
  }

  /** Trains at simulated time T while the stream waits (as a decision thread would not: it keeps the old model). */
  private void retrain(long tMillis, ModelTraining training) throws InterruptedException, ExecutionException {
    feedLabelsUpTo(tMillis);
    long started = System.nanoTime();
    Retrainer.Selection selection = options.selectionFolds() == 0 ? new Retrainer.Selection(-1, List.of(), 0)
        : retrainer.select(tMillis, options.labelDelayMillis(), options.retrainEveryMillis(), options.selectionFolds());
    // Without a selection (no folds, or too little history yet) the first grid entry applies (one labelled week).
    boolean selected = selection.chosen() >= 0 && selection.folds() > 0;
    Retrainer.Candidate candidate = retrainer.grid().get(selected ? selection.chosen() : 0);
    long lookbackMillis = candidate.lookbackDays() * ReplayOptions.DAY_MILLIS;
    LightGbmTrainer.TrainingSet set = retrainer.trainingSet(tMillis - lookbackMillis, tMillis, tMillis);
    if (set == null) return;
    Map<String, String> params = new LinkedHashMap<>(candidate.params());
    Map<String, Double> combinationValidation = Map.of();
    ScoreCombination learned = null;
    if (options.learnedCombination()) {
      long window = options.retrainEveryMillis() > 0 ? options.retrainEveryMillis() : 7 * ReplayOptions.DAY_MILLIS;
      CombinationLearner.Result combination = retrainer.combination(tMillis, options.labelDelayMillis(), window);
      learned = combination.combination();
      params.putAll(learned.toParams());
      combinationValidation = combination.validation();
    }
    String id = Retrainer.modelId(tMillis);
    io.vigil.engine.model.Model previous = registry.champion();
    LightGbmModel model = training.trainAndActivate(set, params, id, tMillis, m -> true).get();
    io.vigil.engine.model.Model oldShadow = registry.shadow(previous);
    if (oldShadow != null) oldShadow.close();
    modelIds.add(id);
    if (learned != null) rescoreRecent(model, learned, tMillis);
    double seconds = (System.nanoTime() - started) / 1e9;
    Map<String, String> recorded = new LinkedHashMap<>(model.metadata().params());
    recorded.put("lookback_days", Long.toString(lookbackMillis / ReplayOptions.DAY_MILLIS));
    retrainings.add(new Retraining(tMillis, id, set.rows(), set.positives(), recorded, selection.validationAp(),
        selection.folds(), seconds, combinationValidation));
    if (options.modelsDir() != null) {
      try {
        Files.createDirectories(options.modelsDir());
        model.artifact().write(options.modelsDir().resolve(id + ".model"));
      } catch (IOException e) {
        throw new IllegalStateException("cannot write the model artifact: " + e.getMessage(), e);
      }
    }
    if (options.progress()) {
      progress.printf("%nretrained %s on %,d rows (%,d fraud) of %d days, grid entry %d, %.1f s%n", id, set.rows(), set.positives(),
          lookbackMillis / ReplayOptions.DAY_MILLIS, selection.chosen(), seconds);
    }
  }

  /**
   * The new model's acting scores of the events since the previous retraining (they came after its
   * training rows' labels, so they are out of sample): the scale thresholds for it are translated to.
   */
  private void rescoreRecent(LightGbmModel model, ScoreCombination combination, long tMillis) {
    long window = options.retrainEveryMillis() > 0 ? options.retrainEveryMillis() : 7 * ReplayOptions.DAY_MILLIS;
    int first = data.lowerBound(tMillis - window), end = data.lowerBound(tMillis);
    if (end <= first) return;
    int f = data.featureCount;
    double[] x = new double[(end - first) * f];
    for (int k = 0; k < x.length; k++) x[k] = data.features[first * f + k];
    double[] margins = model.margins(x, end - first);
    for (int i = first; i < end; i++) {
      double p = 1 / (1 + Math.exp(-margins[i - first]));
      data.nextModelScore[i] = (byte) ScoreCombination.score(combination.probability(p, data.rulesScore[i], data.forced[i]));
    }
  }

  private void closeModels() {
    io.vigil.engine.model.Model a = registry.activate(null), b = registry.shadow(null);
    if (a != null) a.close();
    if (b != null) b.close();
  }

  private long parseTime(String text, long line) throws IOException {
    try {
      return options.mapping().parseTime(text);
    } catch (IllegalArgumentException e) {
      throw new IOException("line " + line + ": " + e.getMessage());
    }
  }

  private long amountMinor(String text, int digits, long line) throws IOException {
    try {
      BigDecimal amount = new BigDecimal(text.trim());
      if (options.mapping().amountInMajorUnits()) amount = amount.movePointRight(digits);
      return amount.setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IOException("line " + line + ": amount '" + text + "' is not a number of " + (digits == 0 ? "units" : "minor units"));
    }
  }

  private static boolean parseFlag(String text, long line) throws IOException {
    return switch (text.trim()) {
      case "1", "true" -> true;
      case "0", "false" -> false;
      default -> throw new IOException("line " + line + ": label must be 0 or 1");
    };
  }

  private void progress(long startedNanos, long t, long inputBytes) {
    double s = (System.nanoTime() - startedNanos) / 1e9;
    progress.printf("\rreplay: %,d rows, at %s, %,.0f events/s   ", data.size,
        Instant.ofEpochMilli(t).atOffset(ZoneOffset.UTC).toLocalDate(), data.size / Math.max(s, 1e-9));
  }
}
