package io.vigil.server.decision;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.function.ToLongFunction;

/**
 * The keyed 64-bit hash of event ids that {@link EventIds} is keyed by: SipHash-2-4 under a
 * random key per state (never 0, which marks an empty slot). The key goes into a checkpoint with
 * the index, so that a restored index is asked with the hashes it was filled with.
 */
public final class EventIdHash implements ToLongFunction<String> {
  private final long key0;
  private final long key1;
  private final HashFunction sip;

  public EventIdHash(long key0, long key1) {
    this.key0 = key0;
    this.key1 = key1;
    this.sip = Hashing.sipHash24(key0, key1);
  }

  public static EventIdHash random() {
    SecureRandom r = new SecureRandom();
    return new EventIdHash(r.nextLong(), r.nextLong());
  }

  @Override
  public long applyAsLong(String eventId) {
    long h = sip.hashString(eventId, StandardCharsets.UTF_8).asLong();
    return h == 0 ? 1 : h;
  }

  public long key0() {
    return key0;
  }

  public long key1() {
    return key1;
  }
}
