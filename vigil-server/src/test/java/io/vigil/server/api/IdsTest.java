package io.vigil.server.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.engine.event.CardNumbers;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Server-made ids can always be sent back: none is refused as a card number. */
class IdsTest {
  private static final int DRAWS = 50_000;

  @Test
  void plainRandomHexIdsSometimesLookLikeCardNumbers() {
    int refusable = 0;
    for (int i = 0; i < DRAWS; i++) {
      if (CardNumbers.in("le_" + UUID.randomUUID().toString().replace("-", ""))) refusable++;
    }
    // About 3 in 1,000: the redraw below is needed (the chance of none in 50,000 draws is below 1e-60).
    assertTrue(refusable > 0, "no random hex id looked like a card number in " + DRAWS + " draws");
  }

  @Test
  void idsAreNeverRefusedAsCardNumbers() {
    for (int i = 0; i < DRAWS; i++) {
      String id = Ids.random("le_");
      assertTrue(id.startsWith("le_") && id.length() == 3 + 32, id);
      assertFalse(CardNumbers.in(id), id);
    }
  }
}
