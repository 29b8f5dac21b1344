package io.vigil.engine.scorecard;

import io.vigil.engine.event.EventType;
import java.util.List;
import java.util.Set;

/**
 * A weighted multi-factor admission score (L2), e.g. the whitelist channel of a restricted market.
 *
 * <p>For an event it applies to ({@code eventTypes}, empty = all, and {@code when}), the
 * pre-filter checks run in order; the first that is false rejects the event at once (DENY) without
 * computing the score. Otherwise each factor's expression gives a credit, clamped to 0–1, and the
 * score is the sum of weight × credit (weights sum to 100). A score ≥ {@code admitAtScore} admits;
 * ≥ {@code reviewAtScore} goes to REVIEW; below it, DENY. Each factor's contribution is a reason.
 *
 * @param when a CEL condition selecting the events of the channel, e.g. {@code event.channel == "whitelist"}
 */
public record ScorecardDefinition(
    String id,
    String description,
    boolean enabled,
    Set<EventType> eventTypes,
    String when,
    List<Check> prefilter,
    List<Factor> factors,
    int admitAtScore,
    int reviewAtScore) {

  public static final int CHECKS_MAX = 16;
  public static final int FACTORS_MAX = 16;
  public static final int WEIGHT_TOTAL = 100;

  /** A pre-filter step: the event passes when {@code expression} is true. */
  public record Check(String name, String expression, String message) {}

  /** A factor: {@code expression} gives a credit between 0 and 1 (a CEL double). */
  public record Factor(String name, int weight, String expression) {}

  public ScorecardDefinition {
    eventTypes = Set.copyOf(eventTypes);
    prefilter = List.copyOf(prefilter);
    factors = List.copyOf(factors);
  }

  public boolean appliesTo(EventType type) {
    return eventTypes.isEmpty() || eventTypes.contains(type);
  }

  public ScorecardDefinition withEnabled(boolean on) {
    return new ScorecardDefinition(id, description, on, eventTypes, when, prefilter, factors, admitAtScore, reviewAtScore);
  }
}
