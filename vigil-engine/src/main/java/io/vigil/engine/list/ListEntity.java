package io.vigil.engine.list;

import io.vigil.engine.event.Event;
import java.util.Locale;

/** What a list entry matches in an event. */
public enum ListEntity {
  ACCOUNT,
  DEVICE,
  IP,
  CARD,
  BIN,
  PHONE,
  EMAIL_DOMAIN,
  MERCHANT,
  COUNTRY;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ListEntity fromWire(String wire) {
    for (ListEntity e : values()) if (e.wireName().equals(wire)) return e;
    return null;
  }

  /**
   * The event's value for this entity, normalized like entry values. Country comes from the
   * {@code country} attribute; the engine matches an event's IP country first (see
   * {@code Activation.listMatch}).
   */
  public String valueOf(Event event) {
    return switch (this) {
      case ACCOUNT -> event.accountId();
      case DEVICE -> event.deviceId();
      case IP -> event.ip();
      case CARD -> event.cardToken();
      case BIN -> event.cardBin();
      case PHONE -> event.phone();
      case EMAIL_DOMAIN -> event.emailDomain();
      case MERCHANT -> event.merchantId();
      case COUNTRY -> event.attributes().get("country") instanceof String s ? s.toUpperCase(Locale.ROOT) : null;
    };
  }
}
