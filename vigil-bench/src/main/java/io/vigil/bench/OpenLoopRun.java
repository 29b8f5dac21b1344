package io.vigil.bench;

import io.vigil.client.signing.VigilSigner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * One open-loop run: the calling thread is the scheduler, {@code connections} worker threads send.
 * Request {@code i} is due at {@code start + i × 1e9 / rateHz} ns whatever happened to earlier
 * requests; the scheduler builds its body when it is due and queues it. The queue holds about two
 * seconds of load; a request that does not fit is counted as {@code client_overload} and dropped.
 */
final class OpenLoopRun {
  static final int CONNECT_TIMEOUT_MILLIS = 3_000;
  static final int READ_TIMEOUT_MILLIS = 30_000;
  /** How long workers may take to finish queued requests after the schedule ends. */
  static final long DRAIN_MILLIS_MAX = 60_000;
  static final long PROGRESS_INTERVAL_NANOS = 5_000_000_000L;

  private final BenchOptions options;
  private final EventGenerator generator;
  private final LoadStats stats = new LoadStats();
  private final Histogram totalLatencyMicros = new Histogram(LoadStats.SIGNIFICANT_DIGITS);
  private final boolean printProgress;
  private final int readTimeoutMillis;
  private final long drainMillisMax;

  OpenLoopRun(BenchOptions options, EventGenerator generator, boolean printProgress) {
    this(options, generator, printProgress, READ_TIMEOUT_MILLIS, DRAIN_MILLIS_MAX);
  }

  OpenLoopRun(BenchOptions options, EventGenerator generator, boolean printProgress, int readTimeoutMillis,
      long drainMillisMax) {
    this.options = options;
    this.generator = generator;
    this.printProgress = printProgress;
    this.readTimeoutMillis = readTimeoutMillis;
    this.drainMillisMax = drainMillisMax;
  }

  static int queueCapacity(double rateHz) {
    return (int) Math.min(5_000_000, Math.max(1_024, Math.ceil(2 * rateHz)));
  }

  BenchResult run() throws InterruptedException {
    BlockingQueue<LoadRequest> queue = new ArrayBlockingQueue<>(queueCapacity(options.rateHz()));
    List<LoadWorker> workers = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    VigilSigner signer = options.signer();
    for (int i = 0; i < options.connections(); i++) {
      HttpConnection connection = new HttpConnection(options.host(), options.port(), CONNECT_TIMEOUT_MILLIS, readTimeoutMillis, signer);
      LoadWorker worker = new LoadWorker(queue, connection, options.decisionsPath(), stats);
      Thread thread = new Thread(worker, "bench-worker-" + i);
      thread.setDaemon(true);
      workers.add(worker);
      threads.add(thread);
      thread.start();
    }

    double periodNanos = 1e9 / options.rateHz();
    long warmupCount = Math.round(options.warmupSeconds() * options.rateHz());
    long measuredCount = Math.max(1, Math.round(options.durationSeconds() * options.rateHz()));
    long startNanos = System.nanoTime() + 20_000_000L;
    long measureStartNanos = startNanos + Math.round(warmupCount * periodNanos);
    long nextProgressNanos = startNanos + PROGRESS_INTERVAL_NANOS;
    long maxLagNanos = 0;
    long measuredLagMaxNanos = 0;
    long measuredLagSumNanos = 0;
    long lateOverMillis = 0;
    CpuMeter cpu = new CpuMeter(options.cpuPids());

    for (long i = 0, total = warmupCount + measuredCount; i < total; i++) {
      long intendedNanos = startNanos + (long) (i * periodNanos);
      long now = waitUntil(intendedNanos);
      long lagNanos = now - intendedNanos;
      maxLagNanos = Math.max(maxLagNanos, lagNanos);
      boolean measured = i >= warmupCount;
      if (i == warmupCount) cpu.start();
      if (measured) {
        measuredLagMaxNanos = Math.max(measuredLagMaxNanos, lagNanos);
        measuredLagSumNanos += lagNanos;
        if (lagNanos > 1_000_000L) lateOverMillis++;
      }
      LoadRequest request = new LoadRequest(intendedNanos, generator.nextJson(), measured);
      (measured ? stats.measuredScheduled : stats.warmupScheduled).increment();
      if (!queue.offer(request)) stats.failure(request, ErrorCounts.CLIENT_OVERLOAD, System.nanoTime());
      if (now >= nextProgressNanos) {
        progress(now - startNanos, measured, queue.size());
        while (nextProgressNanos <= now) nextProgressNanos += PROGRESS_INTERVAL_NANOS;
      }
    }
    long scheduleEndNanos = System.nanoTime();

    long drainDeadlineNanos = scheduleEndNanos + TimeUnit.MILLISECONDS.toNanos(drainMillisMax);
    int stopsQueued = 0;
    while (stopsQueued < threads.size() && System.nanoTime() < drainDeadlineNanos) {
      if (queue.offer(LoadRequest.STOP, 100, TimeUnit.MILLISECONDS)) stopsQueued++;
    }
    for (Thread t : threads) {
      long leftMillis = TimeUnit.NANOSECONDS.toMillis(drainDeadlineNanos - System.nanoTime());
      if (leftMillis > 0) t.join(leftMillis);
    }
    if (threads.stream().anyMatch(Thread::isAlive)) {
      // The server is hung or far behind: give up on what is still queued, unblock the workers.
      List<LoadRequest> left = new ArrayList<>();
      queue.drainTo(left);
      long now = System.nanoTime();
      for (LoadRequest r : left) if (r != LoadRequest.STOP) stats.failure(r, ErrorCounts.UNFINISHED, now);
      workers.forEach(LoadWorker::abort);
      for (int i = 0; i < threads.size(); i++) queue.offer(LoadRequest.STOP);
      for (Thread t : threads) t.join(5_000);
    }
    totalLatencyMicros.add(stats.latencyMicros.getIntervalHistogram());
    CpuMeter.Use cpuUse = cpu.stop(stats.measuredSucceeded.sum());

    double measuredSeconds = Math.max(options.durationSeconds(),
        (stats.lastMeasuredCompletionNanos.get() - measureStartNanos) / 1e9);
    SchedulerLag lag = new SchedulerLag(maxLagNanos / 1e6, measuredLagMaxNanos / 1e6,
        measuredCount == 0 ? 0 : measuredLagSumNanos / 1e3 / measuredCount, lateOverMillis);
    return new BenchResult(options, generator.runId(), measuredSeconds, lag,
        stats.measuredScheduled.sum(), stats.measuredSucceeded.sum(), stats.measuredErrors,
        stats.warmupScheduled.sum(), stats.warmupErrors.total(), totalLatencyMicros, cpuUse);
  }

  /** Parks until {@code intendedNanos}; returns the time it woke up (possibly later). */
  private static long waitUntil(long intendedNanos) {
    long now;
    while ((now = System.nanoTime()) < intendedNanos) LockSupport.parkNanos(intendedNanos - now);
    return now;
  }

  private void progress(long elapsedNanos, boolean measured, int queued) {
    Histogram interval = stats.latencyMicros.getIntervalHistogram();
    totalLatencyMicros.add(interval);
    if (!printProgress) return;
    String latency = interval.getTotalCount() == 0 ? "" : String.format(java.util.Locale.ROOT,
        "  interval p50 %.2f ms p99 %.2f ms max %.2f ms", interval.getValueAtPercentile(50) / 1e3,
        interval.getValueAtPercentile(99) / 1e3, interval.getMaxValue() / 1e3);
    System.out.printf(java.util.Locale.ROOT, "[%5.0f s] %-7s ok %d, errors %d, queued %d%s%n",
        elapsedNanos / 1e9, measured ? "measure" : "warmup",
        stats.measuredSucceeded.sum() + stats.warmupSucceeded.sum(),
        stats.measuredErrors.total() + stats.warmupErrors.total(), queued, latency);
  }
}
