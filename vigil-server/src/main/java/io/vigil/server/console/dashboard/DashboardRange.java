package io.vigil.server.console.dashboard;

import java.util.Arrays;
import java.util.Optional;

/** The dashboard's time ranges: the last 15 minutes, hour, day or week, each with its chart's step. */
enum DashboardRange {
  M15("15m", "Last 15 minutes", 15, 1),
  H1("1h", "Last hour", 60, 1),
  H24("24h", "Last 24 hours", 24 * 60, 10),
  D7("7d", "Last 7 days", 7 * 24 * 60, 60);

  static final DashboardRange DEFAULT = H1;

  static {
    for (DashboardRange r : values()) {
      if (r.minutes % r.stepMinutes != 0) throw new AssertionError(r + ": whole steps");
      if (r.minutes / r.stepMinutes > 200) throw new AssertionError(r + ": at most 200 points a chart");
      if (r.minutes + 1 > MinuteCounts.MINUTES) throw new AssertionError(r + ": within the counters' minutes");
    }
  }

  final String code;
  final String label;
  final int minutes;
  /** The chart's bucket, minutes: each point is the mean decisions per minute over it. */
  final int stepMinutes;

  DashboardRange(String code, String label, int minutes, int stepMinutes) {
    this.code = code;
    this.label = label;
    this.minutes = minutes;
    this.stepMinutes = stepMinutes;
  }

  public String getCode() {
    return code;
  }

  public String getLabel() {
    return label;
  }

  static Optional<DashboardRange> of(String code) {
    return Arrays.stream(values()).filter(r -> r.code.equals(code)).findFirst();
  }
}
