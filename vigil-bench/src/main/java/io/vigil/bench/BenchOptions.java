package io.vigil.bench;

import java.net.URI;
import java.net.URISyntaxException;

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
 */
record BenchOptions(String url, double rateHz, double durationSeconds, double warmupSeconds,
    int connections, int accounts, long seed, String outFile, boolean closedLoop) {

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
      """;

  static BenchOptions parse(String[] args) {
    String url = "http://localhost:8080";
    Double rate = null;
    Double duration = null;
    double warmup = 10;
    int connections = 64;
    int accounts = 100_000;
    long seed = 42;
    String out = null;
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
        default -> throw new UsageException("unknown option " + name);
      }
    }
    if (rate == null && !closed) throw new UsageException("--rate is required");
    if (closed) rate = 0.0;
    if (duration == null) throw new UsageException("--duration is required");
    if (connections > 10_000) throw new UsageException("--connections must be at most 10000");
    if (accounts > 10_000_000) throw new UsageException("--accounts must be at most 10000000");
    BenchOptions options = new BenchOptions(url, rate, duration, warmup, connections, accounts, seed, out, closed);
    options.uri();
    return options;
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

  /** The decision endpoint, under the URL's path if it has one. */
  String decisionsPath() {
    String base = uri().getRawPath();
    if (base == null || base.isEmpty() || base.equals("/")) return "/v1/decisions";
    return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/decisions";
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
