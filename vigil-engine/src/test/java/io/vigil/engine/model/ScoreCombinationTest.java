package io.vigil.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.engine.Engine;
import io.vigil.engine.evaluation.RankingMetrics;
import io.vigil.engine.event.Event;
import io.vigil.engine.policy.Decision;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The learned score combination: its formula, its artifact parameters, the learner's choice on
 * validation rows, and the engine acting on it with a real LightGBM model.
 */
class ScoreCombinationTest {
  /** Scored, labelled rows: a model that sees {@code signal}, rules that see {@code rulesSignal} (or noise). */
  static CombinationLearner.Rows rows(int n, long seed, double rulesInformation) {
    Random r = new Random(seed);
    double[] p = new double[n];
    int[] rules = new int[n];
    boolean[] forced = new boolean[n], fraud = new boolean[n];
    for (int i = 0; i < n; i++) {
      double signal = r.nextGaussian(), rulesSignal = r.nextGaussian();
      fraud[i] = r.nextDouble() < Model.sigmoid(-4.5 + 1.6 * signal + rulesInformation * rulesSignal);
      double modelLogit = -4.5 + 1.6 * signal + 0.3 * r.nextGaussian();
      p[i] = Model.sigmoid(modelLogit);
      double ruleView = rulesInformation > 0 ? rulesSignal : r.nextGaussian();
      rules[i] = (int) Math.max(0, Math.min(100, Math.round(50 + 20 * ruleView)));
      forced[i] = r.nextDouble() < 0.01;
    }
    return new CombinationLearner.Rows(p, rules, forced, fraud);
  }

  static double[] ap(CombinationLearner.Rows rows, ScoreCombination c) {
    double[] combined = CombinationLearner.scores(c, rows);
    double[] model = rows.modelProbability();
    double[] rules = new double[rows.fraud().length];
    for (int i = 0; i < rules.length; i++) rules[i] = rows.rulesScore()[i];
    return new double[] {RankingMetrics.averagePrecision(combined, rows.fraud()), RankingMetrics.averagePrecision(model, rows.fraud()),
        RankingMetrics.averagePrecision(rules, rows.fraud()), RankingMetrics.aucRoc(combined, rows.fraud()),
        RankingMetrics.aucRoc(model, rows.fraud()), RankingMetrics.aucRoc(rules, rows.fraud())};
  }

  @Test
  void theFormulaIsALogisticOverTheModelsLogOddsTheRulesAndTheForcedFlag() {
    ScoreCombination c = new ScoreCombination("logistic", -1.0, 0.5, 2.0, 3.0);
    double p = 0.2;
    double expected = Model.sigmoid(-1.0 + 0.5 * Math.log(0.2 / 0.8) + 2.0 * 0.4 + 3.0);
    assertThat(c.probability(p, 40, true)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(c.probability(p, 40, false)).isCloseTo(Model.sigmoid(-1.0 + 0.5 * Math.log(0.25) + 0.8),
        org.assertj.core.data.Offset.offset(1e-12));
    assertThat(ScoreCombination.score(0.734)).isEqualTo(73);
    assertThat(ScoreCombination.score(1.0)).isEqualTo(100);
    assertThat(ScoreCombination.modelAlone().probability(0.37, 90, true)).isCloseTo(0.37, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void itTravelsInTheArtifactParametersAndRefusesNonsense() {
    ScoreCombination c = new ScoreCombination("logistic", -2.5, 1.1, 0.25, -0.5);
    assertThat(ScoreCombination.fromParams(c.toParams())).isEqualTo(c);
    assertThat(ScoreCombination.fromParams(Map.of("learning_rate", "0.05"))).isNull();
    Map<String, String> broken = new HashMap<>(c.toParams());
    broken.put("combination.rules", "lots");
    assertThatThrownBy(() -> ScoreCombination.fromParams(broken)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ScoreCombination("average", 0, 1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ScoreCombination("model", Double.NaN, 1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rulesThatAreNoiseLeaveTheModelAloneSoTheRankingIsTheModels() {
    CombinationLearner.Result result = CombinationLearner.learn(rows(40_000, 1, 0), rows(40_000, 2, 0));
    assertThat(result.combination().choice()).isEqualTo("model");
    assertThat(result.combination().modelLogit()).isPositive();
    CombinationLearner.Rows test = rows(40_000, 3, 0);
    double[] m = ap(test, result.combination());
    // Model alone, recalibrated: a monotone function of p, so exactly the model's AP and AUC.
    assertThat(m[0]).isEqualTo(m[1]);
    assertThat(m[3]).isEqualTo(m[4]);
    assertThat(m[0]).isGreaterThan(m[2]);
  }

  @Test
  void rulesThatKnowSomethingTheModelDoesNotAreCombinedAndBeatBothParts() {
    CombinationLearner.Result result = CombinationLearner.learn(rows(40_000, 4, 1.0), rows(40_000, 5, 1.0));
    assertThat(result.combination().choice()).isEqualTo("logistic");
    assertThat(result.combination().rules()).isPositive();
    assertThat(result.validation().get("logistic.ap")).isGreaterThan(result.validation().get("model.ap"));
    double[] m = ap(rows(40_000, 6, 1.0), result.combination());
    assertThat(m[0]).isGreaterThan(Math.max(m[1], m[2]));
    assertThat(m[3]).isGreaterThan(Math.max(m[4], m[5]));
  }

  @Test
  void onTheValidationRowsTheChoiceIsNeverBelowTheModelOnApOrAuc() {
    for (long seed = 10; seed < 16; seed++) {
      double information = (seed % 3) * 0.4;
      CombinationLearner.Result result = CombinationLearner.learn(rows(8_000, seed, information), rows(8_000, seed + 100, information));
      Map<String, Double> v = result.validation();
      String chosen = result.combination().choice();
      assertThat(v.get(chosen + ".ap")).as("seed %d", seed).isGreaterThanOrEqualTo(v.get("model.ap"));
      assertThat(v.get(chosen + ".auc")).as("seed %d", seed).isGreaterThanOrEqualTo(v.get("model.auc"));
    }
  }

  @Test
  void aCandidateReplacesTheModelOnlyWithAValidatedGainAboveTheMargin() {
    int belowMarginWinsRefused = 0;
    for (long seed = 20; seed < 40; seed++) {
      double information = (seed % 2) * 0.1; // rules that are noise, or nearly so: any validation gain is small
      CombinationLearner.Rows fitting = rows(8_000, seed, information), validation = rows(8_000, seed + 100, information);
      CombinationLearner.Result anyGain = CombinationLearner.learn(fitting, validation, 0);
      CombinationLearner.Result withMargin = CombinationLearner.learn(fitting, validation);
      Map<String, Double> v = withMargin.validation();
      String chosen = withMargin.combination().choice();
      if (!chosen.equals("model")) {
        assertThat(v.get(chosen + ".ap") - v.get("model.ap")).as("seed %d", seed).isGreaterThan(CombinationLearner.AP_GAIN_MIN);
      }
      String eager = anyGain.combination().choice();
      if (!eager.equals("model") && v.get(eager + ".ap") - v.get("model.ap") <= CombinationLearner.AP_GAIN_MIN) {
        assertThat(chosen).as("seed %d: a gain of %.5f AP is below the margin", seed, v.get(eager + ".ap") - v.get("model.ap"))
            .isEqualTo("model");
        belowMarginWinsRefused++;
      }
    }
    assertThat(belowMarginWinsRefused).as("seeds where a candidate won validation by less than the margin").isPositive();
    assertThatThrownBy(() -> CombinationLearner.learn(rows(100, 1, 0), rows(100, 2, 0), -0.1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tooFewFraudsToLearnFromMeansTheModelAlone() {
    CombinationLearner.Rows none = new CombinationLearner.Rows(new double[] {0.1, 0.2}, new int[] {0, 0}, new boolean[2], new boolean[2]);
    assertThat(CombinationLearner.learn(none, none).combination()).isEqualTo(ScoreCombination.modelAlone());
  }

  @Test
  void theEngineActsOnTheCombinationTheLiveModelsArtifactCarries() {
    ScoreCombination c = new ScoreCombination("logistic", 0.5, 0.8, -1.5, 0.0);
    Map<String, String> params = new HashMap<>(Map.of("rounds", "40", "min_data_in_leaf", "20"));
    params.putAll(c.toParams());
    // Trained with the combination among its parameters: LightGBM never sees them, the artifact keeps them.
    EngineModelTest.trainTwoModels();
    ModelMetadata m = EngineModelTest.live.metadata();
    ModelMetadata combinedMetadata = new ModelMetadata("combined", m.format(), m.schema(), m.trainedAtMillis(), m.trainFromMillis(),
        m.trainToMillis(), m.trainRows(), m.trainPositives(), params, m.metrics());
    try (LightGbmModel combined = LightGbmModel.fromText(new String(EngineModelTest.live.artifact().body(), StandardCharsets.UTF_8),
        combinedMetadata)) {
      ModelArtifact reread = ModelArtifact.parse(combined.artifact().toText());
      assertThat(ScoreCombination.fromParams(reread.metadata().params())).isEqualTo(c);
      Engine withCombination = EngineModelTest.engine(combined, null);
      Engine withBlend = EngineModelTest.engine(EngineModelTest.live, null);
      int differ = 0;
      for (Event e : EngineModelTest.events.subList(0, 500)) {
        Decision d = withCombination.decide(e, e.occurredAtMillis());
        Decision b = withBlend.decide(e, e.occurredAtMillis());
        double q = c.probability(d.model().probability(), d.rulesScore(), false);
        assertThat(d.model().combinedProbability()).isCloseTo(q, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(d.score()).isEqualTo(ScoreCombination.score(q));
        assertThat(b.model().combinedProbability()).isNaN();
        assertThat(b.score()).isEqualTo(ModelBlend.score(b.rulesScore(), b.model().probability(), 0.5, 0.5));
        if (d.score() != b.score()) differ++;
      }
      assertThat(differ).isPositive();
    } finally {
      EngineModelTest.close();
    }
  }

  @Test
  void trainingIgnoresTheCombinationParametersAndKeepsThemInTheMetadata() {
    SyntheticData data = new SyntheticData(3_000, 5);
    Map<String, String> params = new HashMap<>(Map.of("rounds", "20"));
    params.putAll(ScoreCombination.modelAlone().toParams());
    try (LightGbmModel m = LightGbmTrainer.train(data.trainingSet(), params, "with-combination", 0)) {
      assertThat(ScoreCombination.fromParams(m.metadata().params())).isEqualTo(ScoreCombination.modelAlone());
    }
  }
}
