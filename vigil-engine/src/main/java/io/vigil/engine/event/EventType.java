package io.vigil.engine.event;

import java.util.Locale;

/** The kinds of risk event Vigil decides on (requirement D1). */
public enum EventType {
  REGISTRATION,
  LOGIN,
  PAYMENT,
  TRANSFER,
  WITHDRAWAL,
  REFUND,
  MERCHANT_ONBOARDING;

  /** The lower-case name used on the wire and in rules. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True for the types that move money and therefore must carry an amount. */
  public boolean movesMoney() {
    return this == PAYMENT || this == TRANSFER || this == WITHDRAWAL || this == REFUND;
  }

  /** Parses a wire name; returns null when unknown. */
  public static EventType fromWire(String wire) {
    for (EventType type : values()) {
      if (type.wireName().equals(wire)) return type;
    }
    return null;
  }
}
