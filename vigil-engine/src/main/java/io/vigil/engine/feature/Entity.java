package io.vigil.engine.feature;

import io.vigil.engine.event.Event;
import java.util.List;
import java.util.Locale;

/**
 * The things Vigil counts events by. Each entity also records "partners", the other entities seen
 * with it, so that distinct counts across entities (accounts per device, cards per account) come
 * from the same window.
 */
public enum Entity {
  ACCOUNT,
  DEVICE,
  IP,
  CARD,
  PHONE,
  EMAIL,
  MERCHANT;

  private List<Entity> partners;

  static {
    ACCOUNT.partners = List.of(DEVICE, CARD, IP);
    DEVICE.partners = List.of(ACCOUNT);
    IP.partners = List.of(ACCOUNT);
    CARD.partners = List.of(ACCOUNT);
    PHONE.partners = List.of(ACCOUNT);
    EMAIL.partners = List.of(ACCOUNT);
    MERCHANT.partners = List.of(ACCOUNT, CARD);
  }

  /** Entities whose distinct values are counted per key of this entity. */
  public List<Entity> partners() {
    return partners;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The plural used in feature names: distinct_accounts, distinct_ips. */
  public String plural() {
    return wireName() + "s";
  }

  /** This entity's value in the event, or null when the event does not carry it. */
  public String valueOf(Event event) {
    return switch (this) {
      case ACCOUNT -> event.accountId();
      case DEVICE -> event.deviceId();
      case IP -> event.ip();
      case CARD -> event.cardToken();
      case PHONE -> event.phone();
      case EMAIL -> event.email();
      case MERCHANT -> event.merchantId();
    };
  }

  public static Entity fromWire(String wire) {
    for (Entity e : values()) if (e.wireName().equals(wire)) return e;
    return null;
  }
}
