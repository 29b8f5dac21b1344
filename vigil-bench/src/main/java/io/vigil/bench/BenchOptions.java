package io.vigil.bench;

import io.vigil.client.signing.VigilSigner;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line options of {@link BenchMain}.
 *
 * @param url base URL of the Vigil server, e.g. http://localhost:8080
 * @param rateHz target arrival rate in decisions per second
 * @param durationSeconds length of the measured phase
 * @param warmupSeconds length of the unrecorded warm-up phase before it
 * @param connections worker threads, each with one keep-alive connection
 * @param accounts size of the synthetic account pool
 * @param seed seed of the event generator
 * @param outFile where to write the JSON result, or null
 * @param closedLoop each connection sends its next request as soon as the previous answer arrives
 *     (no rate; latency from the actual send): for reproducing "N clients hammering", not for latency targets
 * @param keyFile the API key that signs every request: a file of {@code key_id=} and {@code secret=}
 *     lines, as Vigil writes its demo key on first start; null sends unsigned requests
 * @param path the request path when it is not the decision endpoint (a baseline's, e.g. /hello), or null
 * @param cpuPids processes whose CPU time (with their descendants') is measured over the measured phase, by name
 */
record BenchOptions(String url, double rateHz, double durationSeconds, double warmupSeconds,
    int connections, int accounts, long seed, String outFile, boolean closedLoop, String keyFile,
    String path, Map<String, Long> cpuPids) {
  /** At most this many --cpu-pid options. */
  static final int CPU_PIDS_MAX = 8;

  static final String USAGE = """
      usage: java -jar vigil-bench.jar --rate N --duration SECONDS [options]
        --url URL            server base URL (default http://localhost:8080)
        --rate N             target decisions per second (required unless --closed)
        --closed             closed loop: each connection sends again as soon as it has its answer
        --duration SECONDS   measured phase (required)
        --warmup SECONDS     unrecorded warm-up before it (default 10)
        --connections N      keep-alive connections / worker threads (default 64)
        --accounts N         synthetic accounts (default 100000)
        --seed N             generator seed (default 42)
        --out FILE.json      also write the result as JSON
        --key-file FILE      sign every request with this API key (key_id= and secret= lines, as in
                             <data-dir>/demo-api-key; default ./data/demo-api-key when it exists)
        --path PATH          post to this path instead of /v1/decisions (a baseline's, e.g. /hello)
        --cpu-pid NAME=PID   also report the CPU time per request of this process and its children
                             over the measured phase (repeatable; the generator's own is always reported)
      """;

  /** Where {@code ./vigil start} writes its demo key, relative to the working directory. */
  static final String DEFAULT_KEY_FILE = "data/demo-api-key";

  static BenchOptions parse(String[] args) {
    String url = "http://localhost:8080";
    Double rate = null;
    Double duration = null;
    double warmup = 10;
    int connections = 64;
    int accounts = 100_000;
    long seed = 42;
    String out = null;
    String keyFile = null;
    String path = null;
    Map<String, Long> cpuPids = new LinkedHashMap<>();
    boolean closed = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (name.equals("--help") || name.equals("-h")) throw new UsageException(null);
      if (name.equals("--closed") && value == null) {
        closed = true;
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.length) throw new UsageException(name + " needs a value");
        value = args[++i];
      }
      switch (name) {
        case "--url" -> url = value;
        case "--rate" -> rate = positive(name, number(name, value));
        case "--duration" -> duration = positive(name, number(name, value));
        case "--warmup" -> warmup = nonNegative(name, number(name, value));
        case "--connections" -> connections = (int) positive(name, integer(name, value));
        case "--accounts" -> accounts = (int) positive(name, integer(name, value));
        case "--seed" -> seed = integer(name, value);
        case "--out" -> out = value;
        case "--key-file" -> keyFile = value;
        case "--path" -> path = requestPath(value);
        case "--cpu-pid" -> cpuPid(cpuPids, value);
        default -> throw new UsageException("unknown option " + name);
      }
    }
    if (rate == null && !closed) throw new UsageException("--rate is required");
    if (closed) rate = 0.0;
    if (duration == null) throw new UsageException("--duration is required");
    if (connections > 10_000) throw new UsageException("--connections must be at most 10000");
    if (accounts > 10_000_000) throw new UsageException("--accounts must be at most 10000000");
    if (keyFile == null && Files.isRegularFile(Path.of(DEFAULT_KEY_FILE))) keyFile = DEFAULT_KEY_FILE;
    BenchOptions options = new BenchOptions(url, rate, duration, warmup, connections, accounts, seed, out, closed, keyFile,
        path, Collections.unmodifiableMap(cpuPids));
    options.uri();
    options.signer();
    return options;
  }

  /**
   * The signer of every request, from {@link #keyFile()}, or null when there is none. A key file
   * without both lines is a usage error.
   */
  VigilSigner signer() {
    if (keyFile == null) return null;
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of(keyFile), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException("--key-file " + keyFile + " cannot be read: " + e.getMessage());
    }
    String keyId = value(lines, "key_id=");
    String secret = value(lines, "secret=");
    if (keyId == null || secret == null) throw new UsageException("--key-file " + keyFile + " needs key_id= and secret= lines");
    return new VigilSigner(keyId, secret, Clock.systemUTC());
  }

  private static String value(List<String> lines, String prefix) {
    for (String line : lines) {
      if (line.startsWith(prefix) && line.length() > prefix.length()) return line.substring(prefix.length()).trim();
    }
    return null;
  }

  /** The parsed base URL; only plain http is supported. */
  URI uri() {
    try {
      URI uri = new URI(url);
      if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
        throw new UsageException("--url must be an http:// URL with a host (https is not supported)");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new UsageException("--url is not a valid URL");
    }
  }

  String host() {
    String host = uri().getHost();
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  int port() {
    int port = uri().getPort();
    return port < 0 ? 80 : port;
  }

  /** The decision endpoint, under the URL's path if it has one, or the --path given. */
  String decisionsPath() {
    if (path != null) return path;
    String base = uri().getRawPath();
    if (base == null || base.isEmpty() || base.equals("/")) return "/v1/decisions";
    return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/decisions";
  }

  private static String requestPath(String value) {
    if (!value.startsWith("/") || value.length() > 200 || !value.matches("[A-Za-z0-9/._~-]+")) {
      throw new UsageException("--path must be an absolute path of letters, digits and / . _ ~ -");
    }
    return value;
  }

  private static void cpuPid(Map<String, Long> cpuPids, String value) {
    int eq = value.indexOf('=');
    if (eq <= 0 || !value.substring(0, eq).matches("[a-z][a-z0-9_-]{0,31}")) {
      throw new UsageException("--cpu-pid takes NAME=PID, NAME in lower-case letters, digits, _ and -");
    }
    String name = value.substring(0, eq);
    long pid = positive("--cpu-pid", integer("--cpu-pid", value.substring(eq + 1)));
    if (name.equals(CpuMeter.GENERATOR)) throw new UsageException("--cpu-pid: the name " + CpuMeter.GENERATOR + " is the generator's own");
    if (cpuPids.put(name, pid) != null) throw new UsageException("--cpu-pid " + name + " is given twice");
    if (cpuPids.size() > CPU_PIDS_MAX) throw new UsageException("--cpu-pid is given at most " + CPU_PIDS_MAX + " times");
  }

  private static double number(String name, String value) {
    try {
      double d = Double.parseDouble(value);
      if (!Double.isFinite(d)) throw new NumberFormatException();
      return d;
    } catch (NumberFormatException e) {
      throw new UsageException(name + " must be a number");
    }
  }

  private static long integer(String name, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new UsageException(name + " must be an integer");
    }
  }

  private static double positive(String name, double value) {
    if (value <= 0) throw new UsageException(name + " must be positive");
    return value;
  }

  private static long positive(String name, long value) {
    if (value <= 0) throw new UsageException(name + " must be positive");
    return value;
  }

  private static double nonNegative(String name, double value) {
    if (value < 0) throw new UsageException(name + " must not be negative");
    return value;
  }

  /** A command-line mistake; the message (null for --help) is printed with the usage. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message, null, false, false);
    }
  }
}
