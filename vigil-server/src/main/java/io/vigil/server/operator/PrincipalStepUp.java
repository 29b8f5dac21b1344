package io.vigil.server.operator;

import io.vigil.server.api.ApiException;
import io.vigil.server.security.Principals;
import io.vigil.server.security.VigilPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;

/**
 * The step-up rule: the signed-in operator proved a fresh TOTP code ({@code POST /v1/auth/step-up})
 * less than {@code windowMillis} ago in this session; otherwise {@code 403 step_up_required}.
 */
public final class PrincipalStepUp implements StepUpCheck {
  private final long windowMillis;
  private final Clock clock;

  public PrincipalStepUp(long windowMillis, Clock clock) {
    if (windowMillis <= 0) throw new IllegalArgumentException("windowMillis must be positive");
    this.windowMillis = windowMillis;
    this.clock = clock;
  }

  @Override
  public void require(HttpServletRequest request) {
    VigilPrincipal p = Principals.current(request);
    long at = p.stepUpAtMillis();
    long now = clock.millis();
    if (!p.isOperator() || at == 0 || now - at >= windowMillis || at > now) {
      throw ApiException.forbidden("step_up_required",
          "This needs a fresh second factor: POST /v1/auth/step-up with a new code, then ask again", null);
    }
  }

  @Override
  public long windowMillis() {
    return windowMillis;
  }
}
