package io.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenLoopRunTest {
  static {
    // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle plus the
    // client's delayed ACK add 40 ms to every response.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  HttpServer server;
  final AtomicInteger received = new AtomicInteger();

  /** Answers 200, or 503 for every {@code failEvery}-th request, after {@code delayMillis}. */
  void startServer(int failEvery, long delayMillis, int threads) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/decisions", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      int n = received.incrementAndGet();
      Map<String, Object> event = TinyJson.parseObject(new String(body, StandardCharsets.UTF_8));
      int status = event.containsKey("event_id") && exchange.getRequestMethod().equals("POST") ? 200 : 400;
      if (failEvery > 0 && n % failEvery == 0) status = 503;
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] response = "{\"decision\":\"allow\"}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, response.length);
      exchange.getResponseBody().write(response);
      exchange.close();
    });
    server.setExecutor(Executors.newFixedThreadPool(threads));
    server.start();
  }

  @AfterEach
  void stop() {
    if (server != null) server.stop(0);
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void closedLoopKeepsEveryConnectionBusyAndCountsErrorsByStatus(@TempDir Path dir) throws Exception {
    startServer(5, 5, 4);
    Path out = dir.resolve("closed.json");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    int exit = BenchMain.run(new String[] {"--url", url(), "--closed", "--duration", "1", "--warmup", "0.2",
        "--connections", "4", "--accounts", "2000", "--out", out.toString()}, new PrintStream(stdout), System.err);
    assertThat(exit).isZero();
    Map<String, Object> result = TinyJson.parseObject(Files.readString(out));
    assertThat(result.get("closed_loop")).isEqualTo(true);
    assertThat(result.get("latency_measured_from")).isEqualTo("actual_send_time");
    long requests = (Long) result.get("requests");
    // 4 connections, 5 ms per answer, 1 s: at most about 800, and far more than one each.
    assertThat(requests).isBetween(40L, 1_000L);
    long errors = (Long) result.get("errors");
    assertThat(((Map<?, ?>) result.get("errors_by_status")).get("503")).isEqualTo(errors);
    assertThat(errors).isPositive();
    assertThat((Long) result.get("successes") + errors).isEqualTo(requests);
    assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("closed loop");
  }

  @Test
  void aClosedRunNeedsNoRate() {
    assertThat(BenchOptions.parse(new String[] {"--closed", "--duration", "5"}).closedLoop()).isTrue();
  }

  @Test
  void sendsAtTheTargetRateAndCountsErrorsByStatus(@TempDir Path dir) throws Exception {
    startServer(10, 0, 8);
    Path out = dir.resolve("result.json");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    int exit = BenchMain.run(new String[] {"--url", url(), "--rate", "400", "--duration", "2", "--warmup", "0.5",
        "--connections", "4", "--accounts", "2000", "--out", out.toString()}, new PrintStream(stdout), System.err);
    assertThat(exit).isZero();
    assertThat(received.get()).isEqualTo(1_000);
    Map<String, Object> result = TinyJson.parseObject(Files.readString(out));
    assertThat(result.get("requests")).isEqualTo(800L);
    long errors = (Long) result.get("errors");
    assertThat(errors).isBetween(75L, 85L);
    assertThat(((Map<?, ?>) result.get("errors_by_status")).get("503")).isEqualTo(errors);
    // At most 720 successes over at least the 2 s measured; how much longer the phase stretches
    // depends on the machine's load, which a test must not assert (docs/performance.md measures it).
    assertThat((Double) result.get("achieved_rate")).isPositive().isLessThanOrEqualTo(365.0);
    assertThat((Double) result.get("p99_ms")).isPositive().isLessThan(500.0);
    assertThat(result).containsKeys("target_rate", "duration_s", "p50_ms", "p90_ms", "p999_ms", "max_ms",
        "connections", "accounts", "seed", "url");
    assertThat(stdout.toString()).contains("achieved").contains("HTTP 503: ");
  }

  @Test
  void latencyIncludesQueueingBehindASlowServer() throws Exception {
    // One connection, 50 ms per request: capacity 20/s against 40/s offered for 1 s. A closed-loop
    // client would report ~50 ms; requests queue, so the last one waits about a second.
    startServer(0, 50, 1);
    BenchOptions options = BenchOptions.parse(new String[] {"--url", url(), "--rate", "40", "--duration", "1",
        "--warmup", "0", "--connections", "1", "--accounts", "100"});
    BenchResult result = new OpenLoopRun(options, new EventGenerator(1, 100), false).run();
    assertThat(result.successes).isEqualTo(40);
    assertThat(result.percentileMillis(50)).isGreaterThan(300);
    assertThat(result.maxMillis()).isGreaterThan(900);
    assertThat(result.achievedRateHz()).isLessThan(25);
  }

  @Test
  void aHungServerEndsTheRunWithUnfinishedAndAbortedRequests() throws Exception {
    // Accepts connections, reads requests, never answers.
    try (ServerSocket hung = new ServerSocket(0)) {
      Thread acceptor = new Thread(() -> {
        List<java.net.Socket> open = new java.util.ArrayList<>();
        try {
          while (true) open.add(hung.accept());
        } catch (IOException ignored) {
          // closed
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      BenchOptions options = BenchOptions.parse(new String[] {"--url", "http://127.0.0.1:" + hung.getLocalPort(),
          "--rate", "20", "--duration", "0.5", "--warmup", "0", "--connections", "2", "--accounts", "100"});
      long start = System.nanoTime();
      BenchResult result = new OpenLoopRun(options, new EventGenerator(1, 100), false, 10_000, 1_000).run();
      assertThat((System.nanoTime() - start) / 1e9).isLessThan(8.0);
      assertThat(result.successes).isZero();
      assertThat(result.requests).isEqualTo(10);
      assertThat(result.errors.total()).isEqualTo(10);
      assertThat(result.errors.byKind()).containsKey(ErrorCounts.UNFINISHED);
    }
  }

  @Test
  void exitsNonZeroWhenTheServerCannotBeReached() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int exit = BenchMain.run(new String[] {"--url", "http://127.0.0.1:" + port, "--rate", "10", "--duration", "1"},
        System.out, new PrintStream(stderr));
    assertThat(exit).isEqualTo(BenchMain.EXIT_CANNOT_CONNECT);
    assertThat(stderr.toString()).contains("cannot connect");
  }

  @Test
  void reportsTheCpuOfTheGeneratorAndOfANamedProcessAndTheSchedulersLateness(@TempDir Path dir) throws Exception {
    startServer(0, 0, 4);
    server.createContext("/hello", exchange -> {
      exchange.getRequestBody().readAllBytes();
      received.incrementAndGet();
      byte[] response = "{}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, response.length);
      exchange.getResponseBody().write(response);
      exchange.close();
    });
    Path out = dir.resolve("hello.json");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    // The server runs in this process here, so "server" names this process: its CPU includes the generator's.
    int exit = BenchMain.run(new String[] {"--url", url(), "--path", "/hello", "--rate", "200", "--duration", "1",
        "--warmup", "0.2", "--connections", "2", "--accounts", "500", "--cpu-pid", "server=" + ProcessHandle.current().pid(),
        "--out", out.toString()}, new PrintStream(stdout), System.err);
    assertThat(exit).isZero();
    assertThat(received.get()).isEqualTo(240);
    Map<String, Object> result = TinyJson.parseObject(Files.readString(out));
    @SuppressWarnings("unchecked")
    Map<String, Object> cpu = (Map<String, Object>) result.get("cpu_us_per_request");
    assertThat(cpu.keySet()).containsExactly("generator", "server");
    assertThat((Double) cpu.get("generator")).isPositive();
    // Read one after the other from the operating system's clock ticks (10 ms): equal within a tick or two.
    assertThat((Double) cpu.get("server")).isCloseTo((Double) cpu.get("generator"), within(100.0));
    assertThat((Double) result.get("scheduler_lag_measured_mean_us")).isNotNegative();
    assertThat((Long) result.get("measured_to_epoch_ms")).isGreaterThan((Long) result.get("measured_from_epoch_ms"));
    assertThat(stdout.toString()).contains("cpu        per ok request: generator ").contains("scheduler  late by ");
  }

  @Test
  void refusesABadPathOrCpuPid() throws Exception {
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(stderr);
    assertThat(BenchMain.run(new String[] {"--rate", "1", "--duration", "1", "--path", "hello"}, System.out, err)).isEqualTo(1);
    assertThat(BenchMain.run(new String[] {"--rate", "1", "--duration", "1", "--cpu-pid", "12"}, System.out, err)).isEqualTo(1);
    assertThat(BenchMain.run(new String[] {"--rate", "1", "--duration", "1", "--cpu-pid", "generator=12"}, System.out, err))
        .isEqualTo(1);
    assertThat(BenchMain.run(new String[] {"--rate", "1", "--duration", "1", "--cpu-pid", "pg=1", "--cpu-pid", "pg=2"},
        System.out, err)).isEqualTo(1);
    assertThat(stderr.toString()).contains("--path must be an absolute path").contains("--cpu-pid takes NAME=PID")
        .contains("the generator's own").contains("--cpu-pid pg is given twice");
  }

  @Test
  void usageErrorsExitWithOne() throws Exception {
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    assertThat(BenchMain.run(new String[] {"--duration", "1"}, System.out, new PrintStream(stderr))).isEqualTo(BenchMain.EXIT_USAGE);
    assertThat(stderr.toString()).contains("--rate is required");
    assertThat(BenchMain.run(new String[] {"--rate", "x", "--duration", "1"}, System.out, new PrintStream(stderr))).isEqualTo(1);
  }
}
