package io.vigil.server.decision;

import io.vigil.engine.state.StateFormatException;
import io.vigil.engine.state.StateReader;
import io.vigil.engine.state.StateWriter;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Event-id hash → journal sequence, for every event in the journal: an open-addressing table of
 * primitive longs, 16 bytes per slot, at most 50 % full: 32 to 64 B per event (the table doubles
 * when half full). 10 M events take 512 MiB, and 768 MiB for a moment while doubling. A hit is only a hint: the caller confirms the event id in
 * the journal, so a hash collision costs a lookup, never a wrong answer. Not thread-safe: the
 * sequencer owns it.
 *
 * <h2>Checkpoints without a copy</h2>
 * Entries are only ever added (a rebuild makes a new index), and a slot goes once from empty to
 * (key, sequence). So a checkpoint at sequence S needs no copy of the table: {@link #view} hands
 * the current arrays to the checkpoint writer, which reads them while the sequencer goes on
 * adding, and keeps the slots whose sequence is in 1..S. Those were all written before the view
 * was handed over (happens-before through the hand-off); a slot being written meanwhile holds a
 * sequence above S or 0, read whole because values are written and read as opaque longs (never
 * torn). When the table doubles, the sequencer moves to new arrays and the view's stay as they were.
 */
public final class EventIdIndex {
  public static final long MISSING = -1;
  private static final VarHandle VALUES = MethodHandles.arrayElementVarHandle(long[].class);
  private long[] keys = new long[1 << 16];
  private long[] values = new long[1 << 16];
  private int size;

  public long get(long key) {
    assert key != 0;
    int mask = keys.length - 1;
    for (int i = (int) mix(key) & mask; ; i = (i + 1) & mask) {
      if (keys[i] == key) return values[i];
      if (keys[i] == 0) return MISSING;
    }
  }

  public void put(long key, long value) {
    assert key != 0 && value >= 0;
    if ((size + 1) * 2 > keys.length) grow();
    int mask = keys.length - 1;
    for (int i = (int) mix(key) & mask; ; i = (i + 1) & mask) {
      if (keys[i] == key) {
        VALUES.setOpaque(values, i, value);
        return;
      }
      if (keys[i] == 0) {
        keys[i] = key;
        VALUES.setOpaque(values, i, value);
        size++;
        return;
      }
    }
  }

  public int size() {
    return size;
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

  /** The entries up to {@code sequence}, readable from another thread while the sequencer goes on (see the class comment). */
  public View view(long sequence) {
    return new View(keys, values, size, sequence);
  }

  /** A frozen-enough picture of the index at one sequence: write it from any thread. */
  public static final class View {
    private final long[] keys;
    private final long[] values;
    private final int sizeAtLeast;
    private final long sequence;

    private View(long[] keys, long[] values, int sizeAtLeast, long sequence) {
      this.keys = keys;
      this.values = values;
      this.sizeAtLeast = sizeAtLeast;
      this.sequence = sequence;
    }

    /** The number of entries, then (key, sequence) pairs in slot order. */
    public void writeTo(StateWriter out) throws IOException {
      int n = 0;
      for (int i = 0; i < keys.length; i++) if (held(i) != 0) n++;
      if (n != sizeAtLeast) throw new IllegalStateException("index view holds " + n + " entries up to its sequence, expected " + sizeAtLeast);
      out.writeInt(n);
      for (int i = 0; i < keys.length; i++) {
        long v = held(i);
        if (v == 0) continue;
        out.writeLong(keys[i]);
        out.writeLong(v);
      }
    }

    /** The slot's sequence when it is in 1..sequence, else 0. */
    private long held(int i) {
      long v = (long) VALUES.getOpaque(values, i);
      return v >= 1 && v <= sequence && keys[i] != 0 ? v : 0;
    }
  }

  /** Reads what {@link View#writeTo} wrote into a new index. */
  public static EventIdIndex readFrom(StateReader in) throws IOException {
    int n = in.readCount("event ids", Integer.MAX_VALUE / 4);
    EventIdIndex index = new EventIdIndex();
    int capacity = Integer.highestOneBit(Math.max(1 << 16, n * 2 + 1)) << 1;
    index.keys = new long[capacity];
    index.values = new long[capacity];
    for (int i = 0; i < n; i++) {
      long key = in.readLong();
      long sequence = in.readLong();
      if (key == 0 || sequence < 1) throw new StateFormatException("an event-id entry is empty");
      index.put(key, sequence);
    }
    if (index.size != n) throw new StateFormatException("event ids repeat in the checkpoint");
    return index;
  }
}
