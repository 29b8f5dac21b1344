package io.vigil.server.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The start-up checks of the lanes, the read deadlines and the admission budget against the settings they depend on. */
class HttpLimitsCheckTest {
  @Test
  void theLanesMustLeaveRequestThreadsFree() {
    assertDoesNotThrow(() -> HttpConfiguration.checkLanesFit(lanes(64, 16, 10), 200));
    assertDoesNotThrow(() -> HttpConfiguration.checkLanesFit(lanes(10, 6, 10), 16 + HttpConfiguration.THREADS_FREE_MIN));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> HttpConfiguration.checkLanesFit(lanes(180, 16, 10), 200));
    assertTrue(e.getMessage().contains("server.tomcat.threads.max"), e.getMessage());
  }

  @Test
  void thePermitWaitMustBeBelowTheAdmissionBudget() {
    VigilProperties.Decisions decisions = new VigilProperties.Decisions(4096, 512, 2000, "REVIEW", 250, 604_800_000L);
    assertDoesNotThrow(() -> HttpConfiguration.checkPermitWait(lanes(32, 16, 50), decisions));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> HttpConfiguration.checkPermitWait(lanes(32, 16, 250), decisions));
    assertTrue(e.getMessage().contains("vigil.http.permit-wait-millis"), e.getMessage());
  }

  @Test
  void theReadTimeoutMustFitInsideTheDeadlines() {
    assertDoesNotThrow(() -> HttpConfiguration.checkDeadlines(deadlines(5_000, 10_000, 10_000, 300_000)));
    assertDoesNotThrow(() -> HttpConfiguration.checkDeadlines(deadlines(1_000, 1_000, 1_000, 1_000)));
    IllegalStateException late = assertThrows(IllegalStateException.class,
        () -> HttpConfiguration.checkDeadlines(deadlines(5_000, 10_000, 2_000, 300_000)));
    assertTrue(late.getMessage().contains("vigil.http.read-timeout-millis"), late.getMessage());
    IllegalStateException uploads = assertThrows(IllegalStateException.class,
        () -> HttpConfiguration.checkDeadlines(deadlines(1_000, 10_000, 20_000, 10_000)));
    assertTrue(uploads.getMessage().contains("vigil.http.upload-deadline-millis"), uploads.getMessage());
  }

  private static VigilProperties.Http lanes(int decisions, int admin, long permitWaitMillis) {
    return new VigilProperties.Http(decisions, admin, permitWaitMillis, 5_000, 10_000, 10_000, 300_000, 128);
  }

  private static VigilProperties.Http deadlines(long readTimeoutMillis, long headerMillis, long bodyMillis, long uploadMillis) {
    return new VigilProperties.Http(32, 16, 50, readTimeoutMillis, headerMillis, bodyMillis, uploadMillis, 128);
  }

  @Test
  void theAdmissionBudgetMustBeBelowTheReplyTimeout() {
    assertDoesNotThrow(() -> HttpConfiguration.checkAdmissionBudget(new VigilProperties.Decisions(4096, 512, 2000, "REVIEW", 250, 604_800_000L)));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> HttpConfiguration.checkAdmissionBudget(new VigilProperties.Decisions(4096, 512, 2000, "REVIEW", 2000, 604_800_000L)));
    assertTrue(e.getMessage().contains("vigil.decisions.admission-budget-millis"), e.getMessage());
  }
}
