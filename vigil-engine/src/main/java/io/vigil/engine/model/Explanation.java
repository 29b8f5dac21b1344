package io.vigil.engine.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Why a model scored a vector as it did: {@code margin = bias + Σ contributions[i]}.
 *
 * @param contributions one value per schema feature, in schema order
 * @param bias the expected margin (the part no feature explains)
 */
public record Explanation(FeatureSchema schema, double[] contributions, double bias, double margin) {
  public Explanation {
    if (contributions.length != schema.size()) throw new IllegalArgumentException("one contribution per feature");
    contributions = contributions.clone();
  }

  /** One feature's share of the margin. */
  public record Contribution(String feature, double value) {}

  @Override
  public double[] contributions() {
    return contributions.clone();
  }

  /**
   * The k features that move the margin most, largest absolute contribution first (ties: schema
   * order). A selection, not a sort: k passes over the features, k objects made.
   */
  public List<Contribution> top(int k) {
    int n = Math.min(k, contributions.length);
    List<Contribution> out = new ArrayList<>(n);
    boolean[] taken = new boolean[contributions.length];
    for (int r = 0; r < n; r++) {
      int best = -1;
      for (int i = 0; i < contributions.length; i++) {
        if (!taken[i] && (best < 0 || Math.abs(contributions[i]) > Math.abs(contributions[best]))) best = i;
      }
      taken[best] = true;
      out.add(new Contribution(schema.featureNames().get(best), contributions[best]));
    }
    return List.copyOf(out);
  }
}
