package io.vigil.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.Engine;
import io.vigil.engine.TestEvents;
import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventType;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.policy.Action;
import io.vigil.engine.policy.CompiledPolicy;
import io.vigil.engine.policy.Decision;
import io.vigil.engine.policy.DefaultPolicyPack;
import io.vigil.engine.policy.Reason;
import io.vigil.engine.policy.Thresholds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Models inside {@link Engine#decide}, with real LightGBM models trained on the engine's own
 * vectors: the 50/50 blend, explanations for the decisions a person sees, and a shadow model that
 * is scored on every event without changing a single action or score.
 */
class EngineModelTest {
  static final long T0 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();
  static List<Event> events;
  static LightGbmModel live;
  static LightGbmModel challenger;

  @BeforeAll
  static void trainTwoModels() {
    Random r = new Random(9);
    events = new ArrayList<>();
    for (int i = 0; i < 4_000; i++) {
      var body = TestEvents.payment("e" + i, T0 + i * 1_000L, "acc" + r.nextInt(200), 1_000 + r.nextInt(200_000), "EUR");
      body.put("merchant_id", "m" + r.nextInt(20));
      events.add(TestEvents.parse(body));
    }
    Engine warmUp = engine(null, null);
    int width = ModelFeatures.SCHEMA.size();
    double[] matrix = new double[events.size() * width];
    float[] big = new float[events.size()];
    float[] busy = new float[events.size()];
    int amount = ModelFeatures.SCHEMA.indexOf("amount_major"), count = ModelFeatures.SCHEMA.indexOf("account_count_1d");
    for (int i = 0; i < events.size(); i++) {
      double[] v = warmUp.decide(events.get(i), events.get(i).occurredAtMillis()).model().features();
      System.arraycopy(v, 0, matrix, i * width, width);
      big[i] = v[amount] > 1_500 && r.nextDouble() < 0.9 ? 1f : 0f;
      busy[i] = v[count] > 15 && r.nextDouble() < 0.9 ? 1f : 0f;
    }
    Map<String, String> params = Map.of("rounds", "40", "min_data_in_leaf", "20");
    live = LightGbmTrainer.train(new LightGbmTrainer.TrainingSet(ModelFeatures.SCHEMA, matrix, big, 0, 1), params, "live", T0);
    challenger = LightGbmTrainer.train(new LightGbmTrainer.TrainingSet(ModelFeatures.SCHEMA, matrix, busy, 0, 1), params, "challenger", T0);
  }

  @AfterAll
  static void close() {
    live.close();
    challenger.close();
  }

  static Engine engine(Model champion, Model shadow) {
    Engine engine = new Engine(FeatureConfig.defaults(), new ListIndex());
    engine.install(CompiledPolicy.compile(DefaultPolicyPack.document(), engine.compiler()));
    ModelRegistry registry = new ModelRegistry();
    registry.activate(champion);
    registry.shadow(shadow);
    engine.install(registry);
    return engine;
  }

  @Test
  void theShadowIsScoredOnEveryEventAndNeverChangesAnActionOrScore() {
    Engine withShadow = engine(live, challenger);
    Engine without = engine(live, null);
    int moved = 0;
    for (Event e : events) {
      Decision a = withShadow.decide(e, e.occurredAtMillis());
      Decision b = without.decide(e, e.occurredAtMillis());
      assertThat(a.action()).isEqualTo(b.action());
      assertThat(a.score()).isEqualTo(b.score());
      assertThat(a.reasons()).isEqualTo(b.reasons());
      assertThat(a.model().challengerId()).isEqualTo("challenger");
      assertThat(a.model().challengerProbability()).isBetween(0.0, 1.0);
      assertThat(b.model().challengerId()).isNull();
      assertThat(a.model().probability()).isEqualTo(b.model().probability());
      if (a.model().challengerProbability() > 0.5 != a.model().probability() > 0.5) moved++;
    }
    assertThat(moved).as("the two models disagree on some events, so the comparison is not vacuous").isGreaterThan(10);
  }

  @Test
  void theLiveModelBlendsFiftyFiftyAndExplainsWhatAPersonWillSee() {
    Engine engine = engine(live, null);
    Engine rulesOnly = engine(null, null);
    int explained = 0;
    for (Event e : events) {
      Decision d = engine.decide(e, e.occurredAtMillis());
      Decision r = rulesOnly.decide(e, e.occurredAtMillis());
      assertThat(r.score()).as("without a model the rules score stands alone").isEqualTo(r.rulesScore());
      assertThat(d.score()).isEqualTo((int) Math.round(0.5 * d.rulesScore() + 0.5 * 100 * d.model().probability()));
      assertThat(d.model().modelScore()).isEqualTo((int) Math.round(100 * d.model().probability()));
      // Every decision the model scored carries its top features, allowed ones too: path contributions.
      assertThat(d.model().topFeatures()).hasSize(ModelOutcome.TOP_FEATURES);
      Explanation why = live.explainFast(d.model().features());
      assertThat(d.model().topFeatures().get(0).feature()).isEqualTo(why.top(1).get(0).feature());
      assertThat(d.model().topFeatures().get(0).contribution()).isEqualTo(why.top(1).get(0).value());
      if (d.action() != Action.ALLOW) explained++;
    }
    assertThat(explained).as("some decisions are stepped up by the model").isGreaterThan(0);
  }

  @Test
  void everyDecisionTheModelStepsUpCarriesTheModelsReasonWithItsTopFeatures() {
    Engine engine = engine(live, null);
    Thresholds thresholds = DefaultPolicyPack.document().thresholdsFor(EventType.PAYMENT);
    int modelOnly = 0;
    for (Event e : events) {
      Decision d = engine.decide(e, e.occurredAtMillis());
      if (d.action() == Action.ALLOW) continue;
      assertThat(d.reasons()).as("a decision that is not ALLOW says why").isNotEmpty();
      if (thresholds.action(d.score()) == Action.ALLOW) continue;
      Reason model = d.reasons().stream().filter(r -> r.ruleId().equals(ModelReason.RULE_ID)).findFirst().orElseThrow();
      assertThat(model.message()).startsWith("Model live gives a fraud probability of ");
      for (ModelOutcome.TopFeature f : d.model().topFeatures()) {
        assertThat(model.message()).contains(f.feature() + " = ");
        assertThat(model.values()).containsKey(f.feature());
      }
      assertThat(model.values()).containsEntry("model.version", "live");
      if (d.reasons().size() == 1) modelOnly++;
    }
    assertThat(modelOnly).as("some actions come from the model alone, which would otherwise have no reason").isGreaterThan(0);
  }
}
