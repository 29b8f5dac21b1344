package io.vigil.engine.feature;

import io.vigil.engine.state.StateFormatException;
import io.vigil.engine.state.StateReader;
import io.vigil.engine.state.StateWriter;
import java.io.IOException;
import java.util.Arrays;

/**
 * The committed events of one key (one account, one IP…) that can still fall inside a window:
 * parallel primitive arrays sorted by event time, ties in commit order.
 *
 * <p>Memory is {@code 8 + 8 + 2 + 1 + 8 × partners} bytes per entry (27 B for a device, 43 B for an
 * account), and at most {@link FeatureConfig#entriesPerKeyMax()} entries. Out-of-order events are
 * inserted in place; a late event costs a shift of the entries after it.
 *
 * <h2>The index of a busy key</h2>
 * A small key is aggregated by scanning its entries. A key with at least {@code indexMinEntries}
 * entries (a busy merchant, a shared IP) gets an index on its first aggregation, so that its
 * windows cost the same whatever its traffic:
 * <ul>
 *   <li>running totals of the amount (in one currency), failed logins and near-threshold amounts:
 *       a window's count and sums are two binary searches and a subtraction;</li>
 *   <li>per partner, a Fenwick tree over the entries (a ring indexed by sequence number) that marks
 *       each partner's newest entry, and a map from partner to that entry: the distinct partners of
 *       the entries [lo, newest] are the marks in that range, O(log n).</li>
 * </ul>
 * The index is kept up to date by inserts and evictions: an in-order insert (the live case) indexes
 * one entry; a late one re-indexes the entries after it, a map lookup and two Fenwick updates per
 * partner each (an event a minute late on a key with 100 events a second re-indexes 6,000 entries).
 * Its totals are in one currency, that of the aggregation that built it; a
 * query in another currency scans, and after {@value #CURRENCY_MISSES_TO_REBUILD} such queries with
 * none in the index's currency between them the index is rebuilt in theirs. A query whose window
 * ends before the newest entry (a late event's) scans. The index costs
 * {@code 16 + 4 × partners} bytes per entry (the rings are a power of two) plus a map of 16-32 bytes
 * per distinct partner, on busy keys only.
 */
final class KeyWindow {
  private static final int INITIAL_CAPACITY = 4;
  /** Queries in another currency than the index's, with none in its currency between them, before it is rebuilt in theirs. */
  static final int CURRENCY_MISSES_TO_REBUILD = 64;
  /** What the partner maps answer for a partner they do not hold. */
  private static final long ABSENT = Long.MIN_VALUE;

  private final int partnerCount;
  private long[] timesMillis;
  private long[] amountsMinor;
  private short[] currencies;
  private byte[] flags;
  private long[] partners;
  /** Disk sequence numbers of the entries (a disk-backed store's keys only; null otherwise): commit order on disk. */
  private long[] diskSeqs;
  private int size;
  /** What {@link WindowCache} last counted for this key (its footprint then). */
  long cachedBytes;
  /** The sequence number of entry 0; entry i has {@code firstSeq + i} (until an out-of-order insert). */
  private long firstSeq;

  // The index (null below indexMinEntries; built by the first aggregation past it).
  private final int indexMinEntries;
  private short indexCurrency;
  private int currencyMisses;
  /** Inclusive running totals: amounts in indexCurrency, failed logins, near-threshold amounts. */
  private long[] totalAmount;
  private int[] totalFailed;
  private int[] totalNear;
  /** Per partner: a Fenwick tree over ring slots {@code seq & ringMask}, 1 at each partner's newest entry. */
  private int[][] newestMarks;
  private int ringMask;
  /** Per partner: partner hash → sequence number of its newest entry (stale once that entry is evicted). */
  private LongLongMap[] newestSeq;

  static final byte FLAG_FAILED_LOGIN = 1;
  static final byte FLAG_NEAR_THRESHOLD = 2;

  KeyWindow(int partnerCount, int indexMinEntries) {
    this(partnerCount, indexMinEntries, false);
  }

  /** @param withDiskSeqs whether entries carry their {@link WindowDisk} sequence number */
  KeyWindow(int partnerCount, int indexMinEntries, boolean withDiskSeqs) {
    if (indexMinEntries < 1) throw new IllegalArgumentException("indexMinEntries must be ≥ 1");
    this.indexMinEntries = indexMinEntries;
    this.partnerCount = partnerCount;
    timesMillis = new long[INITIAL_CAPACITY];
    amountsMinor = new long[INITIAL_CAPACITY];
    currencies = new short[INITIAL_CAPACITY];
    flags = new byte[INITIAL_CAPACITY];
    partners = new long[INITIAL_CAPACITY * Math.max(1, partnerCount)];
    if (withDiskSeqs) diskSeqs = new long[INITIAL_CAPACITY];
  }

  int size() {
    return size;
  }

  long timeAt(int i) {
    return timesMillis[i];
  }

  long diskSeqAt(int i) {
    return diskSeqs[i];
  }

  /** Entries dropped by the next {@link #insert} to stay within {@code capacityMax}: 0, or the oldest 1/64. */
  int dropsOnNextInsert(int capacityMax) {
    return size == capacityMax ? Math.max(1, capacityMax / 64) : 0;
  }

  /** Heap bytes of this key: its arrays (at capacity), its index and the object headers. */
  long footprintBytes() {
    long perEntry = 8 + 8 + 2 + 1 + 8L * Math.max(1, partnerCount) + (diskSeqs == null ? 0 : 8);
    long bytes = 160 + perEntry * timesMillis.length;
    if (indexed()) {
      bytes += (8L + 4 + 4) * totalAmount.length + (long) partnerCount * 4 * (ringMask + 2);
      for (LongLongMap map : newestSeq) bytes += map.footprintBytes();
    }
    return bytes;
  }

  /** The entries, oldest first (the index is not written: it is derived). */
  void writeTo(StateWriter out) throws IOException {
    out.writeInt(size);
    out.writeLong(firstSeq);
    out.writeLongs(timesMillis, size);
    out.writeLongs(amountsMinor, size);
    for (int i = 0; i < size; i++) out.writeShort(currencies[i]);
    for (int i = 0; i < size; i++) out.writeByte(flags[i]);
    out.writeLongs(partners, size * partnerCount);
  }

  static KeyWindow readFrom(StateReader in, int partnerCount, int indexMinEntries, int entriesMax) throws IOException {
    KeyWindow kw = new KeyWindow(partnerCount, indexMinEntries);
    int n = in.readCount("entries of a key", entriesMax);
    kw.firstSeq = in.readLong();
    int capacity = Math.max(INITIAL_CAPACITY, n);
    kw.timesMillis = new long[capacity];
    kw.amountsMinor = new long[capacity];
    kw.currencies = new short[capacity];
    kw.flags = new byte[capacity];
    kw.partners = new long[capacity * Math.max(1, partnerCount)];
    in.readLongs(kw.timesMillis, n);
    in.readLongs(kw.amountsMinor, n);
    for (int i = 0; i < n; i++) kw.currencies[i] = in.readShort();
    for (int i = 0; i < n; i++) kw.flags[i] = in.readByte();
    in.readLongs(kw.partners, n * partnerCount);
    for (int i = 1; i < n; i++) {
      if (kw.timesMillis[i] < kw.timesMillis[i - 1]) throw new StateFormatException("a key's entries are out of time order");
    }
    kw.size = n;
    return kw;
  }

  /**
   * Adds one entry; returns the number of entries dropped to stay within {@code capacityMax}. A
   * full key drops its oldest 1/64 at once (at least one), so that a hot key pays the array shift
   * once per {@code capacityMax / 64} events rather than on every event.
   */
  int insert(long timeMillis, long amountMinor, short currency, byte flag, long[] partnerHashes, int capacityMax) {
    return insert(timeMillis, amountMinor, currency, flag, partnerHashes, capacityMax, 0);
  }

  /** As {@link #insert(long, long, short, byte, long[], int)}, with the entry's disk sequence number. */
  int insert(long timeMillis, long amountMinor, short currency, byte flag, long[] partnerHashes, int capacityMax,
      long diskSeq) {
    assert partnerHashes.length == partnerCount;
    int dropped = dropsOnNextInsert(capacityMax);
    if (dropped > 0) removeFirst(dropped);
    if (size == timesMillis.length) grow(Math.min(capacityMax, timesMillis.length * 2));
    int at = size;
    while (at > 0 && timesMillis[at - 1] > timeMillis) at--;
    if (at < size) shiftRight(at);
    timesMillis[at] = timeMillis;
    amountsMinor[at] = amountMinor;
    currencies[at] = currency;
    flags[at] = flag;
    System.arraycopy(partnerHashes, 0, partners, at * partnerCount, partnerCount);
    if (diskSeqs != null) diskSeqs[at] = diskSeq;
    size++;
    if (indexed()) {
      // In order: one entry. Late: the entries after it moved one sequence number up; indexing them
      // again in order moves each partner's mark too, because each put unmarks the entry the map
      // pointed to, which is where that partner's mark still is.
      for (int j = at; j < size; j++) indexEntry(j);
      compactIndexIfStale();
    }
    return dropped;
  }

  /** Drops entries with time ≤ cutoff. Returns how many. */
  int evictUpTo(long cutoffMillis) {
    int n = 0;
    while (n < size && timesMillis[n] <= cutoffMillis) n++;
    if (n > 0) removeFirst(n);
    return n;
  }

  /**
   * Aggregates every window: through the index when there is one and no entry is later than
   * tMillis, else in one backward scan over the entries with time ≤ tMillis.
   *
   * @param windowMillis window lengths, ascending
   * @param windowCount how many of the shortest windows to compute; the scan stops at the
   *     longest of them, so a rule reading only 1 h never walks 30 days of history
   * @param out receives, per window w: [count, sum, failed, near, distinct partner 0, 1, …]
   */
  void aggregate(long tMillis, long[] windowMillis, int windowCount, int partnerWindowCount, short sumCurrency,
      LongHashSet[] scratch, long[] out, int stride) {
    if (size >= indexMinEntries && !indexed()) buildIndex(sumCurrency);
    if (indexed() && indexCurrency != sumCurrency && ++currencyMisses > CURRENCY_MISSES_TO_REBUILD) {
      buildIndex(sumCurrency); // the key's traffic moved to another currency
    }
    int end = upperBound(tMillis);
    if (indexed() && indexCurrency == sumCurrency && end == size) {
      currencyMisses = 0;
      aggregateIndexed(tMillis, windowMillis, windowCount, partnerWindowCount, out, stride);
      return;
    }
    for (LongHashSet set : scratch) set.clear();
    int j = end - 1;
    long count = 0, sum = 0, failed = 0, near = 0;
    for (int w = 0; w < windowCount; w++) {
      long lowerExclusive = tMillis - windowMillis[w];
      for (; j >= 0 && timesMillis[j] > lowerExclusive; j--) {
        count++;
        if (currencies[j] == sumCurrency) sum += amountsMinor[j];
        if ((flags[j] & FLAG_FAILED_LOGIN) != 0) failed++;
        if ((flags[j] & FLAG_NEAR_THRESHOLD) != 0) near++;
        if (w < partnerWindowCount) {
          for (int p = 0; p < partnerCount; p++) {
            long h = partners[j * partnerCount + p];
            if (h != 0) scratch[p].add(h);
          }
        }
      }
      int base = w * stride;
      out[base] = count;
      out[base + 1] = sum;
      out[base + 2] = failed;
      out[base + 3] = near;
      // Distinct partners of the windows not asked for are -1: a busy merchant's 30-day set of
      // distinct accounts is the most expensive thing to count, and not every reader needs it.
      for (int p = 0; p < partnerCount; p++) out[base + 4 + p] = w < partnerWindowCount ? scratch[p].size() : -1;
    }
  }

  /** {@link #aggregate} through the index, for a window that ends at the newest entry: O(log n) a window. */
  private void aggregateIndexed(long tMillis, long[] windowMillis, int windowCount, int partnerWindowCount, long[] out, int stride) {
    int hi = size; // entries [lo, hi) are in the window; the caller checked that none is after tMillis
    for (int w = 0; w < windowCount; w++) {
      int lo = upperBound(tMillis - windowMillis[w]);
      assert lo <= hi : "window lengths are positive";
      int base = w * stride;
      out[base] = hi - lo;
      out[base + 1] = totalAmountBefore(hi) - totalAmountBefore(lo);
      out[base + 2] = totalBefore(totalFailed, hi, FLAG_FAILED_LOGIN) - totalBefore(totalFailed, lo, FLAG_FAILED_LOGIN);
      out[base + 3] = totalBefore(totalNear, hi, FLAG_NEAR_THRESHOLD) - totalBefore(totalNear, lo, FLAG_NEAR_THRESHOLD);
      for (int p = 0; p < partnerCount; p++) {
        if (w >= partnerWindowCount) {
          out[base + 4 + p] = -1;
          continue;
        }
        out[base + 4 + p] = marksFrom(newestMarks[p], firstSeq + lo);
      }
    }
  }

  /** Sum of the indexed currency's amounts of entries [0, i), relative to the index's origin. */
  private long totalAmountBefore(int i) {
    if (i > 0) return totalAmount[i - 1];
    return size == 0 ? 0 : totalAmount[0] - amountOf(0);
  }

  private long totalBefore(int[] totals, int i, byte flag) {
    if (i > 0) return totals[i - 1];
    return size == 0 ? 0 : totals[0] - ((flags[0] & flag) != 0 ? 1 : 0);
  }

  private long amountOf(int j) {
    return currencies[j] == indexCurrency ? amountsMinor[j] : 0;
  }

  /** Whether the key has its index (built once it reached indexMinEntries; never dropped). */
  private boolean indexed() {
    return totalAmount != null;
  }

  private void buildIndex(short currency) {
    int capacity = timesMillis.length;
    indexCurrency = currency;
    currencyMisses = 0;
    firstSeq = 0;
    totalAmount = new long[capacity];
    totalFailed = new int[capacity];
    totalNear = new int[capacity];
    int ring = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1; // a power of two ≥ capacity
    ringMask = ring - 1;
    newestMarks = new int[partnerCount][ring + 1]; // Fenwick trees are 1-based
    newestSeq = new LongLongMap[partnerCount];
    for (int p = 0; p < partnerCount; p++) newestSeq[p] = new LongLongMap();
    for (int j = 0; j < size; j++) indexEntry(j);
  }

  /** Indexes entry j; entries before j are indexed, entries after it are not (yet). */
  private void indexEntry(int j) {
    totalAmount[j] = (j == 0 ? 0 : totalAmount[j - 1]) + amountOf(j);
    totalFailed[j] = (j == 0 ? 0 : totalFailed[j - 1]) + ((flags[j] & FLAG_FAILED_LOGIN) != 0 ? 1 : 0);
    totalNear[j] = (j == 0 ? 0 : totalNear[j - 1]) + ((flags[j] & FLAG_NEAR_THRESHOLD) != 0 ? 1 : 0);
    long seq = firstSeq + j;
    for (int p = 0; p < partnerCount; p++) {
      long h = partners[j * partnerCount + p];
      if (h == 0) continue;
      long previous = newestSeq[p].put(h, seq, ABSENT);
      if (previous != ABSENT && previous >= firstSeq) mark(newestMarks[p], previous, -1); // no longer the newest
      mark(newestMarks[p], seq, 1);
    }
  }

  /**
   * Evicted partners stay in the maps with sequence numbers before firstSeq; rebuild once they
   * outnumber the live entries, so that a map holds at most about twice the key's partners.
   */
  private void compactIndexIfStale() {
    for (LongLongMap map : newestSeq) {
      if (map.size() > 2 * size + 64) {
        buildIndex(indexCurrency);
        return;
      }
    }
  }

  /** Entry j is leaving: if it is its partner's newest entry, its mark goes. */
  private void unindexEvicted(int j) {
    long seq = firstSeq + j;
    for (int p = 0; p < partnerCount; p++) {
      long h = partners[j * partnerCount + p];
      if (h != 0 && newestSeq[p].get(h, ABSENT) == seq) mark(newestMarks[p], seq, -1);
    }
  }

  private void mark(int[] tree, long seq, int delta) {
    for (int i = (int) (seq & ringMask) + 1; i < tree.length; i += i & -i) tree[i] += delta;
  }

  /** Marks in ring slots [0, slot). */
  private static int marksBelow(int[] tree, int slot) {
    int n = 0;
    for (int i = slot; i > 0; i -= i & -i) n += tree[i];
    return n;
  }

  /** Marks on the entries from sequence number loSeq to the newest entry. */
  private int marksFrom(int[] tree, long loSeq) {
    long endSeq = firstSeq + size; // exclusive
    if (loSeq >= endSeq) return 0;
    int from = (int) (loSeq & ringMask), to = (int) (endSeq & ringMask);
    if (from < to) return marksBelow(tree, to) - marksBelow(tree, from);
    return marksBelow(tree, ringMask + 1) - marksBelow(tree, from) + marksBelow(tree, to); // wraps around the ring
  }

  /**
   * Amount statistics of the entries with time in (tMillis − w, tMillis] for each window w
   * (ascending), in one backward scan, skipping the newest entry that has exactly time
   * {@code skipTimeMillis} and amount {@code skipAmountMinor} (the event being decided, so that the
   * statistics describe the history before it). Only entries in {@code currency} count.
   *
   * @param out per window w: [count, sum, sum of squares, max, seconds since the newest counted entry (−1 if none)]
   */
  void amountStats(long tMillis, long[] windowMillis, short currency, long skipTimeMillis, long skipAmountMinor, double[] out) {
    int j = upperBound(tMillis) - 1;
    boolean skipped = false;
    double count = 0, sum = 0, squares = 0, max = 0;
    long newest = Long.MIN_VALUE;
    for (int w = 0; w < windowMillis.length; w++) {
      long lowerExclusive = tMillis - windowMillis[w];
      for (; j >= 0 && timesMillis[j] > lowerExclusive; j--) {
        if (currencies[j] != currency) continue;
        if (!skipped && timesMillis[j] == skipTimeMillis && amountsMinor[j] == skipAmountMinor) {
          skipped = true;
          continue;
        }
        double a = amountsMinor[j];
        count++;
        sum += a;
        squares += a * a;
        if (a > max) max = a;
        if (timesMillis[j] > newest) newest = timesMillis[j];
      }
      int base = w * 5;
      out[base] = count;
      out[base + 1] = sum;
      out[base + 2] = squares;
      out[base + 3] = max;
      out[base + 4] = newest == Long.MIN_VALUE ? -1 : (tMillis - newest) / 1000.0;
    }
  }

  /** Index of the first entry with time > tMillis. */
  private int upperBound(long tMillis) {
    int lo = 0, hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (timesMillis[mid] <= tMillis) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private void grow(int capacity) {
    timesMillis = Arrays.copyOf(timesMillis, capacity);
    amountsMinor = Arrays.copyOf(amountsMinor, capacity);
    currencies = Arrays.copyOf(currencies, capacity);
    flags = Arrays.copyOf(flags, capacity);
    partners = Arrays.copyOf(partners, capacity * Math.max(1, partnerCount));
    if (diskSeqs != null) diskSeqs = Arrays.copyOf(diskSeqs, capacity);
    if (indexed()) buildIndex(indexCurrency); // the rings must cover the new capacity
  }

  private void shiftRight(int at) {
    int n = size - at;
    System.arraycopy(timesMillis, at, timesMillis, at + 1, n);
    System.arraycopy(amountsMinor, at, amountsMinor, at + 1, n);
    System.arraycopy(currencies, at, currencies, at + 1, n);
    System.arraycopy(flags, at, flags, at + 1, n);
    System.arraycopy(partners, at * partnerCount, partners, (at + 1) * partnerCount, n * partnerCount);
    if (diskSeqs != null) System.arraycopy(diskSeqs, at, diskSeqs, at + 1, n);
  }

  private void removeFirst(int n) {
    if (indexed()) {
      for (int j = 0; j < n; j++) unindexEvicted(j); // reads the entries' partners before they move
    }
    int rest = size - n;
    System.arraycopy(timesMillis, n, timesMillis, 0, rest);
    System.arraycopy(amountsMinor, n, amountsMinor, 0, rest);
    System.arraycopy(currencies, n, currencies, 0, rest);
    System.arraycopy(flags, n, flags, 0, rest);
    System.arraycopy(partners, n * partnerCount, partners, 0, rest * partnerCount);
    if (diskSeqs != null) System.arraycopy(diskSeqs, n, diskSeqs, 0, rest);
    if (indexed()) {
      System.arraycopy(totalAmount, n, totalAmount, 0, rest);
      System.arraycopy(totalFailed, n, totalFailed, 0, rest);
      System.arraycopy(totalNear, n, totalNear, 0, rest);
    }
    firstSeq += n;
    size = rest;
  }
}
