package io.vigil.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Open-loop HTTP load generator for the Vigil decision endpoint ({@code POST /v1/decisions}).
 *
 * <pre>
 * java -jar vigil-bench/target/vigil-bench.jar --url http://localhost:8080 --rate 2000 --duration 60 \
 *     [--warmup 10] [--connections 64] [--accounts 100000] [--seed 42] [--out result.json]
 * </pre>
 *
 * <h2>Design note: open-loop measurement</h2>
 * A closed-loop client (N threads, each sending its next request when the previous answer
 * arrives) slows down exactly when the server does: during a 200 ms pause it sends nothing, so the
 * requests that real clients would have sent in that time, and that would have waited, are never
 * measured. This is <em>coordinated omission</em>, and it hides the tail that matters most.
 *
 * <p>Real payment traffic does not wait for Vigil. So this tool is open-loop: request {@code i}
 * has an <b>intended send time</b> {@code intendedNanos = start + i × 1e9 / rateHz}, fixed in
 * advance by the arrival rate alone. A scheduler thread hands each request, when due, to a pool of
 * workers that each own one keep-alive connection; if all workers are busy, requests wait in a
 * bounded queue (about 2 s of load; beyond it they are counted as {@code client_overload}).
 * Latency is measured from the intended send time, not from the moment a worker actually wrote the
 * request, to the end of reading the response, and recorded in an HdrHistogram (µs, 3 significant
 * digits). A request delayed by a stall therefore carries the whole stall in its latency, as it
 * would for a real client, and the percentiles reflect what callers experience at the offered rate.
 * Scheduler wake-up jitter (tens of µs from {@code parkNanos}) is included too, which is
 * negligible next to HTTP latencies but means the figures are an upper bound.
 *
 * <p>The achieved rate is the number of successful (HTTP 200) responses divided by the measured
 * phase, stretched to the last response if the server was still catching up after the schedule
 * ended. Any other status and any I/O error counts as an error, broken down by kind; latency
 * percentiles cover successful responses only (fast 503s must not flatter them).
 *
 * <p>Exit status: 0 when the run produced successful responses, 1 on a usage error, 2 when the
 * server cannot be reached at all, 3 when no request succeeded.
 */
public final class BenchMain {
  static final int EXIT_USAGE = 1;
  static final int EXIT_CANNOT_CONNECT = 2;
  static final int EXIT_NO_SUCCESS = 3;

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (BenchOptions.UsageException e) {
      if (e.getMessage() == null) {
        out.print(BenchOptions.USAGE);
        return 0;
      }
      err.println("error: " + e.getMessage());
      err.print(BenchOptions.USAGE);
      return EXIT_USAGE;
    }
    try (HttpConnection probe = new HttpConnection(options.host(), options.port(), OpenLoopRun.CONNECT_TIMEOUT_MILLIS, 1_000)) {
      probe.connect();
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return EXIT_CANNOT_CONNECT;
    }

    out.printf("generating %d account profiles (seed %d)...%n", options.accounts(), options.seed());
    EventGenerator generator = new EventGenerator(options.seed(), options.accounts());
    out.printf("run %s: %.1f decisions/s to %s for %.0f s after %.0f s warm-up, %d connections%n",
        generator.runId(), options.rateHz(), options.url(), options.durationSeconds(), options.warmupSeconds(), options.connections());
    out.println(options.keyFile() == null ? "requests unsigned (no --key-file): a server with its security boundary refuses them"
        : "requests signed with the API key in " + options.keyFile());
    BenchResult result = options.closedLoop() ? new ClosedLoopRun(options, generator).run()
        : new OpenLoopRun(options, generator, true).run();

    out.println();
    out.print(result.summary());
    if (options.outFile() != null) {
      try {
        Files.writeString(Path.of(options.outFile()), result.toJson(), StandardCharsets.UTF_8);
        out.println("  wrote      " + options.outFile());
      } catch (IOException e) {
        err.println("error: cannot write " + options.outFile() + ": " + e.getMessage());
        return EXIT_USAGE;
      }
    }
    return result.successes > 0 ? 0 : EXIT_NO_SUCCESS;
  }
}
