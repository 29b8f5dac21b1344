package io.vigil.engine.feature;

/**
 * A reusable open-addressing set of longs, for distinct counts without boxing. Not thread-safe.
 * Zero is stored out of band so that the table can use 0 as "empty".
 *
 * <p>{@link #clear()} is O(1): a slot holds a value only if its stamp equals the current generation,
 * so a table grown once for a busy key is kept and reused instead of being refilled with zeros or
 * regrown from small on every query (both cost more than the counting itself on a key with
 * thousands of entries). The table holds at most twice the largest set seen, which the feature
 * store bounds by {@link FeatureConfig#entriesPerKeyMax()}.
 */
final class LongHashSet {
  private static final int SMALL_TABLE = 64;
  private long[] table = new long[SMALL_TABLE];
  private int[] stamps = new int[SMALL_TABLE];
  private int generation = 1;
  private int size;
  private boolean hasZero;

  int size() {
    return size + (hasZero ? 1 : 0);
  }

  void clear() {
    size = 0;
    hasZero = false;
    if (++generation == 0) { // wrapped after 2^32 clears: stamps of 0 must not match
      java.util.Arrays.fill(stamps, 0);
      generation = 1;
    }
  }

  void add(long value) {
    if (value == 0) {
      hasZero = true;
      return;
    }
    if ((size + 1) * 2 > table.length) grow(); // at most half full: a free slot always ends the probe
    int mask = table.length - 1;
    int i = (int) mix(value) & mask;
    while (stamps[i] == generation) {
      if (table[i] == value) return;
      i = (i + 1) & mask;
    }
    table[i] = value;
    stamps[i] = generation;
    size++;
  }

  private void grow() {
    long[] oldTable = table;
    int[] oldStamps = stamps;
    int oldGeneration = generation;
    table = new long[oldTable.length * 2];
    stamps = new int[oldTable.length * 2];
    generation = 1;
    int oldSize = size;
    size = 0;
    for (int i = 0; i < oldTable.length; i++) if (oldStamps[i] == oldGeneration) add(oldTable[i]);
    assert size == oldSize;
  }

  /** A 64-bit finalizer (MurmurHash3's) so that nearby values land in distant slots. */
  static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    return x;
  }
}
