package io.vigil.engine.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.Engine;
import io.vigil.engine.TestEvents;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.model.Explanation;
import io.vigil.engine.model.Model;
import io.vigil.engine.model.ModelFeatures;
import io.vigil.engine.model.ModelMetadata;
import io.vigil.engine.model.ModelRegistry;
import io.vigil.engine.policy.CompiledPolicy;
import io.vigil.engine.policy.Decision;
import io.vigil.engine.policy.DefaultPolicyPack;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The challenger model on a traffic split: it scores the accounts on its side, the champion the rest; each decision says which. */
class ChallengerSplitTest {
  static final long NOON = Instant.parse("2026-11-21T14:00:00Z").toEpochMilli();

  /** A model with a fixed margin. */
  record FixedModel(String id, double bias) implements Model {
    @Override
    public ModelMetadata metadata() {
      return new ModelMetadata(id, ModelMetadata.FORMAT_LIGHTGBM, ModelFeatures.SCHEMA, 0, 0, 0, 0, 0, Map.of(), Map.of());
    }

    @Override
    public double margin(double[] f) {
      return bias;
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
  void theChallengerScoresItsShareOfAccountsAndTheChampionIsRecordedBeside() {
    Engine engine = new Engine(FeatureConfig.defaults(), new ListIndex());
    engine.install(CompiledPolicy.compile(DefaultPolicyPack.document(), engine.compiler()));
    ModelRegistry models = new ModelRegistry();
    models.activate(new FixedModel("champion", -2));
    models.shadow(new FixedModel("challenger", 2));
    engine.install(models);
    models.challengerPercent(40);
    int challenged = 0;
    for (int i = 0; i < 300; i++) {
      String account = "acct-model-" + i;
      Decision d = engine.decide(TestEvents.parse(TestEvents.payment("m" + i, NOON, account, 1_000, "USD")), NOON);
      boolean onChallenger = StableSplit.candidate(account, 40);
      assertThat(d.model().modelId()).isEqualTo(onChallenger ? "challenger" : "champion");
      assertThat(d.model().challengerId()).isEqualTo(onChallenger ? "champion" : "challenger");
      if (onChallenger) challenged++;
    }
    assertThat(challenged).isBetween(80, 160);
    models.challengerPercent(0);
    Decision back = engine.decide(TestEvents.parse(TestEvents.payment("m-back", NOON, "acct-model-1", 1_000, "USD")), NOON);
    assertThat(back.model().modelId()).isEqualTo("champion");
  }
}
