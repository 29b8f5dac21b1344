package io.vigil.engine.label;

import java.util.Locale;

/**
 * Where an outcome comes from (P3). Each kind says what its {@link Label#verdict()} and
 * {@link Label#outcome()} may be; {@link Label} checks them.
 */
public enum LabelKind {
  /** A confirmed fraud report (issuer, customer or investigation): verdict FRAUD. */
  FRAUD,
  /** Confirmed legitimate (e.g. the customer recognised the payment): verdict LEGITIMATE. */
  LEGITIMATE,
  /** A chargeback with its scheme reason code; the verdict says whether the reason is fraud. */
  CHARGEBACK,
  /** The authorization result (outcome approved/declined); carries no fraud verdict. */
  AUTHORIZATION,
  /** A reviewer's verdict on a REVIEW case (P1): FRAUD or LEGITIMATE. */
  REVIEWER_VERDICT,
  /** The result of a customer appeal (outcome upheld/overturned) with the verdict that now holds. */
  APPEAL;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind for a wire name such as {@code chargeback}; null when unknown. */
  public static LabelKind fromWire(String wire) {
    for (LabelKind k : values()) if (k.wireName().equals(wire)) return k;
    return null;
  }
}
