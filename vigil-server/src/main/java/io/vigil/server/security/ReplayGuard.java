package io.vigil.server.security;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Remembers the signatures accepted within the tolerance window, to refuse one that comes again.
 * Each signature is kept as a 64-bit fingerprint in the bucket of its signed timestamp (one bucket
 * per {@value #BUCKET_SECONDS} s); a bucket is dropped whole once every timestamp in it is outside
 * the tolerance (checked once a bucket period), since such a signature is refused as stale anyway.
 *
 * <p>Memory: 8 bytes per remembered signature, in open-addressing tables at most 3/4 full that grow
 * with the traffic. At 20,000 signed requests/s and a 300 s tolerance the guard holds about
 * 20,000 × (300 + 60) = 7.2 million fingerprints, about 80 MB; at 1,000 requests/s, about 4 MB.
 * {@code entriesMax} bounds it: when it is reached, {@link #remember} answers {@link Result#FULL}
 * and the request is refused (503) rather than let through unchecked, until old buckets age out.
 * Two different signatures share a fingerprint with probability about n / 2^64 per request
 * (3·10^-13 at 7 million entries): such a request would be refused as a replay.
 */
public final class ReplayGuard {
  static final int BUCKET_SECONDS = 60;
  private static final int STRIPES = 16;
  private static final int STRIPE_SLOTS_MIN = 256;

  public enum Result { NEW, REPLAYED, FULL }

  private final long toleranceSeconds;
  private final long entriesMax;
  private final Bucket[] ring;
  private final AtomicLong entries = new AtomicLong();
  /** Buckets before this epoch have been dropped. */
  private final AtomicLong sweptBefore = new AtomicLong(Long.MIN_VALUE);

  public ReplayGuard(long toleranceSeconds, long entriesMax) {
    if (toleranceSeconds < 1) throw new IllegalArgumentException("toleranceSeconds < 1");
    if (entriesMax < 1) throw new IllegalArgumentException("entriesMax < 1");
    this.toleranceSeconds = toleranceSeconds;
    this.entriesMax = entriesMax;
    // Timestamps from now - tolerance to now + tolerance, plus one bucket at each end being filled or dropped.
    int buckets = (int) ((2 * toleranceSeconds) / BUCKET_SECONDS) + 3;
    this.ring = new Bucket[buckets];
    for (int i = 0; i < buckets; i++) ring[i] = new Bucket();
  }

  /**
   * Records the fingerprint of a signature made at {@code signedAtSeconds} (already checked to be
   * within the tolerance of {@code nowSeconds}). NEW the first time, REPLAYED after.
   */
  public Result remember(long fingerprint, long signedAtSeconds, long nowSeconds) {
    if (Math.abs(nowSeconds - signedAtSeconds) > toleranceSeconds) throw new IllegalArgumentException("timestamp outside the tolerance");
    long fp = fingerprint == 0 ? 1 : fingerprint;
    sweep(nowSeconds);
    long epoch = Math.floorDiv(signedAtSeconds, BUCKET_SECONDS);
    Bucket bucket = ring[(int) Math.floorMod(epoch, (long) ring.length)];
    return bucket.add(epoch, fp, this);
  }

  /**
   * Drops the buckets whose every timestamp is now outside the tolerance (once per bucket period),
   * so a full guard has room again as soon as its oldest signatures could no longer be replayed.
   */
  private void sweep(long nowSeconds) {
    long oldestLive = Math.floorDiv(nowSeconds - toleranceSeconds, BUCKET_SECONDS);
    long swept = sweptBefore.get();
    if (oldestLive <= swept || !sweptBefore.compareAndSet(swept, oldestLive)) return;
    for (Bucket bucket : ring) bucket.dropBefore(oldestLive, this);
  }

  /** Fingerprints held now. */
  public long size() {
    return entries.get();
  }

  /** One time bucket: STRIPES small tables chosen by the fingerprint, each with its own lock. */
  private static final class Bucket {
    private final Stripe[] stripes = new Stripe[STRIPES];

    Bucket() {
      for (int i = 0; i < STRIPES; i++) stripes[i] = new Stripe();
    }

    void dropBefore(long epoch, ReplayGuard guard) {
      for (Stripe s : stripes) {
        synchronized (s) {
          if (s.epoch < epoch && s.size > 0) {
            guard.entries.addAndGet(-s.size);
            s.reset(Long.MIN_VALUE);
          }
        }
      }
    }

    Result add(long epoch, long fp, ReplayGuard guard) {
      Stripe s = stripes[(int) (fp >>> 60) & (STRIPES - 1)];
      synchronized (s) {
        if (s.epoch != epoch) {
          if (s.epoch > epoch) return Result.REPLAYED; // cannot happen within the tolerance; refuse rather than guess
          guard.entries.addAndGet(-s.size);
          s.reset(epoch);
        }
        return s.add(fp, guard);
      }
    }
  }

  /** An open-addressing set of non-zero longs that doubles when 3/4 full. */
  private static final class Stripe {
    long epoch = Long.MIN_VALUE;
    long[] slots = new long[0];
    int size;

    void reset(long newEpoch) {
      epoch = newEpoch;
      slots = new long[0];
      size = 0;
    }

    Result add(long fp, ReplayGuard guard) {
      if (slots.length == 0) slots = new long[STRIPE_SLOTS_MIN];
      if (contains(fp)) return Result.REPLAYED;
      if (guard.entries.get() >= guard.entriesMax) return Result.FULL;
      if ((size + 1) * 4L > slots.length * 3L) grow();
      insert(slots, fp);
      size++;
      guard.entries.incrementAndGet();
      return Result.NEW;
    }

    private boolean contains(long fp) {
      int mask = slots.length - 1;
      for (int i = mix(fp) & mask; ; i = (i + 1) & mask) {
        long v = slots[i];
        if (v == 0) return false;
        if (v == fp) return true;
      }
    }

    private void grow() {
      long[] bigger = new long[slots.length * 2];
      for (long v : slots) if (v != 0) insert(bigger, v);
      slots = bigger;
    }

    private static void insert(long[] table, long fp) {
      int mask = table.length - 1;
      int i = mix(fp) & mask;
      while (table[i] != 0) i = (i + 1) & mask;
      table[i] = fp;
    }

    private static int mix(long fp) {
      long h = fp * 0x9E3779B97F4A7C15L;
      return (int) (h ^ (h >>> 32));
    }
  }
}
