package io.vigil.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The outcome of one run, as a human summary and as JSON. Latencies are kept in microseconds. */
final class BenchResult {
  final BenchOptions options;
  final String runId;
  final double measuredSeconds;
  final SchedulerLag lag;
  final long requests;
  final long successes;
  final ErrorCounts errors;
  final long warmupRequests;
  final long warmupErrors;
  final Histogram latencyMicros;
  final CpuMeter.Use cpu;

  BenchResult(BenchOptions options, String runId, double measuredSeconds, SchedulerLag lag,
      long requests, long successes, ErrorCounts errors, long warmupRequests, long warmupErrors,
      Histogram latencyMicros, CpuMeter.Use cpu) {
    this.options = options;
    this.runId = runId;
    this.measuredSeconds = measuredSeconds;
    this.lag = lag;
    this.requests = requests;
    this.successes = successes;
    this.errors = errors;
    this.warmupRequests = warmupRequests;
    this.warmupErrors = warmupErrors;
    this.latencyMicros = latencyMicros;
    this.cpu = cpu;
  }

  /** Successful responses per second over the measured phase (stretched until the last response). */
  double achievedRateHz() {
    return successes / measuredSeconds;
  }

  double percentileMillis(double percentile) {
    return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(percentile) / 1_000.0;
  }

  double maxMillis() {
    return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getMaxValue() / 1_000.0;
  }

  String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "Vigil bench %s  run %s%n", options.url(), runId));
    sb.append(String.format(Locale.ROOT, "  load       %s for %.0f s (after %.0f s warm-up), %d connections, %d accounts, seed %d%n",
        options.closedLoop() ? "closed loop" : String.format(Locale.ROOT, "%.1f/s", options.rateHz()), options.durationSeconds(),
        options.warmupSeconds(), options.connections(), options.accounts(), options.seed()));
    sb.append(String.format(Locale.ROOT, "  requests   %d scheduled, %d ok, %d errors%n", requests, successes, errors.total()));
    sb.append(String.format(Locale.ROOT, "  rate       target %.1f/s, achieved %.1f/s (ok responses over %.1f s)%n",
        options.rateHz(), achievedRateHz(), measuredSeconds));
    sb.append(String.format(Locale.ROOT, "  latency    p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms%n",
        percentileMillis(50), percentileMillis(90), percentileMillis(99), percentileMillis(99.9), maxMillis()));
    sb.append(options.closedLoop() ? "             (successful requests, from the actual send: closed loop, not coordinated-omission free)\n"
        : "             (successful requests, from the intended send time: coordinated-omission free)\n");
    Map<String, Long> all = new LinkedHashMap<>(errors.byStatus());
    all.putAll(errors.byKind());
    if (!all.isEmpty()) {
      StringBuilder kinds = new StringBuilder();
      all.forEach((k, v) -> kinds.append(kinds.length() == 0 ? "" : ", ").append(isStatus(k) ? "HTTP " : "").append(k).append(": ").append(v));
      sb.append("  errors     ").append(kinds).append('\n');
    }
    if (warmupErrors > 0) sb.append(String.format(Locale.ROOT, "  warm-up    %d requests, %d errors (not counted above)%n", warmupRequests, warmupErrors));
    if (!options.closedLoop()) {
      sb.append(String.format(Locale.ROOT, "  scheduler  late by %.1f µs on average, %.2f ms at most; %d sends over 1 ms late"
          + " (measured phase; the lag is in the latency)%n", lag.measuredMeanMicros(), lag.measuredMaxMillis(),
          lag.measuredLateOverMillis()));
    }
    if (!cpu.microsPerRequest().isEmpty()) {
      StringBuilder each = new StringBuilder();
      cpu.microsPerRequest().forEach((name, micros) -> each.append(each.length() == 0 ? "" : ", ")
          .append(name).append(' ').append(String.format(Locale.ROOT, "%.1f", micros)).append(" µs"));
      sb.append("  cpu        per ok request: ").append(each).append('\n');
    }
    if (!cpu.loadAverageStart().isEmpty()) {
      sb.append("  machine    load average ").append(cpu.loadAverageStart()).append(" at the start, ").append(cpu.loadAverageEnd())
          .append(" at the end of the measured phase\n");
    }
    return sb.toString();
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("url", options.url());
    m.put("run_id", runId);
    m.put("target_rate", options.rateHz());
    m.put("achieved_rate", round(achievedRateHz()));
    m.put("duration_s", options.durationSeconds());
    m.put("measured_s", round(measuredSeconds));
    m.put("warmup_s", options.warmupSeconds());
    m.put("p50_ms", round(percentileMillis(50)));
    m.put("p90_ms", round(percentileMillis(90)));
    m.put("p99_ms", round(percentileMillis(99)));
    m.put("p999_ms", round(percentileMillis(99.9)));
    m.put("max_ms", round(maxMillis()));
    m.put("mean_ms", round(latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getMean() / 1_000.0));
    m.put("requests", requests);
    m.put("successes", successes);
    m.put("errors", errors.total());
    m.put("errors_by_status", new LinkedHashMap<String, Object>(errors.byStatus()));
    m.put("errors_by_kind", new LinkedHashMap<String, Object>(errors.byKind()));
    m.put("warmup_requests", warmupRequests);
    m.put("warmup_errors", warmupErrors);
    m.put("scheduler_lag_max_ms", round(lag.maxMillis()));
    m.put("scheduler_lag_measured_max_ms", round(lag.measuredMaxMillis()));
    m.put("scheduler_lag_measured_mean_us", round(lag.measuredMeanMicros()));
    m.put("scheduler_late_over_1ms", lag.measuredLateOverMillis());
    m.put("cpu_us_per_request", new LinkedHashMap<String, Object>(cpu.microsPerRequest()));
    m.put("load_average_start", cpu.loadAverageStart());
    m.put("load_average_end", cpu.loadAverageEnd());
    m.put("measured_from_epoch_ms", cpu.startEpochMillis());
    m.put("measured_to_epoch_ms", cpu.endEpochMillis());
    m.put("connections", (long) options.connections());
    m.put("accounts", (long) options.accounts());
    m.put("seed", options.seed());
    m.put("latency_measured_from", options.closedLoop() ? "actual_send_time" : "intended_send_time");
    m.put("closed_loop", options.closedLoop());
    return m;
  }

  String toJson() {
    return Json.write(toMap()) + "\n";
  }

  private static boolean isStatus(String kind) {
    return Character.isDigit(kind.charAt(0));
  }

  private static double round(double value) {
    return Math.round(value * 1_000.0) / 1_000.0;
  }
}
