package io.vigil.server.decision;

import io.vigil.engine.state.StateFormatException;
import io.vigil.engine.state.StateReader;
import io.vigil.engine.state.StateWriter;
import java.io.IOException;
import java.util.Arrays;

/**
 * A sealed, immutable set of event-id keys (keyed 64-bit hashes) and their journal sequences:
 * keys sorted in a {@code long[]}, sequences as unsigned 32-bit offsets from the smallest one in an
 * {@code int[]} (12 B per id), with a directory of the keys' top bits so that a lookup reads about
 * two cache lines instead of a binary search's twenty. Keys are uniform hashes, so the directory
 * slot of a key points within a few entries of it. Safe to read from any thread once built.
 *
 * <p>Sequences span less than 2<sup>32</sup> within one set in practice (4 G decisions inside the
 * idempotency horizon); a set whose span is wider keeps them as {@code long[]} (16 B per id).
 */
final class SortedIds {
  static final SortedIds EMPTY = new SortedIds(new long[0], new long[0]);
  private static final long UNSIGNED_INT_MAX = 0xFFFF_FFFFL;

  private final long[] keys;
  private final long base;
  /** Sequence - base as unsigned ints, or null when {@link #wideSequences} holds them. */
  private final int[] offsets;
  private final long[] wideSequences;
  /** directory[i] = first index whose key's top {@code bits} bits (unsigned) are >= i; length 2^bits + 1. */
  private final int[] directory;
  private final int bits;

  /** {@code keys} sorted (unsigned order) with {@code sequences} alongside; both are taken, not copied. */
  private SortedIds(long[] keys, long[] sequences) {
    this.keys = keys;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (long s : sequences) {
      min = Math.min(min, s);
      max = Math.max(max, s);
    }
    this.base = keys.length == 0 ? 0 : min;
    if (keys.length == 0 || max - min <= UNSIGNED_INT_MAX) {
      offsets = new int[sequences.length];
      for (int i = 0; i < sequences.length; i++) offsets[i] = (int) (sequences[i] - base);
      wideSequences = null;
    } else {
      offsets = null;
      wideSequences = sequences;
    }
    // About one directory slot per 8 ids: 0.5 B per id.
    bits = Math.max(1, Math.min(24, 64 - Long.numberOfLeadingZeros(Math.max(1, keys.length / 8))));
    directory = new int[(1 << bits) + 1];
    int k = 0;
    for (int slot = 0; slot <= 1 << bits; slot++) {
      while (k < keys.length && slotOf(keys[k]) < slot) k++;
      directory[slot] = k;
    }
  }

  int size() {
    return keys.length;
  }

  /** Bytes held by this set's arrays (object headers aside). */
  long bytes() {
    return keys.length * 8L + (offsets != null ? offsets.length * 4L : wideSequences.length * 8L) + directory.length * 4L;
  }

  /** The sequence of {@code key}, or {@link EventIdIndex#MISSING}; with duplicate keys, the first. */
  long get(long key) {
    if (keys.length == 0) return EventIdIndex.MISSING;
    int slot = slotOf(key);
    int lo = directory[slot];
    int hi = directory[slot + 1] - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = Long.compareUnsigned(keys[mid], key);
      if (c < 0) lo = mid + 1;
      else if (c > 0) hi = mid - 1;
      else {
        while (mid > 0 && keys[mid - 1] == key) mid--;
        return sequenceAt(mid);
      }
    }
    return EventIdIndex.MISSING;
  }

  private long sequenceAt(int i) {
    return offsets != null ? base + Integer.toUnsignedLong(offsets[i]) : wideSequences[i];
  }

  private int slotOf(long key) {
    return (int) (key >>> (64 - bits));
  }

  /** The entries of an open table, sorted. */
  static SortedIds of(EventIdIndex table) {
    int n = table.size();
    long[] keys = new long[n];
    long[] sequences = new long[n];
    table.copyTo(keys, sequences);
    long[] sortedKeys = new long[n];
    long[] sortedSequences = new long[n];
    sortPairs(keys, sequences, sortedKeys, sortedSequences);
    return new SortedIds(sortedKeys, sortedSequences);
  }

  /**
   * The union of two sets, without entries whose sequence is below {@code dropBelowSequence}
   * (older than the idempotency horizon). A linear merge.
   */
  static SortedIds merge(SortedIds a, SortedIds b, long dropBelowSequence) {
    int n = 0;
    for (int i = 0; i < a.keys.length; i++) if (a.sequenceAt(i) >= dropBelowSequence) n++;
    for (int i = 0; i < b.keys.length; i++) if (b.sequenceAt(i) >= dropBelowSequence) n++;
    long[] keys = new long[n];
    long[] sequences = new long[n];
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < a.keys.length || j < b.keys.length) {
      boolean takeA = j >= b.keys.length || (i < a.keys.length && Long.compareUnsigned(a.keys[i], b.keys[j]) <= 0);
      long key;
      long sequence;
      if (takeA) {
        key = a.keys[i];
        sequence = a.sequenceAt(i++);
      } else {
        key = b.keys[j];
        sequence = b.sequenceAt(j++);
      }
      if (sequence < dropBelowSequence) continue;
      keys[k] = key;
      sequences[k++] = sequence;
    }
    return new SortedIds(keys, sequences);
  }

  /** Sorts (key, sequence) pairs by unsigned key into the output arrays: an LSD radix sort, 16 bits a pass. */
  private static void sortPairs(long[] keys, long[] sequences, long[] outKeys, long[] outSequences) {
    int n = keys.length;
    long[] srcK = keys;
    long[] srcS = sequences;
    long[] dstK = outKeys;
    long[] dstS = outSequences;
    int[] count = new int[1 << 16];
    for (int shift = 0; shift < 64; shift += 16) {
      Arrays.fill(count, 0);
      for (int i = 0; i < n; i++) count[(int) (srcK[i] >>> shift) & 0xFFFF]++;
      int sum = 0;
      for (int b = 0; b < count.length; b++) {
        int c = count[b];
        count[b] = sum;
        sum += c;
      }
      for (int i = 0; i < n; i++) {
        int b = (int) (srcK[i] >>> shift) & 0xFFFF;
        int at = count[b]++;
        dstK[at] = srcK[i];
        dstS[at] = srcS[i];
      }
      long[] t = srcK;
      srcK = dstK;
      dstK = t;
      t = srcS;
      srcS = dstS;
      dstS = t;
    }
    // Four passes: the result is back in the input arrays; copy it out.
    System.arraycopy(srcK, 0, outKeys, 0, n);
    System.arraycopy(srcS, 0, outSequences, 0, n);
  }

  /** Writes the set (for a checkpoint): its size, then the keys in order and their sequences. */
  void writeTo(StateWriter out) throws IOException {
    out.writeInt(keys.length);
    out.writeLongs(keys, keys.length);
    for (int i = 0; i < keys.length; i++) out.writeLong(sequenceAt(i));
  }

  /** Reads what {@link #writeTo} wrote; refuses keys out of order (a damaged part). */
  static SortedIds readFrom(StateReader in) throws IOException {
    int n = in.readCount("event ids of a sealed set", Integer.MAX_VALUE / 4);
    if (n == 0) return EMPTY;
    long[] keys = new long[n];
    long[] sequences = new long[n];
    in.readLongs(keys, n);
    in.readLongs(sequences, n);
    for (int i = 0; i < n; i++) {
      if (keys[i] == 0 || sequences[i] < 1) throw new StateFormatException("an event-id entry is empty");
      if (i > 0 && Long.compareUnsigned(keys[i - 1], keys[i]) > 0) throw new StateFormatException("event-id keys out of order");
    }
    return new SortedIds(keys, sequences);
  }
}
