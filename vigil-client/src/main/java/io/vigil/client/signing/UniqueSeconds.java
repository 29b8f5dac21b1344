package io.vigil.client.signing;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Timestamps for signing, so that no two identical requests (a retry, a poll) carry the same
 * signature: Vigil accepts each signature once. The first request takes the current second; an
 * identical one takes the nearest second not yet used for it (now, now - 1, now + 1, now - 2, ...),
 * within {@code spreadSeconds} of now (keep it well inside the server's tolerance, 300 s by default).
 * So up to about 2 × spreadSeconds identical requests fit in any window of that length. Thread-safe;
 * remembers at most {@value #CONTENTS_MAX} distinct requests.
 */
public final class UniqueSeconds {
  static final int CONTENTS_MAX = 10_000;
  private final long spreadSeconds;
  private final Map<String, TreeSet<Long>> used = new HashMap<>();

  public UniqueSeconds(long spreadSeconds) {
    if (spreadSeconds < 1) throw new IllegalArgumentException("spreadSeconds < 1");
    this.spreadSeconds = spreadSeconds;
  }

  /** A second for a request with this content (method, path, digest), unused for it so far. */
  public synchronized long next(String content, long nowSeconds) {
    if (used.size() >= CONTENTS_MAX && !used.containsKey(content)) used.clear();
    TreeSet<Long> seconds = used.computeIfAbsent(content, k -> new TreeSet<>());
    seconds.headSet(nowSeconds - spreadSeconds).clear();
    for (long d = 0; d <= spreadSeconds; d++) {
      if (seconds.add(nowSeconds - d)) return nowSeconds - d;
      if (d > 0 && seconds.add(nowSeconds + d)) return nowSeconds + d;
    }
    throw new IllegalStateException("more than " + (2 * spreadSeconds + 1) + " identical requests within " + spreadSeconds
        + " s: each needs a signature of its own");
  }
}
