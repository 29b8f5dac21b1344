package io.vigil.server.api;

import static io.vigil.server.api.ApiTestSupport.assertError;
import static io.vigil.server.api.ApiTestSupport.assertInvalid;
import static io.vigil.server.api.ApiTestSupport.list;
import static io.vigil.server.api.ApiTestSupport.map;
import static io.vigil.server.api.ApiTestSupport.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.engine.model.FeatureSchema;
import io.vigil.engine.model.LightGbmTrainer;
import io.vigil.engine.model.ModelFeatures;
import io.vigil.engine.model.ModelRegistry;
import io.vigil.server.decision.DecisionPipeline;
import io.vigil.server.model.DecisionFeatures;
import io.vigil.server.model.ModelFiles;
import io.vigil.server.model.ModelRepository;
import io.vigil.server.model.ModelService;
import io.vigil.server.model.ScheduledRetraining;
import io.vigil.server.storage.Sql;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.OnnxFiles;
import io.vigil.server.support.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The learning loop over HTTP (D4, D5, P3): feedback is validated and idempotent, every money
 * movement stores its feature vector, a model trained on the stored vectors and labels goes live
 * and explains itself, a shadow is scored without acting. Own server: it changes the live model.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LearningLoopApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-learning-");
  @Autowired HikariDataSource dataSource;
  @Autowired DecisionPipeline pipeline;
  @Autowired ModelRegistry registry;
  @Autowired ModelService service;

  @DynamicPropertySource
  static void ownDataDir(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
  }

  private Map<String, Object> pay(String account, long amountMinor, Instant at) {
    Map<String, Object> body = new HashMap<>(Map.of("event_id", ApiTestSupport.id("m"), "type", "payment", "occurred_at", at.toString(),
        "account_id", account, "merchant_id", "shop-" + (account.hashCode() & 7), "amount", amountMinor, "currency", "EUR"));
    ApiClient.Reply r = api.post("/v1/decisions", body);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  private ApiClient.Reply label(String labelId, Object decisionId, Map<String, Object> extra) {
    Map<String, Object> body = new HashMap<>(Map.of("label_id", labelId, "decision_id", decisionId));
    body.putAll(extra);
    return api.post("/v1/feedback", body);
  }

  @Test
  @Order(1)
  void feedbackIsValidatedAndIdempotent() {
    Map<String, Object> d = pay(ApiTestSupport.id("fb"), 10_00, TestClock.now());
    Object id = d.get("decision_id");
    ApiClient.Reply first = label("cb-1", id, Map.of("kind", "chargeback", "verdict", "fraud", "reason_code", "10.4"));
    assertEquals(201, first.status(), first.body());
    assertEquals("fraud", first.json().get("verdict"));
    assertEquals(d.get("event_id"), first.json().get("event_id"));
    ApiClient.Reply again = label("cb-1", id, Map.of("kind", "chargeback", "verdict", "fraud", "reason_code", "10.4"));
    assertEquals(200, again.status(), again.body());
    assertEquals(true, again.json().get("replayed"));
    assertError(label("cb-1", id, Map.of("kind", "chargeback", "verdict", "legitimate", "reason_code", "10.4")), 409,
        "idempotency_error", "label_id_conflict", "label_id");
    assertEquals(1, list(api.get("/v1/feedback?decision_id=" + id).json().get("data")).size());

    assertInvalid(label("x-1", id, Map.of("kind", "chargeback", "verdict", "fraud")), "missing_field", "reason_code");
    assertInvalid(label("x-2", id, Map.of("kind", "chargeback", "reason_code", "10.4")), "missing_field", "verdict");
    assertInvalid(label("x-3", id, Map.of("kind", "suspicion")), "invalid_kind", "kind");
    assertInvalid(label("x-4", id, Map.of("kind", "fraud", "known_at", "2001-01-01T00:00:00Z")), "label_before_event", "known_at");
    assertInvalid(label("x-5", id, Map.of("kind", "fraud", "known_at", TestClock.now().plusSeconds(3_600).toString())),
        "known_at_in_future", "known_at");
    assertInvalid(label("x-6", id, Map.of("kind", "fraud", "known_at", "yesterday")), "invalid_timestamp", "known_at");
    assertInvalid(label("x-7", id, Map.of("kind", "authorization")), "missing_field", "outcome");
    assertInvalid(label("x 8", id, Map.of("kind", "fraud")), "invalid_identifier", "label_id");
    assertInvalid(label("x-9", id, Map.of("kind", "fraud", "extra", true)), "unknown_field", "extra");
    assertError(label("x-10", "dec_missing", Map.of("kind", "fraud")), 404, "not_found_error", "decision_not_found", "decision_id");
    assertEquals(201, label("auth-1", id, Map.of("kind", "authorization", "outcome", "approved")).status());
    // An event holds at most 16 labels: the 17th is refused and nothing of it is stored.
    for (int i = 2; i < 16; i++) assertEquals(201, label("more-" + i, id, Map.of("kind", "legitimate")).status());
    assertInvalid(label("one-too-many", id, Map.of("kind", "legitimate")), "too_many_labels", "event_id");
    List<Map<String, Object>> stored = list(api.get("/v1/feedback?decision_id=" + id + "&limit=100").json().get("data"));
    assertEquals(16, stored.size());
    assertFalse(stored.toString().contains("one-too-many"), stored::toString);
  }

  @Test
  @Order(2)
  @SuppressWarnings("unchecked")
  void everyMoneyMovementStoresItsFeatureVector() {
    Map<String, Object> d = pay(ApiTestSupport.id("vec"), 12_345, TestClock.now());
    assertEquals(0L, num(map(d.get("scores")).get("model")), "no model is live yet");
    assertNull(d.get("model"));
    Map<String, Object> stored = api.get("/v1/decisions/" + d.get("decision_id") + "/features").json();
    assertEquals(ModelFeatures.SCHEMA.id(), stored.get("schema"));
    Map<String, Object> features = (Map<String, Object>) stored.get("features");
    assertEquals(123.45, ((Number) features.get("amount_major")).doubleValue(), 1e-3);
    assertEquals(1.0, ((Number) features.get("account_count_1d")).doubleValue(), "the window includes the event itself");
    Map<String, Object> login = api.post("/v1/decisions", Map.of("event_id", ApiTestSupport.id("l"), "type", "login",
        "occurred_at", TestClock.now().toString(), "account_id", "someone")).json();
    assertError(api.get("/v1/decisions/" + login.get("decision_id") + "/features"), 404, "not_found_error", "features_not_found",
        "decision_id");
  }

  @Test
  @Order(3)
  @SuppressWarnings("unchecked")
  void aModelTrainedOnStoredVectorsAndLabelsGoesLiveExplainsItselfAndAShadowNeverActs() {
    Random random = new Random(5);
    Instant start = TestClock.now().minusSeconds(3_600);
    for (int i = 0; i < 300; i++) {
      boolean fraud = i % 8 == 0;
      long amount = fraud ? 90_000 + random.nextInt(10_000) : 1_000 + random.nextInt(9_000);
      Map<String, Object> d = pay("acct-" + (i % 40), amount, start.plusSeconds(i * 10L));
      ApiClient.Reply r = label("train-" + i, d.get("decision_id"), Map.of("kind", fraud ? "fraud" : "legitimate"));
      assertEquals(201, r.status(), r.body());
    }
    assertError(api.post("/v1/models/train", Map.of("from", TestClock.now().minusSeconds(60).toString(), "label_delay_days", 0)),
        422, "invalid_request_error", "not_enough_labels", "from");
    assertInvalid(api.post("/v1/models/train", Map.of("from", start.toString(), "params", Map.of("objective", "regression"))),
        "unknown_field", "params.objective");

    ApiClient.Reply trained = api.post("/v1/models/train", Map.of("from", start.minusSeconds(60).toString(), "label_delay_days", 0,
        "params", Map.of("rounds", 40, "min_data_in_leaf", 5), "role", "live"));
    assertEquals(201, trained.status(), trained.body());
    String modelId = (String) trained.json().get("model_id");
    assertEquals("live", trained.json().get("role"));
    Map<String, Object> metrics = map(trained.json().get("metrics"));
    assertTrue(((Number) metrics.get("validation_auc_roc")).doubleValue() > 0.9, metrics::toString);

    Map<String, Object> big = pay("acct-new", 95_000, TestClock.now());
    Map<String, Object> model = map(big.get("model"));
    assertEquals(modelId, model.get("version"));
    double p = ((Number) model.get("probability")).doubleValue();
    assertTrue(p > 0.8, "a fraud-like amount: " + big);
    assertTrue(!"ALLOW".equals(big.get("action")), "half of the score is the model's: " + big);
    List<Map<String, Object>> top = list(model.get("top_features"));
    assertTrue(top.stream().anyMatch(f -> "amount_major".equals(f.get("feature"))), top::toString);
    assertTrue(((Number) top.get(0).get("contribution")).doubleValue() > 0, "the strongest feature pushes towards fraud: " + top);
    int rules = (int) num(map(big.get("scores")).get("rules"));
    assertEquals(Math.round(0.5 * rules + 0.5 * 100 * p), num(big.get("score")), "the 50/50 blend");
    // The model's part of the action comes with a reason a person can read: its top features and their values.
    Map<String, Object> modelReason = list(big.get("reasons")).stream().filter(r -> "model".equals(r.get("rule_id"))).findFirst()
        .orElseThrow(() -> new AssertionError("no model reason: " + big));
    String message = (String) modelReason.get("message");
    assertTrue(message.startsWith("Model " + modelId + " gives a fraud probability of "), message);
    Map<String, Object> reasonValues = map(modelReason.get("values"));
    assertEquals(modelId, reasonValues.get("model.version"));
    for (Map<String, Object> f : top) {
      assertTrue(message.contains(f.get("feature") + " = "), message);
      assertEquals(((Number) f.get("value")).doubleValue(), ((Number) reasonValues.get((String) f.get("feature"))).doubleValue(), 1e-4);
    }
    List<Map<String, Object>> byRule = list(api.get("/v1/decisions?rule=model&limit=500").json().get("data"));
    assertTrue(byRule.stream().anyMatch(row -> map(row.get("decision")).get("decision_id").equals(big.get("decision_id"))),
        "the model's reason is indexed like a rule's");
    Map<String, Object> small = pay("acct-new-2", 2_000, TestClock.now());
    assertTrue(((Number) map(small.get("model")).get("probability")).doubleValue() < 0.5, small::toString);
    assertEquals("ALLOW", small.get("action"));
    assertTrue(list(small.get("reasons")).stream().noneMatch(r -> "model".equals(r.get("rule_id"))), "an ALLOW needs no model reason");
    List<Map<String, Object>> smallTop = list(map(small.get("model")).get("top_features"));
    assertEquals(5, smallTop.size(), "an allowed decision carries its top features too: " + smallTop);
    Map<String, Object> why = api.get("/v1/decisions/" + small.get("decision_id") + "/explanation").json();
    assertEquals(modelId, why.get("model"));
    double sum = ((Number) why.get("bias")).doubleValue();
    for (Map<String, Object> f : list(why.get("features"))) sum += ((Number) f.get("contribution")).doubleValue();
    assertEquals(((Number) why.get("margin")).doubleValue(), sum, 1e-6, "contributions and bias sum to the margin");
    assertEquals(((Number) map(small.get("model")).get("probability")).doubleValue(), ((Number) why.get("probability")).doubleValue(),
        1e-5, "the same model on the same stored vector");

    // A second model as the shadow: scored and shown, never acted on.
    ApiClient.Reply shadow = api.post("/v1/models/train", Map.of("from", start.minusSeconds(60).toString(), "label_delay_days", 0,
        "params", Map.of("rounds", 5, "min_data_in_leaf", 5, "seed", 11), "role", "shadow"));
    assertEquals(201, shadow.status(), shadow.body());
    Map<String, Object> withShadow = pay("acct-new-3", 95_000, TestClock.now());
    Map<String, Object> shadowed = map(map(withShadow.get("model")).get("shadow"));
    assertEquals(shadow.json().get("model_id"), shadowed.get("version"));
    assertEquals(modelId, map(withShadow.get("model")).get("version"), "the live model still decides");

    // What start-up builds from storage: the live and the shadow model, in a fresh registry.
    ModelRegistry restarted = new ModelRegistry();
    try (var service = new ModelService(new ModelRepository(dataSource, new ModelFiles(DATA_DIR.resolve("models"))),
        new DecisionFeatures(dataSource), pipeline, restarted, TestClock.INSTANCE)) {
      assertEquals(modelId, restarted.champion().metadata().modelId());
      assertEquals(shadow.json().get("model_id"), restarted.challenger().metadata().modelId());
      double[] vector = new double[ModelFeatures.SCHEMA.size()];
      assertEquals(pipeline.engine().models().champion().probability(vector), restarted.champion().probability(vector), 1e-12,
          "the stored artifact scores like the live model");
    } finally {
      restarted.activate(null).close();
      restarted.shadow(null).close();
    }

    List<Map<String, Object>> models = list(api.get("/v1/models").json().get("data"));
    assertEquals(2, models.size());
    assertEquals(200, api.post("/v1/models/" + modelId + "/role", Map.of("role", "inactive")).status());
    Map<String, Object> without = pay("acct-new-4", 95_000, TestClock.now());
    assertFalse(map(without.get("model")).containsKey("version"), "no live model: " + without);
    assertEquals(0L, num(map(without.get("scores")).get("model")));
    assertError(api.post("/v1/models/nope/role", Map.of("role", "live")), 404, "not_found_error", "model_not_found", "model_id");
    assertInvalid(api.post("/v1/models/" + modelId + "/role", Map.of("role", "boss")), "invalid_role", "role");
  }

  @Test
  @Order(4)
  void theScheduleTrainsAShadowFromTheStoredLoopAndNeverTouchesTheLiveModel() {
    int before = list(api.get("/v1/models").json().get("data")).size();
    var live = registry.champion();
    String operatorsShadow = registry.challenger().metadata().modelId(); // test 3's, trained through the API
    long now = TestClock.INSTANCE.millis();
    // A window of one second holds no labelled decision: nothing is trained, nothing is stored.
    try (var tooShort = new ScheduledRetraining(service, 0, 1_000, 0, TestClock.INSTANCE)) {
      assertTrue(tooShort.runOnce(now).isEmpty());
    }
    assertEquals(before, list(api.get("/v1/models").json().get("data")).size());
    // The last two hours hold test 3's 300 labelled decisions.
    try (var schedule = new ScheduledRetraining(service, 0, 7_200_000, 0, TestClock.INSTANCE)) {
      // The operator's shadow stays; the scheduled model is stored beside it, inactive.
      var beside = schedule.runOnce(now).orElseThrow();
      assertEquals("inactive", beside.role());
      assertEquals(operatorsShadow, registry.challenger().metadata().modelId());
      // Once the operator retires that shadow, the next scheduled model takes the role.
      assertEquals(200, api.post("/v1/models/" + operatorsShadow + "/role", Map.of("role", "inactive")).status());
      var trained = schedule.runOnce(now + 1).orElseThrow();
      assertEquals("shadow", trained.role());
      assertEquals("scheduler", trained.createdBy());
      Map<String, Object> stored = api.get("/v1/models/" + trained.modelId()).json();
      assertEquals("shadow", stored.get("role"), stored.toString());
      // The default parameters (at least 50 rows a leaf) on 244 rows: it learns, if less sharply than test 3's small leaves.
      assertTrue(((Number) map(stored.get("metrics")).get("validation_auc_roc")).doubleValue() > 0.75, stored::toString);
      assertEquals(trained.modelId(), registry.challenger().metadata().modelId(), "the new model scores as the shadow");
    }
    assertEquals(live, registry.champion(), "the live model is the operator's choice");
    assertEquals(before + 2, list(api.get("/v1/models").json().get("data")).size());
    Assertions.assertThrows(IllegalArgumentException.class,
        () -> new ScheduledRetraining(service, 3_600_000, 7_200_000, 0, TestClock.INSTANCE), "hourly: refused");
    Assertions.assertThrows(IllegalArgumentException.class,
        () -> new ScheduledRetraining(service, 0, 7_200_000, 7_200_000, TestClock.INSTANCE), "delay as long as the window: refused");
  }

  @Test
  @Order(5)
  void aStoredModelOfAnOlderSchemaDoesNotKeepTheServerFromStarting() {
    // A live model trained on the previous schema (43 features), as an upgraded database holds it.
    var older = new FeatureSchema("vigil.payment", 2,
        ModelFeatures.SCHEMA.featureNames().subList(0, 43));
    Random random = new Random(3);
    double[] x = new double[2_000 * 43];
    float[] y = new float[2_000];
    for (int i = 0; i < y.length; i++) {
      for (int j = 0; j < 43; j++) x[i * 43 + j] = random.nextDouble();
      y[i] = x[i * 43] > 0.9 ? 1f : 0f;
    }
    var repository = new ModelRepository(dataSource, new ModelFiles(DATA_DIR.resolve("models")));
    try (var model = LightGbmTrainer.train(
        new LightGbmTrainer.TrainingSet(older, x, y, 0, 1), Map.of("rounds", "5"), "lgbm-at-payment-2", 1L)) {
      repository.insert(model.artifact(), "{}", "test", TestClock.INSTANCE.millis());
    }
    repository.setRole("lgbm-at-payment-2", "live");
    ModelRegistry restarted = new ModelRegistry();
    try (var service = new ModelService(repository, new DecisionFeatures(dataSource), pipeline,
        restarted, TestClock.INSTANCE)) {
      assertNull(restarted.champion(), "no live model rather than a model that cannot read this build's vector");
      assertEquals("inactive", repository.find("lgbm-at-payment-2").orElseThrow().role());
      assertNotNull(restarted.challenger(), "the usable shadow is restored");
    } finally {
      var shadow = restarted.shadow(null);
      if (shadow != null) shadow.close();
    }
  }

  @Test
  @Order(6)
  void aBrokenOnnxUploadIsRefused() {
    ApiClient.Reply r = ApiTestSupport.send(base, "PUT", "/v1/models/onnx-bad", "not an onnx file");
    assertError(r, 422, "invalid_request_error", "invalid_model", "body");
    assertEquals(404, api.get("/v1/models/onnx-bad").status(), "nothing half-stored");
  }

  @Test
  @Order(7)
  void anUploadedModelIsAFileNamedByItsHashAndADamagedOneIsNotRestored() throws Exception {
    byte[] onnx = OnnxFiles.logisticRegression(ModelFeatures.SCHEMA.size(), 0);
    ApiClient.Reply r = ApiTestSupport.send(base, "PUT", "/v1/models/onnx-filed", "application/octet-stream", onnx);
    assertEquals(201, r.status(), r.body());
    Path models = DATA_DIR.resolve("models");
    String sha256 = Sql.one(dataSource, "SELECT body_sha256 FROM models WHERE model_id = ?", ps -> ps.setString(1, "onnx-filed"),
        rs -> rs.getString(1), "test").orElseThrow();
    Path file = models.resolve(sha256);
    assertEquals(sha256, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
    assertEquals(0, Sql.number(dataSource, "SELECT COUNT(*) FROM model_chunks WHERE model_id = ?", ps -> ps.setString(1, "onnx-filed"),
        "test"), "the body is not in the database");
    assertEquals(200, api.post("/v1/models/onnx-filed/role", Map.of("role", "shadow")).status());

    // What a store interrupted between its file and its row leaves: deleted at start-up.
    Path orphan = Files.writeString(models.resolve("0".repeat(64)), "left by a crash");
    Path partial = Files.writeString(models.resolve(".tmp-interrupted"), "half a model");
    // A shadow whose file was damaged: start-up makes it inactive rather than load it.
    byte[] damaged = Files.readAllBytes(file);
    damaged[damaged.length - 1] ^= 1;
    Files.write(file, damaged);
    ModelRegistry restarted = new ModelRegistry();
    var repository = new ModelRepository(dataSource, new ModelFiles(models));
    try (var service = new ModelService(repository, new DecisionFeatures(dataSource), pipeline, restarted, TestClock.INSTANCE)) {
      assertNull(restarted.challenger(), "a body that does not match its hash is not loaded");
      assertEquals("inactive", repository.find("onnx-filed").orElseThrow().role());
      assertFalse(Files.exists(orphan), "a file no model names is deleted");
      assertFalse(Files.exists(partial), "a partly written file is deleted");
      assertTrue(Files.exists(file), "a named file is kept");
    } finally {
      var champion = restarted.activate(null);
      if (champion != null) champion.close();
    }
  }
}
