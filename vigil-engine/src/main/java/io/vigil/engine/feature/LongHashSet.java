package io.vigil.engine.feature;

import java.util.Arrays;

/**
 * A reusable open-addressing set of longs, for distinct counts without boxing. Not thread-safe.
 * Zero is stored out of band so that the table can use 0 as "empty".
 */
final class LongHashSet {
  private static final int SMALL_TABLE = 64;
  private long[] table = new long[SMALL_TABLE];
  private int size;
  private boolean hasZero;

  int size() {
    return size + (hasZero ? 1 : 0);
  }

  /** Empties the set; a table grown for one large key is dropped so later clears stay cheap. */
  void clear() {
    if (table.length > SMALL_TABLE) table = new long[SMALL_TABLE];
    else if (size > 0) Arrays.fill(table, 0L);
    size = 0;
    hasZero = false;
  }

  void add(long value) {
    if (value == 0) {
      hasZero = true;
      return;
    }
    if ((size + 1) * 2 > table.length) grow();
    insert(table, value);
  }

  private boolean insert(long[] into, long value) {
    int mask = into.length - 1;
    int i = (int) mix(value) & mask;
    while (into[i] != 0) {
      if (into[i] == value) return false;
      i = (i + 1) & mask;
    }
    into[i] = value;
    if (into == table) size++;
    return true;
  }

  private void grow() {
    long[] old = table;
    table = new long[old.length * 2];
    int oldSize = size;
    size = 0;
    for (long v : old) if (v != 0) insert(table, v);
    assert size == oldSize;
  }

  private static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    return x;
  }
}
