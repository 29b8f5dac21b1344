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
  /** The share of accounts (0–100, by {@link io.vigil.engine.release.StableSplit}) the challenger scores and acts on; 0: shadow only. */
  private volatile int challengerPercent;

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

  /**
   * Puts the challenger on a traffic split: it scores and acts on {@code percent} % of accounts
   * (the same stable account hash as a gray release), the champion on the rest; 0 makes it a
   * shadow again. Each decision records which model scored it.
   */
  public void challengerPercent(int percent) {
    if (percent < 0 || percent > 100) throw new IllegalArgumentException("percent must be 0-100");
    challengerPercent = percent;
  }

  public int challengerPercent() {
    return challengerPercent;
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
