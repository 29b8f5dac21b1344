package io.vigil.server.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The start-up checks of the lanes and the admission budget against the settings they depend on. */
class HttpLimitsCheckTest {
  @Test
  void theLanesMustLeaveRequestThreadsFree() {
    assertDoesNotThrow(() -> HttpConfiguration.checkLanesFit(new VigilProperties.Http(64, 16, 10), 200));
    assertDoesNotThrow(() -> HttpConfiguration.checkLanesFit(new VigilProperties.Http(10, 6, 10), 16 + HttpConfiguration.THREADS_FREE_MIN));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> HttpConfiguration.checkLanesFit(new VigilProperties.Http(180, 16, 10), 200));
    assertTrue(e.getMessage().contains("server.tomcat.threads.max"), e.getMessage());
  }

  @Test
  void thePermitWaitMustBeBelowTheAdmissionBudget() {
    VigilProperties.Decisions decisions = new VigilProperties.Decisions(4096, 512, 2000, "REVIEW", 250);
    assertDoesNotThrow(() -> HttpConfiguration.checkPermitWait(new VigilProperties.Http(32, 16, 50), decisions));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> HttpConfiguration.checkPermitWait(new VigilProperties.Http(32, 16, 250), decisions));
    assertTrue(e.getMessage().contains("vigil.http.permit-wait-millis"), e.getMessage());
  }

  @Test
  void theAdmissionBudgetMustBeBelowTheReplyTimeout() {
    assertDoesNotThrow(() -> HttpConfiguration.checkAdmissionBudget(new VigilProperties.Decisions(4096, 512, 2000, "REVIEW", 250)));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> HttpConfiguration.checkAdmissionBudget(new VigilProperties.Decisions(4096, 512, 2000, "REVIEW", 2000)));
    assertTrue(e.getMessage().contains("vigil.decisions.admission-budget-millis"), e.getMessage());
  }
}
