package io.vigil.engine.release;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which side of a traffic split an account is on: the first 8 bytes of SHA-256 of the account id,
 * unsigned, modulo {@value #BUCKETS}. An account is on the candidate side when its bucket is below
 * {@code percent × 100}, so raising the percentage only ever moves accounts from live to candidate,
 * never back: an account stays on the side it was on as the percentage grows. An event without an
 * account id is always on the live side.
 */
public final class StableSplit {
  /** Buckets of the split: one bucket is 0.01 % of accounts. */
  public static final int BUCKETS = 10_000;
  /** Buckets per percentage point. */
  public static final int BUCKETS_PER_PERCENT = BUCKETS / 100;

  static {
    if (BUCKETS_PER_PERCENT * 100 != BUCKETS) throw new AssertionError("a percentage point is a whole number of buckets");
  }

  /** One digest per thread: MessageDigest is not thread-safe, and creating one costs more than hashing an id. */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  });

  private StableSplit() {}

  /** The account's bucket, 0 to {@value #BUCKETS} − 1. */
  public static int bucket(String accountId) {
    if (accountId == null) throw new IllegalArgumentException("accountId");
    MessageDigest sha = SHA256.get();
    byte[] digest = sha.digest(accountId.getBytes(StandardCharsets.UTF_8));
    long v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | (digest[i] & 0xFF);
    int bucket = (int) Long.remainderUnsigned(v, BUCKETS);
    assert bucket >= 0 && bucket < BUCKETS;
    return bucket;
  }

  /** Whether the account is on the candidate side at {@code percent} (0–100). */
  public static boolean candidate(String accountId, int percent) {
    if (percent < 0 || percent > 100) throw new IllegalArgumentException("percent must be 0-100");
    if (accountId == null || percent == 0) return false;
    if (percent == 100) return true;
    return bucket(accountId) < percent * BUCKETS_PER_PERCENT;
  }
}
