package io.vigil.server.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.engine.journal.JournalRecord;
import io.vigil.server.journal.JournalRow;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The draw of allowed decisions for a person: its share per type, the same answer for the same id,
 * and an application drawn only when a rule flagged it.
 */
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

  @Test
  void anApplicationIsDrawnOnlyWhenARuleFlaggedItAndOnlyAllowedDecisionsAreDrawn() {
    CaseSampling all = new CaseSampling(1, 1);
    assertFalse(all.drawn(row("registration", "ALLOW"), Set.of()), "an application no rule flagged is normal");
    assertTrue(all.drawn(row("registration", "ALLOW"), Set.of("new_device")));
    assertTrue(all.drawn(row("merchant_onboarding", "ALLOW"), Set.of("risky_category")));
    assertTrue(all.drawn(row("payment", "ALLOW"), Set.of()), "an allowed payment needs no rule to be drawn");
    assertFalse(all.drawn(row("registration", "DENY"), Set.of("new_device")), "a refusal is not sampled: it has a case or none");
    assertFalse(all.drawn(row("payment", "REVIEW"), Set.of()));
    assertFalse(all.drawn(row("login", "ALLOW"), Set.of("new_device")), "logins are not sampled");
    assertFalse(new CaseSampling(0, 1).drawn(row("registration", "ALLOW"), Set.of("new_device")), "a share of 0 draws nothing");
  }

  private static JournalRow row(String eventType, String action) {
    JournalRecord record = new JournalRecord(1, "dec_sampled", "evt_sampled", 0, 1, "h", "{}", "{}", "", "");
    return new JournalRow(record, eventType, "acct_sampled", null, 0, action, 0, "low", null, null);
  }
}
