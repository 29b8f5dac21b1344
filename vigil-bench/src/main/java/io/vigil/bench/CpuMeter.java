package io.vigil.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time over the measured phase: the generator's own and that of each named process with its
 * descendants (PostgreSQL's backends are children of its postmaster), read from the operating system
 * at the phase's start and end, plus the load average at both ends. A process that cannot be read
 * (gone, or another user's) reports nothing rather than a wrong figure.
 */
final class CpuMeter {
  static final String GENERATOR = "generator";
  private static final Path LOAD_AVERAGE = Path.of("/proc/loadavg");
  private final Map<String, Long> pids = new LinkedHashMap<>();
  private Map<String, Long> startNanos;
  private String loadAverageStart;
  private long startEpochMillis;

  CpuMeter(Map<String, Long> namedPids) {
    pids.put(GENERATOR, ProcessHandle.current().pid());
    pids.putAll(namedPids);
  }

  void start() {
    startNanos = sample();
    loadAverageStart = loadAverage();
    startEpochMillis = System.currentTimeMillis();
  }

  /** CPU µs per request of each process since {@link #start()}, over {@code requests} requests. */
  Use stop(long requests) {
    if (startNanos == null) throw new IllegalStateException("stop before start");
    Map<String, Long> end = sample();
    Map<String, Double> perRequest = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : end.entrySet()) {
      Long begin = startNanos.get(e.getKey());
      if (begin == null || requests <= 0) continue;
      perRequest.put(e.getKey(), Math.round((e.getValue() - begin) / 1_000.0 / requests * 10) / 10.0);
    }
    return new Use(perRequest, loadAverageStart, loadAverage(), startEpochMillis, System.currentTimeMillis());
  }

  private Map<String, Long> sample() {
    Map<String, Long> nanos = new LinkedHashMap<>();
    pids.forEach((name, pid) -> ProcessHandle.of(pid).ifPresent(p -> {
      long total = cpuNanos(p);
      if (total >= 0) nanos.put(name, total + p.descendants().mapToLong(CpuMeter::cpuNanos).filter(n -> n > 0).sum());
    }));
    return nanos;
  }

  private static long cpuNanos(ProcessHandle process) {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  /** The 1-, 5- and 15-minute load averages, or "" where the system does not publish them. */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(LOAD_AVERAGE, StandardCharsets.US_ASCII).trim().split(" ");
      return fields.length >= 3 ? fields[0] + " " + fields[1] + " " + fields[2] : "";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /**
   * @param microsPerRequest CPU µs per successful measured request, by process ({@link #GENERATOR} included)
   * @param loadAverageStart the load averages when the measured phase began
   * @param loadAverageEnd the load averages when it ended
   * @param startEpochMillis when the measured phase began, by the wall clock (to match the servers' GC logs)
   * @param endEpochMillis when it ended
   */
  record Use(Map<String, Double> microsPerRequest, String loadAverageStart, String loadAverageEnd,
      long startEpochMillis, long endEpochMillis) {}
}
