package io.vigil.server.transport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.ErrorReplies;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;

/**
 * The three rate limits and their refusal: {@code 429 rate_limit_error / rate_limited} with
 * {@code Retry-After} in seconds. Each refusal is counted in {@code vigil.http.rate_limited} by budget.
 */
public final class RateLimits {
  final RateLimit perKey;
  final RateLimit perAddress;
  final RateLimit signInPerAddress;
  private final Counter keyRefused;
  private final Counter addressRefused;
  private final Counter signInRefused;

  public RateLimits(RateLimitProperties p, Clock clock, MeterRegistry registry) {
    this.perKey = new RateLimit(p.perKey().budget(), p.bucketsMax(), clock);
    this.perAddress = new RateLimit(p.perAddress().budget(), p.bucketsMax(), clock);
    this.signInPerAddress = new RateLimit(p.signInPerAddress().budget(), p.bucketsMax(), clock);
    this.keyRefused = refusals(registry, "key");
    this.addressRefused = refusals(registry, "address");
    this.signInRefused = refusals(registry, "sign_in");
  }

  void refuseKey(HttpServletResponse response, long retryAfterSeconds) throws IOException {
    keyRefused.increment();
    refuse(response, "This API key sent more requests than its rate limit allows; nothing was done. Retry after "
        + retryAfterSeconds + " s", retryAfterSeconds);
  }

  void refuseAddress(HttpServletResponse response, long retryAfterSeconds) throws IOException {
    addressRefused.increment();
    refuse(response, "Too many unauthenticated or failed requests from this address; nothing was done. Retry after "
        + retryAfterSeconds + " s", retryAfterSeconds);
  }

  void refuseSignIn(HttpServletResponse response, long retryAfterSeconds) throws IOException {
    signInRefused.increment();
    refuse(response, "Too many sign-in attempts from this address; this one was not checked. Retry after "
        + retryAfterSeconds + " s", retryAfterSeconds);
  }

  private static void refuse(HttpServletResponse response, String message, long retryAfterSeconds) throws IOException {
    int seconds = (int) Math.min(Integer.MAX_VALUE, retryAfterSeconds);
    ErrorReplies.write(response, new ApiException(429, "rate_limit_error", "rate_limited", message, null, seconds));
  }

  private static Counter refusals(MeterRegistry registry, String budget) {
    return Counter.builder("vigil.http.rate_limited").tag("budget", budget)
        .description("Requests refused with 429 rate_limited, by the budget they exceeded").register(registry);
  }
}
