package io.vigil.server.model;

import io.vigil.engine.evaluation.RankingMetrics;
import io.vigil.engine.label.Verdict;
import io.vigil.engine.model.FeatureSchema;
import io.vigil.engine.model.LightGbmModel;
import io.vigil.engine.model.LightGbmTrainer;
import io.vigil.engine.model.Model;
import io.vigil.engine.model.ModelArtifact;
import io.vigil.engine.model.ModelFeatures;
import io.vigil.engine.model.ModelMetadata;
import io.vigil.engine.model.ModelRegistry;
import io.vigil.engine.model.OnnxModel;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import io.vigil.server.api.TimeCursor;
import io.vigil.server.decision.DecisionPipeline;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Models (D4): trains LightGBM on the stored feature vectors and the labels known now, takes ONNX
 * models trained elsewhere, stores every artifact with its metadata and metrics, and makes one the
 * live model and one the shadow.
 *
 * <h2>Threads</h2>
 * Training runs on its own thread ({@code vigil-training}), never on the decision sequencer. A
 * role change loads the model first, stores the role, then swaps it into the shared
 * {@link ModelRegistry} on the sequencer, between two decisions; the model it replaces is closed
 * there, when no decision can still hold it.
 */
public final class ModelService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ModelService.class);
  static final long DAY_MILLIS = 86_400_000L;
  /** Training windows reach back at most as far as the engine keeps labels. */
  static final long WINDOW_MILLIS_MAX = 60 * DAY_MILLIS;
  static final int TRAINING_ROWS_MAX = 1_000_000;
  /** Share of the window's rows, the newest, held out to measure the model before it is stored. */
  static final double VALIDATION_SHARE = 0.2;
  private static final long TRAINING_TIMEOUT_MINUTES = 10;

  private final ModelRepository models;
  private final DecisionFeatures vectors;
  private final DecisionPipeline pipeline;
  private final ModelRegistry registry;
  private final Clock clock;
  private final ExecutorService training = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "vigil-training");
    t.setDaemon(true);
    return t;
  });

  public ModelService(ModelRepository models, DecisionFeatures vectors, DecisionPipeline pipeline, ModelRegistry registry,
      Clock clock) {
    this.clock = clock;
    this.models = models;
    this.vectors = vectors;
    this.pipeline = pipeline;
    this.registry = registry;
    models.deleteUnreferencedFiles();
    restore(ModelRepository.LIVE);
    restore(ModelRepository.SHADOW);
  }

  /**
   * Puts the stored holder of a role back at start-up. A model this build cannot use (trained on an
   * older feature schema, a body that no longer loads, or a body file missing or damaged) must not keep the server from starting:
   * it becomes inactive, the role stays empty, and the log says why.
   */
  private void restore(String role) {
    models.withRole(role).ifPresent(s -> {
      Model model;
      try {
        model = load(s.modelId());
      } catch (ApiException | IllegalArgumentException | IllegalStateException e) {
        log.warn("the stored {} model {} cannot be used by this build ({}); it is now inactive and no model is {}", role,
            s.modelId(), e.getMessage(), role);
        models.setRole(s.modelId(), ModelRepository.INACTIVE);
        return;
      }
      swap(role, model);
    });
  }

  /** The model that holds a role, if any. */
  public java.util.Optional<ModelRepository.Summary> holder(String role) {
    return models.withRole(role);
  }

  public ModelRegistry registry() {
    return registry;
  }

  /** What a training request asks for. */
  public record TrainingRequest(long fromMillis, long toMillis, long labelDelayMillis, Map<String, String> params, String role) {}

  /**
   * Trains on the vectors decided in [from, to): a row is fraud or legitimate by the verdict known
   * now; a row without a verdict counts as legitimate once it is older than the label delay, and is
   * left out before. The newest 20 % validate the model trained on the rest.
   */
  public ModelRepository.Summary train(TrainingRequest request, String actor) {
    long now = clock.millis();
    if (request.fromMillis() >= request.toMillis()) throw ApiException.invalid("invalid_window", "from must be before to", "from");
    if (request.toMillis() > now) throw ApiException.invalid("invalid_window", "to must not be in the future", "to");
    if (request.toMillis() - request.fromMillis() > WINDOW_MILLIS_MAX) {
      throw ApiException.invalid("invalid_window", "a training window is at most 60 days (labels are kept that long)", "from");
    }
    Future<ModelRepository.Summary> job = training.submit(() -> trainNow(request, now, actor));
    try {
      return job.get(TRAINING_TIMEOUT_MINUTES, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      job.cancel(true);
      throw ApiException.unavailable("training_timeout", "Training took longer than 10 minutes and was stopped");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.unavailable("interrupted", "Interrupted while training");
    }
  }

  private ModelRepository.Summary trainNow(TrainingRequest request, long now, String actor) {
    FeatureSchema schema = ModelFeatures.SCHEMA;
    int width = schema.size();
    List<double[]> rows = new ArrayList<>();
    List<Boolean> truth = new ArrayList<>();
    long[] span = {Long.MAX_VALUE, Long.MIN_VALUE};
    var labels = pipeline.engine().labels();
    long settledBefore = now - request.labelDelayMillis();
    vectors.forEach(schema.id(), width, request.fromMillis(), request.toMillis(), TRAINING_ROWS_MAX, row -> {
      Verdict v = labels.verdict(row.eventId(), now);
      if (v == null && row.occurredAtMillis() > settledBefore) return; // its outcome may still come
      rows.add(row.features());
      truth.add(v == Verdict.FRAUD);
    });
    int n = rows.size();
    int trainRows = (int) Math.floor(n * (1 - VALIDATION_SHARE));
    long trainFraud = truth.subList(0, trainRows).stream().filter(b -> b).count();
    long validationFraud = truth.subList(trainRows, n).stream().filter(b -> b).count();
    if (n < 100 || trainFraud < 2 || validationFraud < 1 || trainFraud == trainRows || validationFraud == n - trainRows) {
      throw ApiException.unprocessable("not_enough_labels", "Training needs at least 100 labelled rows with fraud and legitimate"
          + " ones in both the training part and the newest 20 % (found " + n + " rows, " + trainFraud + " + " + validationFraud
          + " fraud)", "from");
    }
    double[] matrix = new double[trainRows * width];
    float[] y = new float[trainRows];
    for (int i = 0; i < trainRows; i++) {
      System.arraycopy(rows.get(i), 0, matrix, i * width, width);
      y[i] = truth.get(i) ? 1f : 0f;
    }
    String id = "lgbm-" + Instant.ofEpochMilli(now).toString().replaceAll("[-:]", "").replace(".", "") ;
    Map<String, String> params = new LinkedHashMap<>(request.params());
    LightGbmModel model;
    try {
      model = LightGbmTrainer.train(new LightGbmTrainer.TrainingSet(schema, matrix, y, request.fromMillis(), request.toMillis()),
          params, id, now);
    } catch (IllegalArgumentException e) {
      // LightGBM's own words may quote a value sent: the message does not.
      throw ApiException.invalid("invalid_params", "LightGBM refused the training parameters; see the API reference for their ranges", "params");
    }
    ModelArtifact artifact;
    try {
      double[] scores = new double[n - trainRows];
      boolean[] fraud = new boolean[n - trainRows];
      for (int i = trainRows; i < n; i++) {
        scores[i - trainRows] = model.margin(rows.get(i));
        fraud[i - trainRows] = truth.get(i);
      }
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("validation_auc_roc", RankingMetrics.aucRoc(scores, fraud));
      metrics.put("validation_average_precision", RankingMetrics.averagePrecision(scores, fraud));
      metrics.put("validation_rows", (double) (n - trainRows));
      metrics.put("validation_fraud", (double) validationFraud);
      ModelArtifact trained = model.artifact();
      artifact = new ModelArtifact(trained.metadata().withMetrics(metrics), trained.body());
    } finally {
      model.close();
    }
    models.insert(artifact, Json.write(metadata(artifact.metadata())), actor, clock.millis());
    log.info("trained model {} on {} rows ({} fraud)", id, trainRows, trainFraud);
    if (request.role() != null) return setRole(id, request.role());
    return models.find(id).orElseThrow();
  }

  /**
   * Stores an ONNX model trained elsewhere, read from a file (an upload spooled to disk); it must
   * take this build's feature vector. ONNX Runtime loads it from the file to check it, and it is
   * written to its file a piece at a time: the model is never whole in the Java heap, and never in
   * the database, whose store the decision journal shares.
   */
  public ModelRepository.Summary uploadOnnx(String modelId, Path onnx, String outputKind, String actor) {
    Map<String, String> params = new LinkedHashMap<>();
    if (outputKind != null) params.put("onnx.output_kind", outputKind);
    ModelMetadata metadata;
    try {
      metadata = new ModelMetadata(modelId, ModelMetadata.FORMAT_ONNX, ModelFeatures.SCHEMA, clock.millis(), 0, 0, 0, 0,
          params, Map.of());
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("invalid_model_id", e.getMessage(), "model_id");
    }
    try (Model probe = OnnxModel.fromFile(onnx, metadata)) {
      double p = probe.probability(new double[ModelFeatures.SCHEMA.size()]);
      if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("it answers " + p + " for an all-zero vector, not a probability");
    } catch (IllegalArgumentException | IllegalStateException e) {
      // ONNX Runtime's words may quote names from the file: the message does not.
      throw ApiException.unprocessable("invalid_model", "The ONNX model cannot score a " + ModelFeatures.SCHEMA.size()
          + "-feature vector: it must take one float input of that width and give a probability", "body");
    }
    models.insertOnnx(metadata, Json.write(metadata(metadata)), onnx, actor, clock.millis());
    return models.find(modelId).orElseThrow();
  }

  /** Makes a stored model live, shadow or inactive. */
  public synchronized ModelRepository.Summary setRole(String modelId, String role) {
    if (!List.of(ModelRepository.LIVE, ModelRepository.SHADOW, ModelRepository.INACTIVE).contains(role)) {
      throw ApiException.invalid("invalid_role", "role must be live, shadow or inactive", "role");
    }
    ModelRepository.Summary before = models.find(modelId)
        .orElseThrow(() -> ApiException.notFound("model_not_found", "No model with this id", "model_id"));
    Model loaded = ModelRepository.INACTIVE.equals(role) ? null : load(modelId);
    models.setRole(modelId, role);
    if (!ModelRepository.INACTIVE.equals(role)) swap(role, loaded);
    // The role it had before is now empty.
    if (!before.role().equals(role) && !ModelRepository.INACTIVE.equals(before.role())) swap(before.role(), null);
    return models.find(modelId).orElseThrow();
  }

  /**
   * Explains a stored vector with the model that scored it: the live model when it still is,
   * otherwise the stored artifact, loaded for this call.
   */
  public io.vigil.engine.model.Explanation explain(DecisionFeatures.Row row) {
    if (row.modelId() == null) {
      throw ApiException.notFound("not_scored", "No live model scored this decision; nothing to explain", "decision_id");
    }
    Model live = registry.champion();
    if (live != null && live.metadata().modelId().equals(row.modelId())) return explainWith(live, row);
    try (Model stored = load(row.modelId())) {
      return explainWith(stored, row);
    }
  }

  private static io.vigil.engine.model.Explanation explainWith(Model model, DecisionFeatures.Row row) {
    if (!model.supportsContributions()) {
      throw ApiException.conflict("invalid_request_error", "not_explainable", "The model that scored this decision ("
          + model.metadata().format() + ") gives no per-feature contributions", "decision_id");
    }
    return model.explain(row.features());
  }

  public List<ModelRepository.Summary> list(TimeCursor after, int rows) {
    return models.list(after, rows);
  }

  public ModelRepository.Summary find(String modelId) {
    return models.find(modelId).orElseThrow(() -> ApiException.notFound("model_not_found", "No model with this id", "model_id"));
  }

  private Model load(String modelId) {
    ModelArtifact artifact = models.artifact(modelId);
    FeatureSchema schema = artifact.metadata().schema();
    if (!schema.equals(ModelFeatures.SCHEMA)) {
      throw ApiException.conflict("invalid_request_error", "schema_mismatch", "The model takes " + schema.id()
          + " but this build computes " + ModelFeatures.SCHEMA.id(), "model_id");
    }
    return artifact.load();
  }

  /** Swaps on the sequencer, between decisions, and closes what it replaced there. */
  private void swap(String role, Model model) {
    try {
      pipeline.onSequencer(engine -> {
        Model previous = ModelRepository.LIVE.equals(role) ? registry.activate(model) : registry.shadow(model);
        if (previous != null && previous != model) previous.close();
        return null;
      }).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw ApiException.unavailable("sequencer_busy", "The decision sequencer did not take the model in time; retry");
    }
  }

  static Map<String, Object> metadata(ModelMetadata m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("model_id", m.modelId());
    out.put("format", m.format());
    out.put("schema", m.schema().id());
    out.put("features", m.schema().featureNames());
    out.put("trained_at", Instant.ofEpochMilli(m.trainedAtMillis()).toString());
    if (m.trainRows() > 0) {
      out.put("train_from", Instant.ofEpochMilli(m.trainFromMillis()).toString());
      out.put("train_to", Instant.ofEpochMilli(m.trainToMillis()).toString());
      out.put("train_rows", m.trainRows());
      out.put("train_positives", m.trainPositives());
    }
    out.put("params", m.params());
    out.put("metrics", m.metrics());
    return out;
  }

  @Override
  public void close() {
    training.shutdownNow();
  }
}
