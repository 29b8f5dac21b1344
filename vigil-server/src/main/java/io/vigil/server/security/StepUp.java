package io.vigil.server.security;

import io.vigil.server.api.ApiException;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * The fresh second factor some operator actions need (issuing or rotating an API key, ...): the
 * operator must have proved it within the last {@value #WINDOW_MINUTES} minutes of the server's
 * clock, else {@code 403 step_up_required}. API keys never step up, so they never pass.
 */
public final class StepUp {
  public static final int WINDOW_MINUTES = 5;
  static final long WINDOW_MILLIS = TimeUnit.MINUTES.toMillis(WINDOW_MINUTES);

  private StepUp() {}

  /** Whether the principal proved a second factor within the window ending now. */
  public static boolean isFresh(VigilPrincipal principal, long nowMillis) {
    long at = principal.stepUpAtMillis();
    return principal.isOperator() && at > 0 && at <= nowMillis + 1_000 && nowMillis - at <= WINDOW_MILLIS;
  }

  /** Throws {@code 403 step_up_required} unless the principal's step-up is fresh. */
  public static void require(VigilPrincipal principal, Clock clock) {
    if (!isFresh(principal, clock.millis())) {
      throw ApiException.forbidden("step_up_required", "This needs a second factor proved within the last " + WINDOW_MINUTES
          + " minutes: step up (POST /v1/auth/step-up) and try again", null);
    }
  }
}
