package io.vigil.engine.restriction;

import io.vigil.engine.event.EventType;
import java.util.Locale;
import java.util.Set;

/**
 * What a restriction stops (D3). A freeze stops every event of the account, and when the id is a
 * merchant's, the payments to it and its onboarding; the narrower kinds stop one way of moving
 * money out and leave the rest (logins, payments) alone; a lower limit stops nothing but caps the
 * money out.
 */
public enum RestrictionKind {
  /**
   * Every event of the account is denied: a full freeze, or a temporary one with an expiry. Used
   * as a {@code merchant_id}, the id's payments in and its onboarding are denied too; its refunds
   * go through, since they give money back to payers.
   */
  FREEZE(Set.of(EventType.values()), Set.of(EventType.PAYMENT, EventType.MERCHANT_ONBOARDING)),
  /** Withdrawals are denied. */
  NO_WITHDRAWALS(Set.of(EventType.WITHDRAWAL), Set.of()),
  /** Transfers to other accounts are denied. */
  NO_TRANSFERS_OUT(Set.of(EventType.TRANSFER), Set.of()),
  /**
   * Privilege limitation: money out (payments, transfers, withdrawals) is capped at a daily amount
   * the restriction names, checked like a limit of the policy; nothing is denied outright.
   */
  LOWER_LIMIT(Set.of(), Set.of());

  private final Set<EventType> stops;
  private final Set<EventType> stopsAsMerchant;

  RestrictionKind(Set<EventType> stops, Set<EventType> stopsAsMerchant) {
    this.stops = stops;
    this.stopsAsMerchant = stopsAsMerchant;
  }

  /** Whether a restriction of the event's account stops this event type. */
  public boolean stops(EventType type) {
    return stops.contains(type);
  }

  /** Whether a restriction of the id an event names as its {@code merchant_id} stops this event type. */
  public boolean stopsAsMerchant(EventType type) {
    return stopsAsMerchant.contains(type);
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RestrictionKind fromWire(String wire) {
    for (RestrictionKind k : values()) if (k.wireName().equals(wire)) return k;
    return null;
  }
}
