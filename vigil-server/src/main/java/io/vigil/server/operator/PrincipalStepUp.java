package io.vigil.server.operator;

import io.vigil.server.security.Principals;
import io.vigil.server.security.StepUp;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * The step-up rule of the security core ({@link StepUp}) for the request's principal: a fresh TOTP
 * code proved in this session ({@code POST /v1/auth/step-up}) within its window, else
 * {@code 403 step_up_required}.
 */
public final class PrincipalStepUp implements StepUpCheck {
  private final Clock clock;

  public PrincipalStepUp(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void require(HttpServletRequest request) {
    StepUp.require(Principals.current(request), clock);
  }

  @Override
  public long windowMillis() {
    return TimeUnit.MINUTES.toMillis(StepUp.WINDOW_MINUTES);
  }
}
