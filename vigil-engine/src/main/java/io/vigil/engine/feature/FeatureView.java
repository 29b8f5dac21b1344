package io.vigil.engine.feature;

import io.vigil.engine.event.Event;
import java.util.EnumMap;
import java.util.Map;

/**
 * The features of one event, computed lazily: an entity's windows are aggregated the first time a
 * rule asks for one of them, so rules that never look at merchants never pay for a merchant scan.
 * Valid only until the store records the next event.
 */
public final class FeatureView {
  private static final long[] ABSENT = new long[0];
  private final FeatureStore store;
  private final Event event;
  private final FeatureStore.Facts facts;
  private final long version;
  private final Map<Entity, long[]> aggregates = new EnumMap<>(Entity.class);
  private final int[] windowsComputed = new int[Entity.values().length];

  FeatureView(FeatureStore store, Event event, FeatureStore.Facts facts, long version) {
    this.store = store;
    this.event = event;
    this.facts = facts;
    this.version = version;
  }

  Event event() {
    return event;
  }

  long version() {
    return version;
  }

  public FeatureStore.Facts facts() {
    return facts;
  }

  /**
   * One window value: {@code slot} is the index within the entity's stride (0 count, 1 sum,
   * 2 failed logins, 3 near threshold, 4+ distinct partners). Returns 0 when the event does not
   * carry the entity.
   */
  public long value(Entity entity, int windowIndex, int slot) {
    long[] values = aggregates.get(entity);
    int computed = values == null ? 0 : windowsComputed[entity.ordinal()];
    if (values == null || (values != ABSENT && windowIndex >= computed)) {
      // Scan only as far back as the longest window asked for so far.
      values = store.aggregateFor(this, entity, windowIndex + 1);
      if (values == null) values = ABSENT;
      aggregates.put(entity, values);
      windowsComputed[entity.ordinal()] = windowIndex + 1;
    }
    if (values == ABSENT) return 0;
    return values[windowIndex * FeatureCatalog.stride(entity) + slot];
  }
}
