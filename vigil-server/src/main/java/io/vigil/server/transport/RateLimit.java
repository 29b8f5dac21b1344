package io.vigil.server.transport;

import io.github.bucket4j.Bucket;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/** One budget applied per key, over a bounded {@link BucketTable}. Answers in seconds to wait: 0 means go on. */
final class RateLimit {
  private final BucketTable table;

  RateLimit(RateLimitProperties.Budget budget, int bucketsMax, Clock clock) {
    this.table = new BucketTable(budget, bucketsMax, clock);
  }

  /** Takes one request from the key's bucket: 0, or the seconds until one is there again (nothing taken). */
  long take(String key) {
    Bucket bucket = table.get(key);
    if (bucket.tryConsume(1)) return 0;
    return secondsToWait(bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill());
  }

  /** Without taking anything: 0 when the key may go on (a bucket with a request left, or none yet), else the seconds to wait. */
  long waitIfSpent(String key) {
    Bucket bucket = table.find(key);
    if (bucket == null || bucket.getAvailableTokens() > 0) return 0;
    return secondsToWait(bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill());
  }

  /** Counts one request against the key after the fact; a bucket already empty stays empty. */
  void spend(String key) {
    table.get(key).tryConsume(1);
  }

  /** Requests left in the key's bucket (-1 when it has none). */
  long available(String key) {
    Bucket bucket = table.find(key);
    return bucket == null ? -1 : bucket.getAvailableTokens();
  }

  int bucketCount() {
    return table.size();
  }

  /** Whole seconds, rounded up, at least 1 (the {@code Retry-After} header). */
  static long secondsToWait(long nanos) {
    return Math.max(1, (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
  }
}
