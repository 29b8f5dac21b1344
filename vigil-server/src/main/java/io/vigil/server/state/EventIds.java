package io.vigil.server.state;

import io.vigil.server.decision.EventIdHash;
import io.vigil.server.decision.EventIdIndex;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The idempotency state the sequencer keeps beside the engine: the event-id index, the exact map
 * of the event ids whose hash another id had taken, and the hash the index is keyed by. A test may
 * give its own hash function ({@code custom}); its index is then checkpointed under it.
 */
public record EventIds(EventIdIndex index, Map<String, Long> collided, EventIdHash hash, ToLongFunction<String> custom) {

  public static EventIds empty(ToLongFunction<String> custom) {
    return new EventIds(new EventIdIndex(), new HashMap<>(), EventIdHash.random(), custom);
  }

  /** The index key of an event id. */
  public long key(String eventId) {
    if (custom == null) return hash.applyAsLong(eventId);
    long h = custom.applyAsLong(eventId);
    return h == 0 ? 1 : h;
  }

  /** Records a journal row's event id, as the sequencer did when it decided it. */
  public void record(String eventId, long sequence) {
    long key = key(eventId);
    if (index.get(key) == EventIdIndex.MISSING) index.put(key, sequence);
    else collided.put(eventId, sequence);
  }
}
