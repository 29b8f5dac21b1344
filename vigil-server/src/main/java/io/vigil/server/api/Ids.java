package io.vigil.server.api;

import io.vigil.engine.event.CardNumbers;
import java.util.UUID;

/**
 * Ids the server makes (a prefix and random hex digits) are never ones the card-number check
 * refuses. Random hex holds a run of 13 or more decimal digits that passes the Luhn check in about
 * 3 ids in 1,000; such an id could not be sent back (a feedback label, an approval, a lift). An id
 * that would be refused is drawn again.
 */
public final class Ids {
  private Ids() {}

  /** {@code prefix} and 32 random hex digits. */
  public static String random(String prefix) {
    String id;
    do {
      id = prefix + UUID.randomUUID().toString().replace("-", "");
    } while (mustRedraw(id));
    return id;
  }

  /** True when the card-number check would refuse {@code id}: draw its random part again. */
  public static boolean mustRedraw(String id) {
    return CardNumbers.in(id);
  }
}
