package io.vigil.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The blend formula and the registry's atomic swap. That a shadow never changes an action, score or
 * reason inside {@code Engine.decide} is {@link EngineModelTest}'s, with real LightGBM models.
 */
class ModelBlendTest {
  /** A stand-in for a model, for the registry's bookkeeping only (nothing is scored with it). */
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
