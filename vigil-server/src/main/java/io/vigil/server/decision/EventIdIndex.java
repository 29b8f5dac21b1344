package io.vigil.server.decision;

import java.util.Arrays;

/**
 * Event-id hash → journal sequence for the ids {@link EventIds} is still adding to (its open
 * bucket): an open-addressing table of primitive longs, 16 bytes per slot, at most 50 % full: 32
 * to 64 B per event (the table doubles when half full). Sealed, its entries move to a
 * {@link SortedIds} at 12 B per id. A hit is only a hint: the caller confirms the event id in the
 * journal, so a hash collision costs a lookup, never a wrong answer. Not thread-safe: the
 * sequencer owns it.
 */
final class EventIdIndex {
  static final long MISSING = -1;
  private long[] keys = new long[1 << 16];
  private long[] values = new long[1 << 16];
  private int size;

  long get(long key) {
    assert key != 0;
    int mask = keys.length - 1;
    for (int i = (int) mix(key) & mask; ; i = (i + 1) & mask) {
      if (keys[i] == key) return values[i];
      if (keys[i] == 0) return MISSING;
    }
  }

  void put(long key, long value) {
    assert key != 0 && value >= 0;
    if ((size + 1) * 2 > keys.length) grow();
    int mask = keys.length - 1;
    for (int i = (int) mix(key) & mask; ; i = (i + 1) & mask) {
      if (keys[i] == key) {
        values[i] = value;
        return;
      }
      if (keys[i] == 0) {
        keys[i] = key;
        values[i] = value;
        size++;
        return;
      }
    }
  }

  void clear() {
    Arrays.fill(keys, 0);
    size = 0;
  }

  int size() {
    return size;
  }

  /** Bytes held by the table's arrays. */
  long bytes() {
    return keys.length * 16L;
  }

  /** Copies the entries, in table order, into arrays of at least {@link #size()}. */
  void copyTo(long[] intoKeys, long[] intoValues) {
    int n = 0;
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] == 0) continue;
      intoKeys[n] = keys[i];
      intoValues[n++] = values[i];
    }
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new long[oldKeys.length * 2];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) if (oldKeys[i] != 0) put(oldKeys[i], oldValues[i]);
  }

  private static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    return x;
  }
}
