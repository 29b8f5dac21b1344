package io.vigil.engine.model;

import io.github.metarank.lightgbm4j.LGBMBooster;
import io.github.metarank.lightgbm4j.LGBMDataset;
import io.github.metarank.lightgbm4j.LGBMException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Trains a LightGBM binary classifier in-process. Call it off the decision thread (see
 * {@link ModelTraining}); a few hundred thousand rows train in seconds.
 *
 * <p>Parameters are explicit: {@link #defaults()} lists every one we set, and callers override by name.
 * {@code rounds} is a fixed number of boosting rounds (no early stopping on data the caller later
 * evaluates on).
 */
public final class LightGbmTrainer {
  /** Rows in one training set (≈ 690 MB of doubles at 43 features). */
  public static final int ROWS_MAX = 2_000_000;
  /** Boosting rounds at most. */
  public static final int ROUNDS_MAX = 5_000;

  private LightGbmTrainer() {}

  /** Row-major training data with 0/1 labels. */
  public record TrainingSet(FeatureSchema schema, double[] rowMajor, float[] labels, long fromMillis, long toMillis) {
    public TrainingSet {
      if (labels.length == 0 || labels.length > ROWS_MAX) throw new IllegalArgumentException("1-" + ROWS_MAX + " rows");
      if (rowMajor.length != labels.length * schema.size()) throw new IllegalArgumentException("matrix must be rows × features");
    }

    public int rows() {
      return labels.length;
    }

    public long positives() {
      long n = 0;
      for (float l : labels) if (l > 0.5f) n++;
      return n;
    }
  }

  /** Our defaults: small trees, slow learning, deterministic. Keys are LightGBM parameter names. */
  public static Map<String, String> defaults() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("objective", "binary");
    p.put("learning_rate", "0.05");
    p.put("num_leaves", "31");
    p.put("min_data_in_leaf", "50");
    p.put("feature_fraction", "0.9");
    p.put("bagging_fraction", "0.8");
    p.put("bagging_freq", "1");
    p.put("lambda_l2", "1.0");
    p.put("max_bin", "127");
    p.put("force_col_wise", "true");
    p.put("seed", "7");
    p.put("deterministic", "true");
    p.put("num_threads", "1"); // OpenMP threads spin: on a shared machine one thread trains faster than two
    p.put("verbosity", "-1");
    p.put("rounds", "200");
    return p;
  }

  /** Trains with {@link #defaults()} overridden by {@code overrides}; {@code rounds} is ours, the rest LightGBM's. */
  public static LightGbmModel train(TrainingSet data, Map<String, String> overrides, String modelId, long trainedAtMillis) {
    return train(data, null, overrides, modelId, trainedAtMillis);
  }

  /** As {@link #train(TrainingSet, Map, String, long)} with one non-negative weight per row (null = all 1). */
  public static LightGbmModel train(TrainingSet data, float[] weights, Map<String, String> overrides, String modelId,
      long trainedAtMillis) {
    return train(data, weights, null, overrides, modelId, trainedAtMillis);
  }

  /** As above with query sizes for a ranking objective (consecutive rows; null = none). */
  public static LightGbmModel train(TrainingSet data, float[] weights, int[] groups, Map<String, String> overrides, String modelId,
      long trainedAtMillis) {
    if (weights != null && weights.length != data.rows()) throw new IllegalArgumentException("one weight per row");
    Map<String, String> params = defaults();
    params.putAll(overrides);
    int rounds = Integer.parseInt(params.get("rounds"));
    if (rounds < 1 || rounds > ROUNDS_MAX) throw new IllegalArgumentException("rounds must be 1-" + ROUNDS_MAX);
    StringJoiner native_ = new StringJoiner(" ");
    params.forEach((k, v) -> {
      // rounds is ours; a learned score combination rides in the parameters to the artifact, LightGBM never sees it.
      if (!k.equals("rounds") && !k.startsWith(ScoreCombination.PARAM_PREFIX)) native_.add(k + "=" + v);
    });
    String text;
    try (LGBMDataset dataset = LGBMDataset.createFromMat(data.rowMajor(), data.rows(), data.schema().size(), true, native_.toString(), null)) {
      dataset.setFeatureNames(data.schema().featureNames().toArray(new String[0]));
      dataset.setField("label", data.labels());
      if (weights != null) dataset.setField("weight", weights);
      if (groups != null) dataset.setField("group", groups);
      try (LGBMBooster booster = LGBMBooster.create(dataset, native_.toString())) {
        for (int i = 0; i < rounds; i++) {
          if (booster.updateOneIter()) break; // true: no further split possible
        }
        text = booster.saveModelToString(0, 0, LGBMBooster.FeatureImportanceType.GAIN);
      }
    } catch (LGBMException e) {
      throw new IllegalStateException("LightGBM training failed: " + e.getMessage(), e);
    }
    ModelMetadata metadata = new ModelMetadata(modelId, ModelMetadata.FORMAT_LIGHTGBM, data.schema(), trainedAtMillis,
        data.fromMillis(), data.toMillis(), data.rows(), data.positives(), params, Map.of());
    return LightGbmModel.fromText(text, metadata);
  }
}
