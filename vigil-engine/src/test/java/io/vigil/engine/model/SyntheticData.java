package io.vigil.engine.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A seeded synthetic fraud problem: fraud depends on a few features non-linearly, plus noise. */
final class SyntheticData {
  static final FeatureSchema SCHEMA = new FeatureSchema("test.synthetic", 1, List.of("amount", "night", "velocity", "ratio", "noise"));

  final double[] x;
  final float[] y;
  final int rows;

  SyntheticData(int rows, long seed) {
    Random r = new Random(seed);
    this.rows = rows;
    x = new double[rows * SCHEMA.size()];
    y = new float[rows];
    for (int i = 0; i < rows; i++) {
      double amount = Math.exp(r.nextGaussian() * 0.8 + 4);
      double night = r.nextDouble() < 0.25 ? 1 : 0;
      double velocity = r.nextInt(12);
      double ratio = r.nextDouble() * 3;
      double logit = -5 + (amount > 150 ? 2.5 : 0) + 1.2 * night + (velocity > 8 ? 2.0 : 0) + 0.8 * ratio * night;
      y[i] = r.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1f : 0f;
      double[] row = {amount, night, velocity, ratio, r.nextGaussian()};
      System.arraycopy(row, 0, x, i * SCHEMA.size(), row.length);
    }
  }

  double[] row(int i) {
    double[] out = new double[SCHEMA.size()];
    System.arraycopy(x, i * SCHEMA.size(), out, 0, out.length);
    return out;
  }

  boolean[] labels() {
    boolean[] out = new boolean[rows];
    for (int i = 0; i < rows; i++) out[i] = y[i] > 0.5f;
    return out;
  }

  LightGbmTrainer.TrainingSet trainingSet() {
    return new LightGbmTrainer.TrainingSet(SCHEMA, x, y, 0, 1);
  }

  static List<String> names() {
    return new ArrayList<>(SCHEMA.featureNames());
  }
}
