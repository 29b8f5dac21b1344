package io.vigil.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * One closed-loop run: {@code connections} threads, each sending its next request over its own
 * keep-alive connection as soon as the previous answer arrives, for the warm-up and then the
 * measured phase. Latency runs from the actual send, so it shows what each of N clients hammering
 * the server sees, not what an open-loop arrival stream would (see {@link BenchMain}).
 */
final class ClosedLoopRun {
  private final BenchOptions options;
  private final EventGenerator generator;
  private final LoadStats stats = new LoadStats();

  ClosedLoopRun(BenchOptions options, EventGenerator generator) {
    this.options = options;
    this.generator = generator;
  }

  BenchResult run() throws InterruptedException {
    long startNanos = System.nanoTime();
    long measureStartNanos = startNanos + (long) (options.warmupSeconds() * 1e9);
    long endNanos = measureStartNanos + (long) (options.durationSeconds() * 1e9);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < options.connections(); i++) {
      Thread thread = new Thread(() -> hammer(measureStartNanos, endNanos), "bench-closed-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    CpuMeter cpu = new CpuMeter(options.cpuPids());
    long untilMeasureNanos;
    while ((untilMeasureNanos = measureStartNanos - System.nanoTime()) > 0) {
      Thread.sleep(untilMeasureNanos / 1_000_000, (int) (untilMeasureNanos % 1_000_000));
    }
    cpu.start();
    for (Thread t : threads) t.join(OpenLoopRun.READ_TIMEOUT_MILLIS + (endNanos - System.nanoTime()) / 1_000_000);
    CpuMeter.Use cpuUse = cpu.stop(stats.measuredSucceeded.sum());
    Histogram latency = stats.latencyMicros.getIntervalHistogram();
    double measuredSeconds = Math.max(options.durationSeconds(), (stats.lastMeasuredCompletionNanos.get() - measureStartNanos) / 1e9);
    return new BenchResult(options, generator.runId(), measuredSeconds, SchedulerLag.NONE, stats.measuredScheduled.sum(),
        stats.measuredSucceeded.sum(), stats.measuredErrors, stats.warmupScheduled.sum(), stats.warmupErrors.total(), latency, cpuUse);
  }

  private void hammer(long measureStartNanos, long endNanos) {
    try (HttpConnection connection = new HttpConnection(options.host(), options.port(), OpenLoopRun.CONNECT_TIMEOUT_MILLIS,
        OpenLoopRun.READ_TIMEOUT_MILLIS, options.signer())) {
      long now;
      while ((now = System.nanoTime()) < endNanos) {
        byte[] body;
        synchronized (generator) {
          body = generator.nextJson();
        }
        LoadRequest request = new LoadRequest(now, body, now >= measureStartNanos);
        (request.measured() ? stats.measuredScheduled : stats.warmupScheduled).increment();
        try {
          int status = connection.post(options.decisionsPath(), body);
          if (status == 200) stats.success(request, System.nanoTime());
          else stats.failure(request, Integer.toString(status), System.nanoTime());
        } catch (IOException | RuntimeException e) {
          stats.failure(request, LoadWorker.kindOf(e), System.nanoTime());
        }
      }
    }
  }
}
