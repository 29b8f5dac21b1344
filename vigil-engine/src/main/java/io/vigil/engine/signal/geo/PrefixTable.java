package io.vigil.engine.signal.geo;

import java.util.Arrays;

/**
 * Networks of one address family, grouped by prefix length: per length, an open-addressing hash
 * set of network keys (up to 128 bits as two longs). A lookup masks the address to each length
 * present and probes that length's set, so it costs one probe per distinct length (a handful in
 * practice, 33 or 129 at most), whatever the number of networks. Exact addresses are networks of
 * full length. Immutable once built.
 */
final class PrefixTable {
  /** Hash sets are kept at most this full, so that probes stay short. */
  private static final double LOAD_MAX = 0.5;

  private final int bits;
  /** The prefix lengths present, longest first. */
  private final int[] lengths;
  private final KeySet[] sets;
  private final int size;

  /**
   * An open-addressing set of (hi, lo) keys with linear probing. For a 32-bit family the key and
   * an occupied bit share one long per slot (one memory access per probe); a 128-bit family keeps
   * hi, lo and an occupied flag in parallel arrays.
   */
  private static final class KeySet {
    /** Set in a 32-bit family's slot when it holds a key (keys use bits 0 to 31). */
    private static final long OCCUPIED = 1L << 32;

    final long[] hi;
    final long[] lo;
    final boolean[] used;
    final int mask;
    int size;

    KeySet(int expected, boolean wide) {
      int capacity = Integer.highestOneBit((int) Math.max(2, Math.ceil(expected / LOAD_MAX)) - 1) << 1;
      assert capacity >= expected / LOAD_MAX && Integer.bitCount(capacity) == 1 : capacity;
      hi = wide ? new long[capacity] : null;
      lo = new long[capacity];
      used = wide ? new boolean[capacity] : null;
      mask = capacity - 1;
    }

    void add(long keyHi, long keyLo) {
      assert hi != null || (keyLo >>> 32) == 0 : "a 32-bit key";
      for (int i = slot(keyHi, keyLo), probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
        if (!occupied(i)) {
          if (hi == null) {
            lo[i] = keyLo | OCCUPIED;
          } else {
            used[i] = true;
            hi[i] = keyHi;
            lo[i] = keyLo;
          }
          size++;
          return;
        }
        if (holds(i, keyHi, keyLo)) return;
      }
      throw new AssertionError("set sized for its keys is full");
    }

    boolean contains(long keyHi, long keyLo) {
      for (int i = slot(keyHi, keyLo), probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
        if (!occupied(i)) return false;
        if (holds(i, keyHi, keyLo)) return true;
      }
      return false;
    }

    private boolean occupied(int i) {
      return hi == null ? lo[i] != 0 : used[i];
    }

    private boolean holds(int i, long keyHi, long keyLo) {
      return hi == null ? lo[i] == (keyLo | OCCUPIED) : lo[i] == keyLo && hi[i] == keyHi;
    }

    private int slot(long keyHi, long keyLo) {
      long h = keyLo * 0x9E3779B97F4A7C15L + keyHi * 0xC2B2AE3D27D4EB4FL;
      h ^= h >>> 33;
      h *= 0xFF51AFD7ED558CCDL;
      h ^= h >>> 33;
      return (int) h & mask;
    }
  }

  /**
   * Builds from networks already masked to their length.
   *
   * @param bits 32 or 128
   * @param hi high 64 bits of each network (IPv6), ignored for IPv4
   * @param lo low 64 bits of each network; an IPv4 address is in the low 32 bits
   * @param prefixLengths the length of each network, 0 to bits
   */
  PrefixTable(int bits, long[] hi, long[] lo, int[] prefixLengths, int count) {
    assert bits == 32 || bits == 128 : bits;
    assert count <= lo.length && count <= prefixLengths.length;
    this.bits = bits;
    int[] perLength = new int[bits + 1];
    for (int i = 0; i < count; i++) perLength[prefixLengths[i]]++;
    int distinct = 0;
    for (int n : perLength) distinct += n > 0 ? 1 : 0;
    lengths = new int[distinct];
    sets = new KeySet[bits + 1];
    for (int length = bits, j = 0; length >= 0; length--) {
      if (perLength[length] == 0) continue;
      lengths[j++] = length;
      sets[length] = new KeySet(perLength[length], bits == 128);
    }
    int total = 0;
    for (int i = 0; i < count; i++) {
      KeySet set = sets[prefixLengths[i]];
      int before = set.size;
      set.add(bits == 128 ? hi[i] : 0, lo[i]);
      total += set.size - before;
    }
    size = total;
  }

  /** Distinct networks held (duplicates in the input count once). */
  int size() {
    return size;
  }

  /** True when some network holds the address (IPv4: low 32 bits of lo; hi ignored). */
  boolean contains(long addressHi, long addressLo) {
    for (int length : lengths) {
      long keyHi = bits == 128 ? addressHi & highMask(length) : 0;
      long keyLo = addressLo & (bits == 128 ? lowMask(length) : ipv4Mask(length));
      if (sets[length].contains(keyHi, keyLo)) return true;
    }
    return false;
  }

  int[] lengths() {
    return Arrays.copyOf(lengths, lengths.length);
  }

  /** Mask of the first length bits of a 32-bit address held in a long. */
  static long ipv4Mask(int length) {
    assert length >= 0 && length <= 32 : length;
    return length == 0 ? 0 : (0xFFFF_FFFFL << (32 - length)) & 0xFFFF_FFFFL;
  }

  /** Mask of the high 64 bits of a 128-bit address for a prefix of length bits. */
  static long highMask(int length) {
    assert length >= 0 && length <= 128 : length;
    if (length == 0) return 0;
    return length >= 64 ? -1L : -1L << (64 - length);
  }

  /** Mask of the low 64 bits of a 128-bit address for a prefix of length bits. */
  static long lowMask(int length) {
    assert length >= 0 && length <= 128 : length;
    if (length <= 64) return 0;
    return -1L << (128 - length);
  }
}
