package io.vigil.server.operator;

import jakarta.servlet.http.HttpServletRequest;

/** Refuses a request whose operator has not proved a fresh second factor recently (403 step_up_required). */
public interface StepUpCheck {
  void require(HttpServletRequest request);

  /** How long a step-up counts. */
  long windowMillis();
}
