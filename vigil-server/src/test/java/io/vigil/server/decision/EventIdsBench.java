package io.vigil.server.decision;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Memory and lookup cost of the idempotency index: 7 days of ids at a steady rate, recorded hour
 * by hour, then lookups of ids it holds and of ids it never saw. Prints its figures
 * (docs/performance.md, "The event-id index"); not part of the suite (run it by name):
 * <pre>./mvnw -o -q -B verify -pl vigil-server -am -Dtest=EventIdsBench -Dsurefire.failIfNoSpecifiedTests=false -Dids=10000000</pre>
 */
class EventIdsBench {
  private static final long HOUR = EventIds.BUCKET_MILLIS;

  @Test
  void sevenDaysOfIds() {
    int total = Integer.getInteger("ids", 10_000_000);
    int hours = 7 * 24;
    int perHour = total / hours;
    long start = 1_773_151_200_000L;
    System.gc();
    long heapBefore = usedHeap();
    long startNanos = System.nanoTime();
    try (EventIds ids = new EventIds(7 * 24 * HOUR + HOUR, null)) {
      long sequence = 0;
      for (int h = 0; h < hours; h++) {
        for (int i = 0; i < perHour; i++) ids.put("evt-" + h + "-" + i, ++sequence, start + h * HOUR + i, false);
        ids.expire(start + (h + 1) * HOUR);
      }
      ids.awaitMerge();
      long fillMillis = (System.nanoTime() - startNanos) / 1_000_000;
      System.gc();
      long heapAfter = usedHeap();
      SplittableRandom random = new SplittableRandom(1);
      int lookups = 2_000_000;
      String[] known = new String[lookups];
      String[] unknown = new String[lookups];
      for (int i = 0; i < lookups; i++) {
        known[i] = "evt-" + random.nextInt(hours) + "-" + random.nextInt(perHour);
        unknown[i] = "new-" + i;
      }
      long found = 0;
      for (int round = 0; round < 3; round++) {
        long t0 = System.nanoTime();
        for (String id : known) if (ids.sequenceOf(id, false) != EventIds.MISSING) found++;
        long t1 = System.nanoTime();
        for (String id : unknown) if (ids.sequenceOf(id, false) != EventIds.MISSING) found++;
        long t2 = System.nanoTime();
        System.out.printf("round %d: lookup of a held id %.0f ns, of a new id %.0f ns (hash included)%n", round,
            (t1 - t0) / (double) lookups, (t2 - t1) / (double) lookups);
      }
      System.out.printf("ids %,d in %,d ms; arrays %,d B = %.2f B/id; heap growth %,d B = %.2f B/id; found %d%n",
          ids.size(), fillMillis, ids.bytes(), ids.bytes() / (double) ids.size(), heapAfter - heapBefore,
          (heapAfter - heapBefore) / (double) ids.size(), found);
    }
    EventIdIndex table = new EventIdIndex();
    SplittableRandom random = new SplittableRandom(2);
    for (int i = 0; i < total; i++) table.put(random.nextLong() | 1, i);
    System.out.printf("before: one open table for all %,d ids: %,d B = %.2f B/id%n", total, table.bytes(),
        table.bytes() / (double) total);
  }

  private static long usedHeap() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }
}
