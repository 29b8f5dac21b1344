package io.vigil.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.Engine;
import io.vigil.engine.TestEvents;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.policy.CompiledPolicy;
import io.vigil.engine.policy.Decision;
import io.vigil.engine.policy.DefaultPolicyPack;
import io.vigil.engine.policy.PolicyDocument;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShadowScoringTest {
  /** A stand-in for a real model whose probability is a fixed function of the vector. */
  record FixedModel(String id, double bias) implements Model {
    @Override
    public ModelMetadata metadata() {
      return new ModelMetadata(id, ModelMetadata.FORMAT_LIGHTGBM, ModelFeatures.SCHEMA, 0, 0, 0, 0, 0, Map.of(), Map.of());
    }

    @Override
    public double margin(double[] f) {
      return bias + 0.01 * f[0];
    }

    @Override
    public boolean supportsContributions() {
      return false;
    }

    @Override
    public Explanation explain(double[] f) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }

  @Test
  void theShadowModelIsScoredButNeverChangesTheActionOrScore() {
    PolicyDocument d = DefaultPolicyPack.document();
    PolicyDocument policy = new PolicyDocument(d.version(), d.rules(), d.defaultThresholds(), d.thresholdsByType(), 0.5, 0.5,
        d.defaultTimezone(), d.scorecards(), d.holds());
    Engine engine = new Engine(FeatureConfig.defaults(), new ListIndex());
    engine.install(CompiledPolicy.compile(policy, engine.compiler()));
    ModelFeatures features = new ModelFeatures(engine.features(), new io.vigil.engine.label.LabelStore(86_400_000L * 90, 1000),
        7 * 86_400_000L, java.time.ZoneOffset.UTC);
    ModelRegistry withShadow = new ModelRegistry();
    ModelRegistry withoutShadow = new ModelRegistry();
    withShadow.activate(new FixedModel("live", -3));
    withoutShadow.activate(new FixedModel("live", -3));
    withShadow.shadow(new FixedModel("wild-challenger", 6)); // says "fraud" to everything

    Random r = new Random(5);
    long t = java.time.Instant.parse("2018-08-08T00:00:00Z").toEpochMilli();
    double[] vector = new double[ModelFeatures.SCHEMA.size()];
    int nonAllow = 0;
    for (int i = 0; i < 2_000; i++) {
      t += r.nextInt(600_000);
      var body = TestEvents.payment("e" + i, t, "acc" + r.nextInt(30), 100 + r.nextInt(800_000), "USD");
      body.put("merchant_id", "m" + r.nextInt(10));
      var event = TestEvents.parse(body);
      Decision decision = engine.decide(event, t);
      features.compute(event, decision.rulesScore(), vector);
      var a = ModelBlend.apply(decision, withShadow.score(vector), policy, policy.thresholdsFor(event.type()));
      var b = ModelBlend.apply(decision, withoutShadow.score(vector), policy, policy.thresholdsFor(event.type()));
      assertThat(a.action()).isEqualTo(b.action());
      assertThat(a.score()).isEqualTo(b.score());
      assertThat(a.model().challengerProbability()).isGreaterThan(0.99);
      assertThat(a.model().challengerId()).isEqualTo("wild-challenger");
      assertThat(b.model().challengerProbability()).isNaN();
      if (a.action() != io.vigil.engine.policy.Action.ALLOW) nonAllow++;
    }
    // The live model does move some actions (large amounts), so the comparison is not vacuous.
    assertThat(nonAllow).isGreaterThan(0);
  }

  @Test
  void theBlendFollowsThePolicyWeights() {
    assertThat(ModelBlend.score(40, 0.8, 0.5, 0.5)).isEqualTo(60);
    assertThat(ModelBlend.score(40, 0.8, 1.0, 0.0)).isEqualTo(40);
    assertThat(ModelBlend.score(40, 0.8, 0.2, 0.8)).isEqualTo(72);
    assertThat(ModelBlend.score(40, Double.NaN, 0.5, 0.5)).isEqualTo(40);
  }

  @Test
  void activationIsAnAtomicSwapReturningThePreviousModel() {
    ModelRegistry registry = new ModelRegistry();
    Model first = new FixedModel("a", 0), second = new FixedModel("b", 0);
    assertThat(registry.activate(first)).isNull();
    assertThat(registry.activate(second)).isSameAs(first);
    assertThat(registry.score(new double[ModelFeatures.SCHEMA.size()]).modelId()).isEqualTo("b");
  }
}
