package io.vigil.server.change;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Params;
import io.vigil.server.policy.release.ReleaseMode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * When an approved change goes live: {@code "now"} (the default), {@code {"at": "<instant>"}}, or
 * {@code {"release": {"mode": "shadow" | "gray", "percent": 0-100}}} (a policy change released
 * gradually).
 */
public record GoLive(Long atMillis, ReleaseMode releaseMode, int percent) {
  public static final GoLive NOW = new GoLive(null, null, 0);

  public boolean now() {
    return atMillis == null && releaseMode == null;
  }

  /** Reads the body's {@code go_live}; a time must be in the future of {@code nowMillis}. */
  @SuppressWarnings("unchecked")
  public static GoLive parse(Object raw, long nowMillis) {
    if (raw == null || "now".equals(raw)) return NOW;
    if (!(raw instanceof Map<?, ?> m)) throw ApiException.invalid("invalid_go_live", "go_live is \"now\", {\"at\": …} or {\"release\": …}",
        "go_live");
    Map<String, Object> o = Params.checkFields((Map<String, Object>) m, Set.of("at", "release"), "go_live");
    if (o.size() != 1) throw ApiException.invalid("invalid_go_live", "go_live names exactly one of at and release", "go_live");
    if (o.get("at") instanceof String at) return at(at, nowMillis);
    if (o.get("release") instanceof Map<?, ?> r) return release(Params.checkFields((Map<String, Object>) r, Set.of("mode", "percent"),
        "go_live.release"));
    throw ApiException.invalid("wrong_type", "go_live.at is an instant, go_live.release an object", "go_live");
  }

  private static GoLive at(String at, long nowMillis) {
    long millis;
    try {
      millis = Instant.parse(at).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw ApiException.invalid("invalid_go_live", "go_live.at must be an ISO-8601 instant, e.g. 2026-01-31T22:00:00Z", "go_live.at");
    }
    if (millis <= nowMillis) throw ApiException.invalid("invalid_go_live", "go_live.at must be in the future", "go_live.at");
    return new GoLive(millis, null, 0);
  }

  private static GoLive release(Map<String, Object> r) {
    ReleaseMode mode;
    try {
      mode = ReleaseMode.valueOf(String.valueOf(r.get("mode")).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("invalid_go_live", "go_live.release.mode is shadow or gray", "go_live.release.mode");
    }
    int percent = 0;
    if (mode == ReleaseMode.GRAY) {
      if (!(r.get("percent") instanceof Integer p) || p < 0 || p > 100) {
        throw ApiException.invalid("invalid_go_live", "go_live.release.percent is a whole number 0-100", "go_live.release.percent");
      }
      percent = p;
    }
    return new GoLive(null, mode, percent);
  }
}
