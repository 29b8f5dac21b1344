package io.vigil.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.engine.model.LightGbmModel;
import io.vigil.engine.model.LightGbmTrainer;
import io.vigil.engine.model.ModelFeatures;
import io.vigil.server.api.Json;
import io.vigil.server.config.VigilProperties;
import io.vigil.server.model.ModelFiles;
import io.vigil.server.model.ModelRepository;
import io.vigil.server.model.ModelService;
import io.vigil.server.security.Role;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The models screen: two stored models, one live and one shadow, compared on the decisions both
 * scored; the shadow promoted to live in the browser with a step-up. The models leave their roles
 * at the end, so that the console's other tests decide without a model.
 */
class ModelsConsoleTest extends ConsoleServerBase {

  @Autowired HikariDataSource dataSource;
  @Autowired VigilProperties properties;
  @Autowired ModelService models;

  /** A small LightGBM model of this build's feature schema, trained on random vectors, stored without a role. */
  private void store(String modelId, int seed) {
    var schema = ModelFeatures.SCHEMA;
    int width = schema.size();
    Random random = new Random(seed);
    int rows = 2_000;
    double[] x = new double[rows * width];
    float[] y = new float[rows];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < width; j++) x[i * width + j] = random.nextDouble() * 100;
      y[i] = x[i * width] + x[i * width + 1] > 100 + seed ? 1f : 0f;
    }
    long now = TestClock.INSTANCE.millis();
    try (LightGbmModel model = LightGbmTrainer.train(new LightGbmTrainer.TrainingSet(schema, x, y, now - 86_400_000L, now),
        Map.of("rounds", "10", "min_data_in_leaf", "5", "seed", String.valueOf(seed)), modelId, now)) {
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("model_id", modelId);
      metadata.put("format", "lightgbm");
      metadata.put("schema", schema.id());
      metadata.put("trained_at", TestClock.now().toString());
      metadata.put("train_rows", rows);
      metadata.put("params", Map.of("rounds", "10"));
      metadata.put("metrics", Map.of("validation_auc_roc", 0.9 + seed / 1000.0, "validation_average_precision", 0.5));
      new ModelRepository(dataSource, new ModelFiles(properties.modelDir()))
          .insert(model.artifact(), Json.write(metadata), "test", now);
    }
  }

  @Test
  void liveAgainstShadowIsChartedAndTheShadowIsPromotedWithAStepUp() {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String live = "lgbm-console-live-" + suffix;
    String shadow = "lgbm-console-shadow-" + suffix;
    store(live, 3);
    store(shadow, 7);
    try {
      models.setRole(live, "live");
      models.setRole(shadow, "shadow");
      for (int i = 0; i < 12; i++) {
        ApiClient.Reply r = api.post("/v1/decisions", Map.of("event_id", "evt_model_" + suffix + "_" + i, "type", "payment",
            "occurred_at", TestClock.now().toString(), "account_id", "acct_model_" + suffix + "_" + (i % 3),
            "merchant_id", "shop-" + i, "amount", 1_000L + 9_000L * i, "currency", "EUR"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
      }
      TestOperators.Signed admin = TestOperators.signIn(base, TestOperators.newUsername("models"), Set.of(Role.ADMINISTRATOR, Role.SUPERVISOR));
      ConsoleBrowser b = browser().signedInAs(admin).open("/console/models");
      assertThat(b.find(By.id("live-model")).getText()).isEqualTo(live);
      assertThat(b.find(By.id("shadow-model")).getText()).isEqualTo(shadow);
      assertThat(b.find(By.id("comparison")).getText()).contains("12", "agreed");
      b.waitUntil(d -> "true".equals(b.find(By.id("shadow-chart")).getAttribute("data-rendered")));
      assertThat(b.findAll(By.cssSelector("#shadow-chart canvas"))).isNotEmpty();
      assertThat(b.find(By.cssSelector("tr[data-model-id='" + shadow + "']")).getText()).contains("shadow", "0.907");
      b.screenshot("models");
      assertThat(b.consoleErrors()).isEmpty();
      // Hovering shows the tooltip; drawn on the canvas, it carries no inline style for the CSP to refuse.
      new Actions(b.driver()).moveToElement(b.find(By.id("shadow-chart"))).moveByOffset(20, 0).perform();
      b.waitUntil(d -> "shown".equals(b.find(By.id("shadow-chart")).getAttribute("data-tooltip")));
      assertThat(b.consoleErrors()).as("no Content-Security-Policy violation on hover").isEmpty();

      new Select(b.find(By.id("role-" + shadow))).selectByValue("live");
      b.click(By.id("set-role-" + shadow));
      b.visible(By.id("step-up-code"));
      b.type(By.id("step-up-code"), admin.nextCode()).click(By.id("step-up-confirm"));
      b.waitUntil(d -> {
        try {
          return shadow.equals(d.findElement(By.id("live-model")).getText());
        } catch (StaleElementReferenceException reloading) {
          return false;
        }
      });
      assertThat(b.find(By.cssSelector("tr[data-model-id='" + shadow + "'] .model-role")).getText()).isEqualTo("live");
      assertThat(b.find(By.cssSelector("tr[data-model-id='" + live + "'] .model-role")).getText()).isEqualTo("inactive");
      assertThat(b.find(By.id("no-shadow")).isDisplayed()).isTrue();
      assertThat(api.get("/v1/models/" + shadow).json().get("role")).isEqualTo("live");
      assertThat(b.consoleErrors()).isEmpty();
    } finally {
      for (String id : List.of(live, shadow)) models.setRole(id, "inactive");
    }
  }

  @Test
  void aRoleChangeByAnOperatorNeedsAStepUpAndAReaderSeesNoForm() {
    TestOperators.Signed admin = TestOperators.signIn(base, TestOperators.newUsername("modelsapi"), Set.of(Role.ADMINISTRATOR, Role.SUPERVISOR));
    TestOperators.Exchange refused = TestOperators.post(base, "/v1/models/no-such-model/role", Map.of("role", "live"), admin.headers());
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body()).contains("step_up_required");
    admin.stepUp();
    assertThat(TestOperators.post(base, "/v1/models/no-such-model/role", Map.of("role", "live"), admin.headers()).status())
        .as("stepped up: the route's own answer").isEqualTo(404);

    TestOperators.Signed viewer = TestOperators.signIn(base, TestOperators.newUsername("modelsv"), Set.of(Role.VIEWER));
    ConsoleBrowser b = browser().signedInAs(viewer).open("/console/models");
    assertThat(b.find(By.id("models")).isDisplayed()).isTrue();
    assertThat(b.findAll(By.cssSelector("form.role-form"))).isEmpty();
  }
}
