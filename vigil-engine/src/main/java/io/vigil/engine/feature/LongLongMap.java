package io.vigil.engine.feature;

/**
 * An open-addressing map from non-zero longs to longs, without boxing and without removal: the
 * newest entry of each partner of a busy key ({@link KeyWindow}'s index). Not thread-safe.
 */
final class LongLongMap {
  private long[] keys = new long[16];
  private long[] values = new long[16];
  private int size;

  int size() {
    return size;
  }

  long footprintBytes() {
    return 48 + 16L * keys.length;
  }

  /** The value of key, or {@code missing}. */
  long get(long key, long missing) {
    int mask = keys.length - 1;
    for (int i = (int) LongHashSet.mix(key) & mask; keys[i] != 0; i = (i + 1) & mask) {
      if (keys[i] == key) return values[i];
    }
    return missing;
  }

  /** Sets key → value and returns the previous value, or {@code missing} if the key was absent. */
  long put(long key, long value, long missing) {
    assert key != 0 : "0 marks an empty slot";
    if ((size + 1) * 2 > keys.length) grow();
    int mask = keys.length - 1;
    int i = (int) LongHashSet.mix(key) & mask;
    while (keys[i] != 0) {
      if (keys[i] == key) {
        long previous = values[i];
        values[i] = value;
        return previous;
      }
      i = (i + 1) & mask;
    }
    keys[i] = key;
    values[i] = value;
    size++;
    return missing;
  }

  private void grow() {
    long[] oldKeys = keys, oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new long[oldKeys.length * 2];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) if (oldKeys[i] != 0) put(oldKeys[i], oldValues[i], 0);
  }
}
