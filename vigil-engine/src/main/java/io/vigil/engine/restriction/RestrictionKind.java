package io.vigil.engine.restriction;

import io.vigil.engine.event.EventType;
import java.util.Locale;
import java.util.Set;

/**
 * What a restriction stops (D3). A freeze stops every event of the account; the narrower kinds
 * stop one way of moving money out and leave the rest (logins, payments) alone; a lower limit
 * stops nothing but caps the money out.
 */
public enum RestrictionKind {
  /** Every event of the account is denied: a full freeze, or a temporary one with an expiry. */
  FREEZE(Set.of(EventType.values())),
  /** Withdrawals are denied. */
  NO_WITHDRAWALS(Set.of(EventType.WITHDRAWAL)),
  /** Transfers to other accounts are denied. */
  NO_TRANSFERS_OUT(Set.of(EventType.TRANSFER)),
  /**
   * Privilege limitation: money out (payments, transfers, withdrawals) is capped at a daily amount
   * the restriction names, checked like a limit of the policy; nothing is denied outright.
   */
  LOWER_LIMIT(Set.of());

  private final Set<EventType> stops;

  RestrictionKind(Set<EventType> stops) {
    this.stops = stops;
  }

  public boolean stops(EventType type) {
    return stops.contains(type);
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RestrictionKind fromWire(String wire) {
    for (RestrictionKind k : values()) if (k.wireName().equals(wire)) return k;
    return null;
  }
}
