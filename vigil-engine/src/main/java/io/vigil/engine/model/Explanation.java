package io.vigil.engine.model;

import java.util.ArrayList;
import java.util.Comparator;
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

  /** The k features that move the margin most, largest absolute contribution first. */
  public List<Contribution> top(int k) {
    List<Contribution> all = new ArrayList<>(contributions.length);
    for (int i = 0; i < contributions.length; i++) all.add(new Contribution(schema.featureNames().get(i), contributions[i]));
    all.sort(Comparator.comparingDouble((Contribution c) -> -Math.abs(c.value())));
    return List.copyOf(all.subList(0, Math.min(k, all.size())));
  }
}
