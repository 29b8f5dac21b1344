package io.vigil.engine.model;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The live model (champion) and an optional shadow (challenger), each swapped atomically: a
 * decision reads each reference once, so it sees one whole model. The challenger is scored and
 * recorded but never changes an action ({@link ModelBlend} uses only the champion).
 *
 * <p>Swapping does not close the previous model: a decision running on another thread may still
 * hold it. The caller closes what {@link #activate} and {@link #shadow} return once the decisions
 * in flight are done (on the single decision thread: after the swap returns).
 */
public final class ModelRegistry {
  private final AtomicReference<Model> champion = new AtomicReference<>();
  private final AtomicReference<Model> challenger = new AtomicReference<>();

  /** What the models said about one vector. Probabilities are NaN when the model is absent. */
  public record Scores(double probability, String modelId, double challengerProbability, String challengerId) {
    public boolean hasModel() {
      return modelId != null;
    }
  }

  /** Makes a model live for every following decision; returns the one it replaces (or null). */
  public Model activate(Model model) {
    return champion.getAndSet(model);
  }

  /** Sets (or with null removes) the shadow model; returns the one it replaces (or null). */
  public Model shadow(Model model) {
    return challenger.getAndSet(model);
  }

  public Model champion() {
    return champion.get();
  }

  public Model challenger() {
    return challenger.get();
  }

  public Scores score(double[] features) {
    Model live = champion.get();
    Model shadow = challenger.get();
    double p = live == null ? Double.NaN : live.probability(features);
    double q = shadow == null ? Double.NaN : shadow.probability(features);
    return new Scores(p, live == null ? null : live.metadata().modelId(), q, shadow == null ? null : shadow.metadata().modelId());
  }
}
