package io.vigil.server.model;

import io.vigil.server.api.Actor;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Json;
import io.vigil.server.api.Page;
import io.vigil.server.api.Params;
import io.vigil.server.api.TimeCursor;
import io.vigil.server.api.UploadSlots;
import io.vigil.server.config.VigilProperties;
import io.vigil.server.journal.StorageException;
import io.vigil.server.operator.StepUpCheck;
import io.vigil.server.security.Principals;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Models: train, upload (ONNX), list, and choose the live and the shadow one. */
@RestController
public class ModelController {
  private static final Set<String> TRAIN_FIELDS = Set.of("from", "to", "label_delay_days", "params", "role");
  private static final Set<String> PARAMS = Set.of("learning_rate", "num_leaves", "min_data_in_leaf", "feature_fraction",
      "bagging_fraction", "bagging_freq", "lambda_l1", "lambda_l2", "max_bin", "rounds", "scale_pos_weight", "seed");
  private final ModelService models;
  private final DecisionFeatures vectors;
  private final Clock clock;
  private final UploadSlots uploadSlots;
  private final Path uploadDir;
  private final long uploadBytesMax;

  private final StepUpCheck stepUp;

  public ModelController(ModelService models, DecisionFeatures vectors, VigilProperties properties, StepUpCheck stepUp,
      Clock clock) {
    this.stepUp = stepUp;
    this.clock = clock;
    this.uploadSlots = new UploadSlots(properties.uploads().modelsConcurrentMax());
    this.uploadDir = properties.uploadDir();
    this.uploadBytesMax = properties.uploads().modelBytesMax();
    Bodies.deleteLeftovers(uploadDir);
    this.models = models;
    this.vectors = vectors;
  }

  /** The feature vector stored with a decision, by name, and what the models said. */
  @GetMapping("/v1/decisions/{decisionId}/features")
  public Map<String, Object> features(@PathVariable String decisionId) {
    var schema = io.vigil.engine.model.ModelFeatures.SCHEMA;
    DecisionFeatures.Row row = vectors.find(decisionId, schema.size()).orElseThrow(() -> ApiException.notFound("features_not_found",
        "No feature vector is stored for this decision (only money movements have one)", "decision_id"));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("decision_id", row.decisionId());
    m.put("event_id", row.eventId());
    m.put("schema", row.schemaId());
    m.put("features", schema.asMap(row.features()));
    if (row.modelId() != null) m.put("model", Map.of("version", row.modelId(), "probability", row.probability()));
    if (row.challengerId() != null) m.put("shadow", Map.of("version", row.challengerId(), "probability", row.challengerProbability()));
    return m;
  }

  /** Every feature's contribution (tree SHAP) to the scoring model's log-odds for one stored decision. */
  @GetMapping("/v1/decisions/{decisionId}/explanation")
  public Map<String, Object> explanation(@PathVariable String decisionId) {
    var schema = io.vigil.engine.model.ModelFeatures.SCHEMA;
    DecisionFeatures.Row row = vectors.find(decisionId, schema.size()).orElseThrow(() -> ApiException.notFound("features_not_found",
        "No feature vector is stored for this decision (only money movements have one)", "decision_id"));
    io.vigil.engine.model.Explanation why = models.explain(row);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("decision_id", row.decisionId());
    m.put("model", row.modelId());
    m.put("margin", why.margin());
    m.put("probability", io.vigil.engine.model.Model.sigmoid(why.margin()));
    m.put("bias", why.bias());
    double[] contributions = why.contributions();
    double[] values = row.features();
    m.put("features", why.top(contributions.length).stream().map(c -> {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("feature", c.feature());
      f.put("value", values[schema.indexOf(c.feature())]);
      f.put("contribution", c.value());
      return f;
    }).toList());
    return m;
  }

  @GetMapping("/v1/models")
  public Map<String, Object> list(@RequestParam(name = "limit", required = false) Integer limit,
      @RequestParam(name = "starting_after", required = false) String startingAfter) {
    int pageSize = Page.limit(limit);
    TimeCursor after = TimeCursor.decode(startingAfter);
    return Page.of(models.list(after, Page.fetchSize(pageSize)), pageSize, ModelController::json,
        s -> new TimeCursor(s.createdAtMillis(), s.modelId()).encode());
  }

  @GetMapping("/v1/models/{modelId}")
  public Map<String, Object> get(@PathVariable String modelId) {
    return json(models.find(modelId));
  }

  /**
   * {"from": "…", "to": "…", "label_delay_days": 7, "params": {"num_leaves": "31"}, "role": "shadow"};
   * only {@code from} is required ({@code to} defaults to now).
   */
  @PostMapping("/v1/models/train")
  @SuppressWarnings("unchecked")
  public ResponseEntity<Map<String, Object>> train(HttpServletRequest request) {
    Map<String, Object> body = Params.object(Bodies.read(request), TRAIN_FIELDS);
    long from = time(Params.string(body, "from", true, 64), "from");
    String toText = Params.string(body, "to", false, 64);
    long to = toText == null ? clock.millis() : time(toText, "to");
    long delayDays = 7;
    if (body.containsKey("label_delay_days")) {
      if (!(body.get("label_delay_days") instanceof Integer || body.get("label_delay_days") instanceof Long)) {
        throw ApiException.invalid("wrong_type", "label_delay_days must be an integer", "label_delay_days");
      }
      delayDays = ((Number) body.get("label_delay_days")).longValue();
      if (delayDays < 0 || delayDays > 60) throw ApiException.invalid("out_of_range", "label_delay_days is 0 to 60", "label_delay_days");
    }
    Map<String, String> params = new LinkedHashMap<>();
    if (body.get("params") != null) {
      if (!(body.get("params") instanceof Map<?, ?> raw)) throw ApiException.invalid("wrong_type", "params must be an object", "params");
      for (Map.Entry<String, Object> e : ((Map<String, Object>) raw).entrySet()) {
        Params.checkField(e.getKey(), PARAMS, "params");
        if (!(e.getValue() instanceof String || e.getValue() instanceof Number)) {
          throw ApiException.invalid("wrong_type", "params." + e.getKey() + " must be a number or a string", "params." + e.getKey());
        }
        params.put(e.getKey(), String.valueOf(e.getValue()));
      }
    }
    String role = Params.string(body, "role", false, 16);
    ModelRepository.Summary s = models.train(new ModelService.TrainingRequest(from, to, delayDays * ModelService.DAY_MILLIS, params, role),
        Actor.of(request));
    return ResponseEntity.status(HttpStatus.CREATED).body(json(s));
  }

  /** An ONNX model trained elsewhere: the body is the .onnx file; it takes this build's feature vector. */
  @PutMapping("/v1/models/{modelId}")
  public ResponseEntity<Map<String, Object>> upload(@PathVariable String modelId,
      @RequestParam(value = "output_kind", required = false) String outputKind, HttpServletRequest request) {
    if (outputKind != null && !outputKind.equals("probability") && !outputKind.equals("margin")) {
      throw ApiException.invalid("invalid_value", "output_kind must be probability or margin", "output_kind");
    }
    try (UploadSlots.Slot slot = uploadSlots.take()) {
      Path body = Bodies.toFile(request, uploadDir, uploadBytesMax);
      try {
        if (Files.size(body) == 0) throw ApiException.invalid("missing_body", "the body is the ONNX model file", "body");
        return ResponseEntity.status(HttpStatus.CREATED).body(json(models.uploadOnnx(modelId, body, outputKind, Actor.of(request))));
      } catch (IOException e) {
        throw new StorageException("reading an uploaded model failed", e);
      } finally {
        Bodies.deleteQuietly(body);
      }
    }
  }

  /**
   * {"role": "live" | "shadow" | "inactive"}. A signed-in operator needs a fresh second factor: the
   * live model decides payments. An API key (a deployment pipeline's) has no second factor to give.
   */
  @PostMapping("/v1/models/{modelId}/role")
  public Map<String, Object> role(@PathVariable String modelId, HttpServletRequest request) {
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("role"));
    if (Principals.current(request).isOperator()) stepUp.require(request);
    return json(models.setRole(modelId, Params.string(body, "role", true, 16)));
  }

  private static long time(String text, String param) {
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      throw ApiException.invalid("invalid_timestamp", param + " must be an RFC 3339 UTC time", param);
    }
  }

  /** A stored model as the API answers it (the console's models screen shows the same). */
  public static Map<String, Object> json(ModelRepository.Summary s) {
    Map<String, Object> m = new LinkedHashMap<>(Json.readMap(s.metadataJson()));
    m.put("role", s.role());
    m.put("created_at", Instant.ofEpochMilli(s.createdAtMillis()).toString());
    m.put("created_by", s.createdBy());
    return m;
  }
}
