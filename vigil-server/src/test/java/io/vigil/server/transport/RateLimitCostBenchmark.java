package io.vigil.server.transport;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the rate limits add to an authenticated request (a signed decision): the address check (no
 * bucket for an address that never failed) and one token from the key's bucket, on one hot key from
 * 1 and 4 threads. Not a test (no assertions, not run by the build); run it with
 * <pre>
 * java -cp "vigil-server/target/test-classes:vigil-server/target/classes:$(cat /tmp/vigil-server.cp)" \
 *   io.vigil.server.transport.RateLimitCostBenchmark
 * </pre>
 * after {@code ./mvnw -o -q dependency:build-classpath -pl vigil-server -Dmdep.outputFile=/tmp/vigil-server.cp}.
 */
public final class RateLimitCostBenchmark {
  private static final long WARMUP_NANOS = 2_000_000_000L;
  private static final long MEASURE_NANOS = 2_000_000_000L;
  private static final int ROUNDS = 3;

  private RateLimitCostBenchmark() {}

  public static void main(String[] args) throws Exception {
    RateLimitProperties p = new RateLimitProperties(true, 20_000,
        new RateLimitProperties.PerKey(100_000_000, 100_000_000, 1),
        new RateLimitProperties.PerAddress(200, 20, 1),
        new RateLimitProperties.SignInPerAddress(10, 10, 60));
    RateLimits limits = new RateLimits(p, Clock.systemUTC(), new SimpleMeterRegistry());
    ConcurrentHashMap<String, AtomicLong> baselineMap = new ConcurrentHashMap<>();
    baselineMap.put("vk_gateway", new AtomicLong());
    Map<String, Step> steps = new LinkedHashMap<>();
    // What any per-request counter costs: a map read and an atomic increment on a shared counter.
    steps.put("baseline: map read + shared atomic increment", () -> {
      baselineMap.get("vk_gateway").incrementAndGet();
      return 0;
    });
    steps.put("address check only", () -> limits.perAddress.waitIfSpent(ClientAddresses.key("203.0.113.7")));
    steps.put("key token only", () -> limits.perKey.take("vk_gateway"));
    steps.put("address check + key token", () -> limits.perAddress.waitIfSpent(ClientAddresses.key("203.0.113.7"))
        + limits.perKey.take("vk_gateway"));
    for (int threads : new int[] {1, 4}) {
      for (Map.Entry<String, Step> step : steps.entrySet()) {
        run(step.getValue(), threads, WARMUP_NANOS);
        StringBuilder line = new StringBuilder();
        for (int round = 0; round < ROUNDS; round++) {
          line.append(String.format(" %.0f", run(step.getValue(), threads, MEASURE_NANOS)));
        }
        System.out.printf("threads=%d %-48s ns per request:%s%n", threads, step.getKey(), line);
      }
    }
  }

  /** One request's rate limit work; 0 when it may go on. */
  private interface Step {
    long run();
  }

  /** Average nanoseconds per request per thread, all threads on the same key and address. */
  private static double run(Step step, int threads, long nanos) throws InterruptedException {
    AtomicLong operations = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        long n = 0;
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
          for (int i = 0; i < 1_000; i++) {
            if (step.run() != 0) refused.incrementAndGet();
          }
          n += 1_000;
        }
        operations.addAndGet(n);
      });
      workers.add(worker);
      worker.start();
    }
    start.countDown();
    for (Thread worker : workers) worker.join();
    if (refused.get() > 0) throw new IllegalStateException("refused " + refused.get());
    return (double) nanos * threads / operations.get();
  }
}
