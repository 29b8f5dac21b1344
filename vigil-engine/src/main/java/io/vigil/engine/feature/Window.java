package io.vigil.engine.feature;

import io.vigil.engine.Limits;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A named sliding window such as {@code 1h}: events with time in (t - millis, t]. */
public record Window(String name, long millis) {
  private static final Pattern SPEC = Pattern.compile("([1-9][0-9]{0,4})([smhd])");

  public Window {
    if (millis <= 0 || millis > Limits.WINDOW_MILLIS_MAX) {
      throw new IllegalArgumentException("window " + name + " must be longer than 0 and at most 90 days");
    }
  }

  /** Parses "30s", "1m", "1h", "24h", "7d", "30d". */
  public static Window parse(String spec) {
    Matcher m = SPEC.matcher(spec);
    if (!m.matches()) throw new IllegalArgumentException("window '" + spec + "' must look like 1m, 1h, 24h or 7d");
    long n = Long.parseLong(m.group(1));
    long unitMillis = switch (m.group(2)) {
      case "s" -> 1_000L;
      case "m" -> 60_000L;
      case "h" -> 3_600_000L;
      default -> 86_400_000L;
    };
    return new Window(spec, n * unitMillis);
  }
}
