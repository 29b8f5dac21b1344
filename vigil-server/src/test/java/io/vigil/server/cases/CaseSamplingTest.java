package io.vigil.server.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The draw of allowed decisions for a person: its share per type, and the same answer for the same id. */
class CaseSamplingTest {
  private final CaseSampling sampling = new CaseSampling(0.10, 0.01);

  @Test
  void eachTypeIsDrawnAtItsShareAndTheSameIdIsDrawnAlike() {
    int applications = 0;
    int payments = 0;
    int logins = 0;
    int n = 50_000;
    for (int i = 0; i < n; i++) {
      String id = "dec_" + Integer.toHexString(i);
      if (sampling.mayDraw("registration", id)) applications++;
      if (sampling.mayDraw("payment", id)) payments++;
      if (sampling.mayDraw("login", id)) logins++;
      assertEquals(sampling.mayDraw("transfer", id), sampling.mayDraw("transfer", id));
    }
    assertEquals(0.10, applications / (double) n, 0.01, "about a tenth of applications");
    assertEquals(0.01, payments / (double) n, 0.003, "about one payment in a hundred");
    assertEquals(0, logins, "logins are never drawn");
  }

  @Test
  void sharesAtTheEndsDrawNothingOrEverything() {
    CaseSampling none = new CaseSampling(0, 0);
    CaseSampling all = new CaseSampling(1, 1);
    for (int i = 0; i < 1_000; i++) {
      assertFalse(none.mayDraw("payment", "dec_" + i));
      assertTrue(all.mayDraw("merchant_onboarding", "dec_" + i));
    }
  }
}
