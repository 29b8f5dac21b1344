package io.vigil.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vigil.engine.evaluation.RankingMetrics;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LightGbmModelTest {
  static SyntheticData train;
  static SyntheticData heldOut;
  static LightGbmModel model;

  @BeforeAll
  static void trainOnce() {
    train = new SyntheticData(20_000, 1);
    heldOut = new SyntheticData(10_000, 2);
    model = LightGbmTrainer.train(train.trainingSet(), Map.of("rounds", "100", "num_leaves", "15"), "test-model", 1_000L);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void aTrainedModelBeatsAConstantPredictorOnHeldOutData() {
    boolean[] y = heldOut.labels();
    double[] p = new double[heldOut.rows];
    for (int i = 0; i < p.length; i++) p[i] = model.probability(heldOut.row(i));
    double base = 0;
    for (boolean b : y) if (b) base++;
    base /= y.length;
    double modelLogLoss = 0, constantLogLoss = 0;
    for (int i = 0; i < p.length; i++) {
      modelLogLoss -= y[i] ? Math.log(p[i]) : Math.log(1 - p[i]);
      constantLogLoss -= y[i] ? Math.log(base) : Math.log(1 - base);
    }
    assertThat(base).isBetween(0.01, 0.3);
    assertThat(modelLogLoss).isLessThan(constantLogLoss * 0.85);
    assertThat(RankingMetrics.aucRoc(p, y)).isGreaterThan(0.75);
    // A constant has AP equal to the base rate; the model must do far better.
    assertThat(RankingMetrics.averagePrecision(p, y)).isGreaterThan(2 * base);
  }

  @Test
  void contributionsSumToTheMargin() {
    for (int i = 0; i < 200; i++) {
      double[] x = heldOut.row(i);
      Explanation e = model.explain(x);
      double sum = e.bias();
      for (double c : e.contributions()) sum += c;
      assertThat(sum).isCloseTo(model.margin(x), within(1e-9));
      assertThat(e.margin()).isCloseTo(model.margin(x), within(1e-9));
    }
    // The noise feature carries no signal: on average it explains less than the amount does.
    double noise = 0, amount = 0;
    for (int i = 0; i < 500; i++) {
      double[] c = model.explain(heldOut.row(i)).contributions();
      amount += Math.abs(c[0]);
      noise += Math.abs(c[4]);
    }
    assertThat(noise).isLessThan(amount);
    assertThat(model.explain(heldOut.row(0)).top(2)).hasSize(2);
  }

  @Test
  void theArtifactRoundTripsToTheSameScores(@TempDir Path dir) throws Exception {
    ModelArtifact artifact = model.artifact();
    Path file = dir.resolve("m.model");
    artifact.write(file);
    ModelArtifact read = ModelArtifact.read(file);
    assertThat(read.metadata()).isEqualTo(model.metadata());
    assertThat(read.metadata().params()).containsEntry("num_leaves", "15").containsEntry("objective", "binary");
    assertThat(read.metadata().trainRows()).isEqualTo(20_000);
    try (Model loaded = read.load()) {
      for (int i = 0; i < 100; i++) assertThat(loaded.margin(heldOut.row(i))).isEqualTo(model.margin(heldOut.row(i)));
    }
    assertThatThrownBy(() -> ModelArtifact.parse("not a model")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aVectorOfTheWrongSizeOrAClosedModelIsRefused() {
    assertThatThrownBy(() -> model.margin(new double[3])).isInstanceOf(IllegalArgumentException.class);
    LightGbmModel other = LightGbmModel.fromText(model.artifact().toText().substring(model.artifact().toText().indexOf("\n---\n") + 5),
        model.metadata());
    other.close();
    assertThatThrownBy(() -> other.margin(heldOut.row(0))).isInstanceOf(IllegalStateException.class);
  }
}
