package io.vigil.engine.model;

import java.util.List;

/**
 * What the models said about one decided event: the feature vector (stored with the decision, so
 * a model can be trained on exactly what the engine saw), the live model's probability and its top
 * contributions, and the shadow model's probability, which never changes the action.
 *
 * @param modelId the live model, null when none is live (then {@code probability} is NaN)
 * @param modelScore {@code round(100 × probability)}, 0 without a live model
 * @param topFeatures the features that moved the live model's margin most (path contributions);
 *     empty for a model that cannot explain itself (ONNX)
 * @param challengerId the shadow model, null when none
 * @param scoredBy the live model instance that scored, for explaining this vector; not stored
 * @param combinedProbability the learned combination's probability that the decision score is made
 *     of ({@link ScoreCombination}); NaN when the policy's fixed blend applies or no model is live
 */
public record ModelOutcome(
    FeatureSchema schema,
    double[] features,
    String modelId,
    double probability,
    int modelScore,
    List<TopFeature> topFeatures,
    String challengerId,
    double challengerProbability,
    Model scoredBy,
    double combinedProbability) {

  /** Features explained per decision. */
  public static final int TOP_FEATURES = 5;

  /** One feature's value and its contribution to the live model's margin (log-odds). */
  public record TopFeature(String feature, double value, double contribution) {}

  public ModelOutcome {
    if (features.length != schema.size()) throw new IllegalArgumentException("one value per schema feature");
    features = features.clone();
    topFeatures = List.copyOf(topFeatures);
  }

  @Override
  public double[] features() {
    return features.clone();
  }

  public ModelOutcome withTopFeatures(List<TopFeature> top) {
    return new ModelOutcome(schema, features, modelId, probability, modelScore, top, challengerId, challengerProbability, scoredBy,
        combinedProbability);
  }

  public ModelOutcome withCombinedProbability(double combined) {
    return new ModelOutcome(schema, features, modelId, probability, modelScore, topFeatures, challengerId, challengerProbability,
        scoredBy, combined);
  }

  public boolean scored() {
    return modelId != null;
  }
}
