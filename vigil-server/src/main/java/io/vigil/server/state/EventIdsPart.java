package io.vigil.server.state;

import io.vigil.engine.state.StateFormatException;
import io.vigil.engine.state.StateReader;
import io.vigil.engine.state.StateWriter;
import io.vigil.server.decision.EventIdHash;
import io.vigil.server.decision.EventIdIndex;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/** The "event-ids" part of a checkpoint: the hash key, the index up to the checkpoint's sequence, and the collided ids. */
final class EventIdsPart {
  static final String NAME = "event-ids";
  static final int FORMAT_VERSION = 1;

  private EventIdsPart() {}

  static void write(StateWriter out, EventIdIndex.View index, Map<String, Long> collided, EventIdHash hash, boolean custom)
      throws IOException {
    out.header(NAME, FORMAT_VERSION);
    out.writeBoolean(custom);
    out.writeLong(hash.key0());
    out.writeLong(hash.key1());
    index.writeTo(out);
    out.writeInt(collided.size());
    for (Map.Entry<String, Long> e : collided.entrySet()) {
      out.writeString(e.getKey());
      out.writeLong(e.getValue());
    }
    out.end();
  }

  /** Refuses a part written under a test's own hash when this start has none, and the other way round. */
  static EventIds read(StateReader in, ToLongFunction<String> custom) throws IOException {
    in.expectHeader(NAME, FORMAT_VERSION);
    boolean wasCustom = in.readBoolean();
    if (wasCustom != (custom != null)) throw new StateFormatException("the event-id index was keyed by another hash function");
    EventIdHash hash = new EventIdHash(in.readLong(), in.readLong());
    EventIdIndex index = EventIdIndex.readFrom(in);
    int n = in.readCount("collided event ids", 10_000_000);
    Map<String, Long> collided = new HashMap<>();
    for (int i = 0; i < n; i++) collided.put(in.readString(), in.readLong());
    in.expectEnd();
    return new EventIds(index, collided, hash, custom);
  }
}
