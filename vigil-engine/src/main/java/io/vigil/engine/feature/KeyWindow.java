package io.vigil.engine.feature;

import java.util.Arrays;

/**
 * The committed events of one key (one account, one IP…) that can still fall inside a window:
 * parallel primitive arrays sorted by event time, ties in commit order.
 *
 * <p>Memory is {@code 8 + 8 + 2 + 1 + 8 × partners} bytes per entry (27 B for a device, 43 B for an
 * account), and at most {@link FeatureConfig#entriesPerKeyMax()} entries. Out-of-order events are
 * inserted in place; a late event costs a shift of the entries after it.
 */
final class KeyWindow {
  private static final int INITIAL_CAPACITY = 4;

  private final int partnerCount;
  private long[] timesMillis;
  private long[] amountsMinor;
  private short[] currencies;
  private byte[] flags;
  private long[] partners;
  private int size;

  static final byte FLAG_FAILED_LOGIN = 1;

  KeyWindow(int partnerCount) {
    this.partnerCount = partnerCount;
    timesMillis = new long[INITIAL_CAPACITY];
    amountsMinor = new long[INITIAL_CAPACITY];
    currencies = new short[INITIAL_CAPACITY];
    flags = new byte[INITIAL_CAPACITY];
    partners = new long[INITIAL_CAPACITY * Math.max(1, partnerCount)];
  }

  int size() {
    return size;
  }

  /**
   * Adds one entry; returns the number of entries dropped to stay within {@code capacityMax}. A
   * full key drops its oldest 1/64 at once (at least one), so that a hot key pays the array shift
   * once per {@code capacityMax / 64} events rather than on every event.
   */
  int insert(long timeMillis, long amountMinor, short currency, byte flag, long[] partnerHashes, int capacityMax) {
    assert partnerHashes.length == partnerCount;
    int dropped = 0;
    if (size == capacityMax) {
      dropped = Math.max(1, capacityMax / 64);
      removeFirst(dropped);
    }
    if (size == timesMillis.length) grow(Math.min(capacityMax, timesMillis.length * 2));
    int at = size;
    while (at > 0 && timesMillis[at - 1] > timeMillis) at--;
    if (at < size) shiftRight(at);
    timesMillis[at] = timeMillis;
    amountsMinor[at] = amountMinor;
    currencies[at] = currency;
    flags[at] = flag;
    System.arraycopy(partnerHashes, 0, partners, at * partnerCount, partnerCount);
    size++;
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
   * Aggregates every window in one backward scan over the entries with time ≤ tMillis.
   *
   * @param windowMillis window lengths, ascending
   * @param windowCount how many of the shortest windows to compute; the scan stops at the
   *     longest of them, so a rule reading only 1 h never walks 30 days of history
   * @param out receives, per window w: [count, sum, failed, near, distinct partner 0, 1, …]
   */
  void aggregate(long tMillis, long[] windowMillis, int windowCount, int partnerWindowCount, short sumCurrency, short nearCurrency,
      long nearLowMinor, long nearHighMinorExclusive, LongHashSet[] scratch, long[] out, int stride) {
    for (LongHashSet set : scratch) set.clear();
    int j = upperBound(tMillis) - 1;
    long count = 0, sum = 0, failed = 0, near = 0;
    for (int w = 0; w < windowCount; w++) {
      long lowerExclusive = tMillis - windowMillis[w];
      for (; j >= 0 && timesMillis[j] > lowerExclusive; j--) {
        count++;
        if (currencies[j] == sumCurrency) sum += amountsMinor[j];
        if ((flags[j] & FLAG_FAILED_LOGIN) != 0) failed++;
        if (currencies[j] == nearCurrency && amountsMinor[j] >= nearLowMinor && amountsMinor[j] < nearHighMinorExclusive) {
          near++;
        }
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
  }

  private void shiftRight(int at) {
    int n = size - at;
    System.arraycopy(timesMillis, at, timesMillis, at + 1, n);
    System.arraycopy(amountsMinor, at, amountsMinor, at + 1, n);
    System.arraycopy(currencies, at, currencies, at + 1, n);
    System.arraycopy(flags, at, flags, at + 1, n);
    System.arraycopy(partners, at * partnerCount, partners, (at + 1) * partnerCount, n * partnerCount);
  }

  private void removeFirst(int n) {
    int rest = size - n;
    System.arraycopy(timesMillis, n, timesMillis, 0, rest);
    System.arraycopy(amountsMinor, n, amountsMinor, 0, rest);
    System.arraycopy(currencies, n, currencies, 0, rest);
    System.arraycopy(flags, n, flags, 0, rest);
    System.arraycopy(partners, n * partnerCount, partners, 0, rest * partnerCount);
    size = rest;
  }
}
