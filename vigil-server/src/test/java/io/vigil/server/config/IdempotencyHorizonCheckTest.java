package io.vigil.server.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The idempotency horizon covers the lateness plus the accepted clock skew, or the server does not start. */
class IdempotencyHorizonCheckTest {
  private static final long DAY = 86_400_000L;

  @Test
  void theHorizonMustCoverTheLatenessAndTheClockSkew() {
    assertDoesNotThrow(() -> VigilProperties.checkIdempotencyHorizon(7 * DAY, DAY));
    assertDoesNotThrow(() -> VigilProperties.checkIdempotencyHorizon(DAY + 300_000, DAY));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> VigilProperties.checkIdempotencyHorizon(DAY, DAY));
    assertTrue(e.getMessage().contains("vigil.decisions.idempotency-horizon-millis"), e.getMessage());
    assertTrue(e.getMessage().contains("vigil.features.lateness-millis"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> VigilProperties.checkIdempotencyHorizon(7 * DAY, 30 * DAY));
  }
}
