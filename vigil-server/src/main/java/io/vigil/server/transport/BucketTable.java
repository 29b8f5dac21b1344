package io.vigil.server.transport;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.SynchronizationStrategy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Token buckets by key (an API key id, a client address), at most {@code bucketsMax} of them. Reading
 * an existing bucket takes no lock (a concurrent map read, then bucket4j's lock-free bucket). When a
 * new bucket takes the table over its bound, the least recently used eighth is forgotten (use is
 * recorded to the second, so a hot bucket's use costs no write most of the time); a forgotten key
 * starts again with a full bucket.
 */
final class BucketTable {
  private static final long TOUCH_GRANULARITY_MILLIS = 1_000;
  private static final int EVICT_FRACTION = 8;

  private final ConcurrentHashMap<String, Entry> buckets = new ConcurrentHashMap<>();
  private final ReentrantLock eviction = new ReentrantLock();
  private final RateLimitProperties.Budget budget;
  private final int bucketsMax;
  private final Clock clock;
  private final TimeMeter timeMeter;

  BucketTable(RateLimitProperties.Budget budget, int bucketsMax, Clock clock) {
    if (bucketsMax < EVICT_FRACTION) throw new IllegalArgumentException("bucketsMax < " + EVICT_FRACTION);
    this.budget = budget;
    this.bucketsMax = bucketsMax;
    this.clock = clock;
    this.timeMeter = new ClockTimeMeter(clock);
  }

  /** The key's bucket, or null when it has none (it has spent nothing, or was forgotten). */
  Bucket find(String key) {
    Entry entry = buckets.get(key);
    if (entry == null) return null;
    touch(entry);
    return entry.bucket;
  }

  /** The key's bucket, made full when it has none. */
  Bucket get(String key) {
    Entry entry = buckets.get(key);
    if (entry != null) {
      touch(entry);
      return entry.bucket;
    }
    Entry made = buckets.computeIfAbsent(key, k -> new Entry(newBucket(), clock.millis()));
    if (buckets.size() > bucketsMax) evict();
    return made.bucket;
  }

  int size() {
    return buckets.size();
  }

  private void touch(Entry entry) {
    long now = clock.millis();
    if (now - entry.lastUsedMillis >= TOUCH_GRANULARITY_MILLIS) entry.lastUsedMillis = now;
  }

  /** Forgets the least recently used eighth of the buckets; one thread at a time, the others go on. */
  private void evict() {
    if (!eviction.tryLock()) return;
    try {
      int excess = buckets.size() - bucketsMax;
      if (excess <= 0) return;
      List<Map.Entry<String, Entry>> all = new ArrayList<>(buckets.entrySet());
      all.sort(Comparator.comparingLong(e -> e.getValue().lastUsedMillis));
      int forget = Math.min(all.size(), Math.max(excess, bucketsMax / EVICT_FRACTION));
      for (int i = 0; i < forget; i++) buckets.remove(all.get(i).getKey(), all.get(i).getValue());
    } finally {
      eviction.unlock();
    }
  }

  private Bucket newBucket() {
    Bandwidth limit = Bandwidth.builder().capacity(budget.capacity())
        .refillGreedy(budget.refillRequests(), Duration.ofSeconds(budget.refillPeriodSeconds())).build();
    return Bucket.builder().addLimit(limit).withCustomTimePrecision(timeMeter)
        .withSynchronizationStrategy(SynchronizationStrategy.LOCK_FREE).build();
  }

  private static final class Entry {
    final Bucket bucket;
    volatile long lastUsedMillis;

    Entry(Bucket bucket, long lastUsedMillis) {
      this.bucket = bucket;
      this.lastUsedMillis = lastUsedMillis;
    }
  }
}
