package io.vigil.server.support;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Vigil server in a child JVM of its own ({@link HookedServer} on {@link TestClock}), for tests
 * that need a small heap or a process that may die; its output goes to a log file in the data directory.
 */
public final class ChildServer implements AutoCloseable {
  private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Process process;
  private final Path dataDir;
  private final Path log;
  public final ApiClient api;
  public final String base;

  private ChildServer(Process process, Path dataDir, Path log, int port) {
    this.process = process;
    this.dataDir = dataDir;
    this.log = log;
    this.base = "http://localhost:" + port;
    this.api = new ApiClient(base);
    TestOperators.registerChild(base, dataDir);
  }

  /** Starts a server on a free port with these JVM options and {@code --name=value} arguments. */
  public static ChildServer start(Path dataDir, List<String> jvmOptions, List<String> arguments) throws IOException {
    int port = freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(jvmOptions);
    // Native libraries unpack into java.io.tmpdir under fixed names: a private one, as the launcher gives.
    Path tmp = Files.createDirectories(dataDir.resolve(".run").resolve("tmp"));
    command.add("-Djava.io.tmpdir=" + tmp);
    command.addAll(TestClock.childOptions());
    command.addAll(List.of(HookedServer.class.getName(), "--server.port=" + port,
        "--vigil.data-dir=" + dataDir));
    command.addAll(arguments);
    Path log = dataDir.resolve("server-" + System.nanoTime() + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(new File(log.toString()));
    // The class path goes in the environment, not on the command line: ONNX Runtime (1.29) crashes
    // the process (SIGSEGV) when it loads a model in a JVM whose command line is several KB long.
    builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
    // The test key, in the environment: never on a command line.
    builder.environment().putAll(TestKeys.environment());
    Process process = builder.start();
    return new ChildServer(process, dataDir, log, port);
  }

  /** Waits until the server answers its health endpoint with 200 (at most 90 s). */
  public ChildServer awaitHealthy() throws InterruptedException {
    return awaitHealthy(90);
  }

  /** Waits at most {@code timeoutSeconds} until the server answers its health endpoint with 200. */
  public ChildServer awaitHealthy(long timeoutSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new AssertionError("server exited with " + process.exitValue() + "; log:\n" + logText());
      // Unsigned (the route is public): identical signed probes take one second each past the
      // clock (the replay guard's rule), so a start longer than the tolerance would never be seen.
      try {
        HttpResponse<Void> health = PROBE.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health"))
            .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
        if (health.statusCode() == 200) return this;
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(200);
    }
    throw new AssertionError("server did not become healthy; log:\n" + logText());
  }

  /** Sends one line to the server's test hook ({@link HookedServer}). */
  public void command(String line) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** What the process's state is, for assertion messages: running, or its exit status, and its log. */
  public String describe() {
    return (process.isAlive() ? "running" : "exited with " + process.exitValue()) + "; log:\n" + logText();
  }

  public Process process() {
    return process;
  }

  public String logText() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** Stops the server (SIGTERM, a graceful shutdown) and keeps its data directory. */
  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Stops the server and deletes its data directory (uploads make it large). */
  @Override
  public void close() throws InterruptedException, IOException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    deleteDirectory(dataDir);
  }

  /** Deletes a (stopped) server's data directory and everything in it. */
  public static void deleteDirectory(Path dataDir) throws IOException {
    try (Stream<Path> paths = Files.walk(dataDir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
