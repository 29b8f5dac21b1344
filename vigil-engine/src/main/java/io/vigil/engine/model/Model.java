package io.vigil.engine.model;

/**
 * A fraud model: one feature vector of its {@link ModelMetadata#schema()} in, a margin (log-odds) and
 * a probability out. Implementations score one row in microseconds and may be called from any thread.
 * A model holds native memory: {@link #close()} it once no decision can still use it.
 */
public interface Model extends AutoCloseable {
  ModelMetadata metadata();

  /** The raw score: log-odds of fraud. */
  double margin(double[] features);

  /** The probability of fraud, 0-1. */
  default double probability(double[] features) {
    return sigmoid(margin(features));
  }

  /** Whether {@link #explain} is available. */
  boolean supportsContributions();

  /**
   * Per-feature contributions to the margin (tree SHAP for tree models): they and the bias sum to
   * {@link #margin}. Throws {@link UnsupportedOperationException} when {@link #supportsContributions()} is false.
   */
  Explanation explain(double[] features);

  /**
   * Contributions cheap enough for every decision, summing with the bias to {@link #margin} like
   * {@link #explain}'s; by default {@link #explain} itself. Tree models answer with path
   * contributions (one walk per tree) instead of tree SHAP.
   */
  default Explanation explainFast(double[] features) {
    return explain(features);
  }

  @Override
  void close();

  static double sigmoid(double margin) {
    return 1.0 / (1.0 + Math.exp(-margin));
  }

  /** The margin of a probability, clamped away from 0 and 1 so that it stays finite. */
  static double logit(double probability) {
    double p = Math.min(1 - 1e-12, Math.max(1e-12, probability));
    return Math.log(p / (1 - p));
  }
}
