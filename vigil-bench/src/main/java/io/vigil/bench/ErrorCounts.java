package io.vigil.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Errors by kind, safe to update from every worker. HTTP statuses are recorded as their code
 * ("503"); other kinds are words: client_overload, connect_error, timeout, io_error, unfinished.
 */
final class ErrorCounts {
  static final String CLIENT_OVERLOAD = "client_overload";
  static final String CONNECT_ERROR = "connect_error";
  static final String TIMEOUT = "timeout";
  static final String IO_ERROR = "io_error";
  static final String UNFINISHED = "unfinished";

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  void record(String kind) {
    counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  void recordStatus(int status) {
    record(Integer.toString(status));
  }

  long total() {
    long n = 0;
    for (LongAdder a : counts.values()) n += a.sum();
    return n;
  }

  /** HTTP status codes only, e.g. {"400": 2, "503": 17}. */
  Map<String, Long> byStatus() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> {
      if (isStatus(k)) out.put(k, v.sum());
    });
    return out;
  }

  /** Everything that is not an HTTP status: overload, connection and timeout errors. */
  Map<String, Long> byKind() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> {
      if (!isStatus(k)) out.put(k, v.sum());
    });
    return out;
  }

  private static boolean isStatus(String kind) {
    return !kind.isEmpty() && Character.isDigit(kind.charAt(0));
  }
}
