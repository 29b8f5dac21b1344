package io.vigil.engine.model;

import com.microsoft.ml.lightgbm.PredictionType;
import io.github.metarank.lightgbm4j.LGBMBooster;
import io.github.metarank.lightgbm4j.LGBMException;
import java.util.Arrays;

/**
 * A LightGBM binary classifier loaded from its model text. One row's margin is walked in Java over
 * the compiled trees ({@link TreeEnsemble}: no JNI call in the decision path, the same value as
 * LightGBM's); batches ({@link #margins}) and {@link #explain} go to LightGBM itself. {@code explain}
 * is LightGBM's {@code predict_contrib}, i.e. tree SHAP values, which sum with the bias to the raw score.
 *
 * <p>LightGBM's predict functions are safe to call from several threads on one booster. The booster
 * is native memory: {@link #close()} frees it, after which scoring throws.
 */
public final class LightGbmModel implements Model {
  private final LGBMBooster booster;
  private final ModelMetadata metadata;
  private final String modelText;
  private final int featureCount;
  /** The compiled trees, or null for a model {@link TreeEnsemble} does not reproduce (LightGBM scores it). */
  private final TreeEnsemble trees;
  private volatile boolean closed;

  private LightGbmModel(LGBMBooster booster, ModelMetadata metadata, String modelText, TreeEnsemble trees) {
    this.booster = booster;
    this.metadata = metadata;
    this.modelText = modelText;
    this.featureCount = metadata.schema().size();
    this.trees = trees;
  }

  /**
   * Contributions of one row on the calling thread. LightGBM's default runs OpenMP across all cores,
   * whose barrier costs milliseconds per call when the cores are busy (measured: 14 ms p50 for one
   * row's contributions on a loaded 2-core machine, 0.9 ms with one thread; alike on a quiet one).
   */
  private static final String ONE_THREAD = "num_threads=1";

  /** Loads a model from LightGBM's text format; checks that it has the schema's feature count. */
  public static LightGbmModel fromText(String modelText, ModelMetadata metadata) {
    if (!ModelMetadata.FORMAT_LIGHTGBM.equals(metadata.format())) throw new IllegalArgumentException("not a LightGBM artifact");
    LGBMBooster booster;
    try {
      booster = LGBMBooster.loadModelFromString(modelText);
    } catch (LGBMException e) {
      throw new IllegalArgumentException("LightGBM refused the model text: " + e.getMessage(), e);
    }
    TreeEnsemble trees;
    try {
      int n = booster.getNumFeature();
      if (n != metadata.schema().size()) {
        throw new IllegalArgumentException("model has " + n + " features, schema " + metadata.schema().id() + " has " + metadata.schema().size());
      }
      if (booster.getNumClasses() != 1) throw new IllegalArgumentException("only binary models are supported");
      trees = TreeEnsemble.compile(modelText, n);
    } catch (LGBMException | RuntimeException e) {
      closeQuietly(booster);
      if (e instanceof IllegalArgumentException iae) throw iae;
      throw new IllegalStateException("LightGBM failed to describe the model", e);
    }
    return new LightGbmModel(booster, metadata, modelText, trees);
  }

  @Override
  public ModelMetadata metadata() {
    return metadata;
  }

  /** Whether {@link #margin} walks the compiled trees in Java (true for every model Vigil trains). */
  public boolean compiled() {
    return trees != null;
  }

  public ModelArtifact artifact() {
    return new ModelArtifact(metadata, modelText.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public double margin(double[] features) {
    if (trees == null) return nativeMargin(features);
    check(features);
    return trees.margin(features);
  }

  /** LightGBM's own single-row raw score (for models the Java walk does not cover, and for comparison). */
  double nativeMargin(double[] features) {
    check(features);
    try {
      return booster.predictForMatSingleRow(features, PredictionType.C_API_PREDICT_RAW_SCORE);
    } catch (LGBMException e) {
      throw new IllegalStateException("LightGBM prediction failed", e);
    }
  }

  /** Margins of many rows (row-major, {@code rows × features}), for evaluation and training reports. */
  public double[] margins(double[] rowMajor, int rows) {
    if (closed) throw new IllegalStateException("model " + metadata.modelId() + " is closed");
    if (rows == 0) return new double[0];
    if (rowMajor.length != rows * featureCount) throw new IllegalArgumentException("matrix must be rows × " + featureCount);
    try {
      return booster.predictForMat(rowMajor, rows, featureCount, true, PredictionType.C_API_PREDICT_RAW_SCORE);
    } catch (LGBMException e) {
      throw new IllegalStateException("LightGBM prediction failed", e);
    }
  }

  @Override
  public boolean supportsContributions() {
    return true;
  }

  @Override
  public Explanation explain(double[] features) {
    check(features);
    double[] contrib;
    try {
      contrib = booster.predictForMat(features, 1, featureCount, true, PredictionType.C_API_PREDICT_CONTRIB, ONE_THREAD);
    } catch (LGBMException e) {
      throw new IllegalStateException("LightGBM contributions failed", e);
    }
    assert contrib.length == featureCount + 1 : "one value per feature plus the bias";
    double sum = 0;
    for (double c : contrib) sum += c;
    return new Explanation(metadata.schema(), Arrays.copyOf(contrib, featureCount), contrib[featureCount], sum);
  }

  /** Path contributions over the compiled trees (microseconds); LightGBM's tree SHAP when the trees are not compiled. */
  @Override
  public Explanation explainFast(double[] features) {
    check(features);
    if (trees == null) return explain(features);
    double[] contributions = new double[featureCount];
    double[] biasAndMargin = trees.pathContributions(features, contributions);
    return new Explanation(metadata.schema(), contributions, biasAndMargin[0], biasAndMargin[1]);
  }

  private void check(double[] features) {
    if (closed) throw new IllegalStateException("model " + metadata.modelId() + " is closed");
    if (features.length != featureCount) throw new IllegalArgumentException("vector must have " + featureCount + " values");
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    closeQuietly(booster);
  }

  private static void closeQuietly(LGBMBooster booster) {
    try {
      booster.close();
    } catch (LGBMException e) {
      // Freeing native memory failed: nothing more can be done, and the model is unusable either way.
    }
  }
}
