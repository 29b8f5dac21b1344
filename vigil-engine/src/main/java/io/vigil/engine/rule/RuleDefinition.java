package io.vigil.engine.rule;

import io.vigil.engine.event.EventType;
import java.util.Set;

/**
 * A rule as analysts write it. {@code eventTypes} empty means "every type". The reason template
 * may name variables in braces, e.g. {@code "{velocity.ip.count_1h} events from this IP in 1 h"}.
 */
public record RuleDefinition(
    String id,
    String description,
    Set<EventType> eventTypes,
    String expression,
    RuleEffect effect,
    String reason,
    boolean enabled) {

  public RuleDefinition {
    eventTypes = Set.copyOf(eventTypes);
  }

  public boolean appliesTo(EventType type) {
    return eventTypes.isEmpty() || eventTypes.contains(type);
  }

  public RuleDefinition withEnabled(boolean value) {
    return new RuleDefinition(id, description, eventTypes, expression, effect, reason, value);
  }
}
