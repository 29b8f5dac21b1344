package io.vigil.engine.feature;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keys of a disk-backed store that are in heap, least recently used first, bounded by
 * {@code bytesMax} of {@link KeyWindow#footprintBytes()}. Every entry is on disk too ({@link
 * WindowDisk}, written through), so dropping a key from the cache loses nothing: its next use loads
 * it again with one range scan.
 *
 * <p>The bound holds between events: {@link #trim} runs after each event and may keep only the
 * keys of that event above it (a single key can be larger than the whole cache). Not thread-safe.
 */
final class WindowCache {
  private final long bytesMax;
  private final LinkedHashMap<WindowKey, KeyWindow> keys = new LinkedHashMap<>(1_024, 0.75f, true);
  private long bytes;
  private long hits;
  private long misses;

  WindowCache(long bytesMax) {
    if (bytesMax < 0) throw new IllegalArgumentException("cache bytes must be ≥ 0");
    this.bytesMax = bytesMax;
  }

  /** The cached key, now the most recently used, or null. */
  KeyWindow get(WindowKey key) {
    KeyWindow kw = keys.get(key);
    if (kw == null) misses++;
    else hits++;
    return kw;
  }

  /** A cached key without counting a use (statistics and sweeps). */
  KeyWindow peek(WindowKey key) {
    return keys.get(key);
  }

  void put(WindowKey key, KeyWindow kw) {
    KeyWindow previous = keys.put(key, kw);
    if (previous != null) bytes -= previous.cachedBytes;
    kw.cachedBytes = 0;
    refresh(kw);
  }

  /** Counts the key's current footprint (after an insert, an eviction, an index built). */
  void refresh(KeyWindow kw) {
    long now = kw.footprintBytes();
    bytes += now - kw.cachedBytes;
    kw.cachedBytes = now;
  }

  /**
   * Drops least recently used keys until the cache is within its bound, keeping {@code keep}
   * (the keys of the event just applied, which its feature view still reads).
   */
  void trim(WindowKey[] keep, int keepCount) {
    Iterator<Map.Entry<WindowKey, KeyWindow>> it = keys.entrySet().iterator();
    while (bytes > bytesMax && it.hasNext()) {
      Map.Entry<WindowKey, KeyWindow> eldest = it.next();
      if (contains(keep, keepCount, eldest.getKey())) continue;
      bytes -= eldest.getValue().cachedBytes;
      it.remove();
    }
  }

  private static boolean contains(WindowKey[] keys, int n, WindowKey key) {
    for (int i = 0; i < n; i++) if (key.equals(keys[i])) return true;
    return false;
  }

  Iterable<KeyWindow> windows() {
    return keys.values();
  }

  void remove(WindowKey key) {
    KeyWindow kw = keys.remove(key);
    if (kw != null) bytes -= kw.cachedBytes;
  }

  long bytes() {
    return bytes;
  }

  long bytesMax() {
    return bytesMax;
  }

  int size() {
    return keys.size();
  }

  long hits() {
    return hits;
  }

  long misses() {
    return misses;
  }
}
