package io.vigil.engine.list;

import java.util.Locale;

/**
 * Block lists deny, allow lists allow (checked first), watch lists only inform rules, and exempt
 * lists record approved exceptions that rules consult (e.g. an account approved to transact from
 * a geo-fenced country: {@code !lists.exempt.account}). Confirmed-fraud lists hold what
 * investigation proved fraudulent: an account on it sets {@code links.linked_fraud} for every
 * account linked to it within two hops.
 */
public enum ListKind {
  ALLOW,
  BLOCK,
  WATCH,
  EXEMPT,
  CONFIRMED_FRAUD;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The wire names for an error message: "allow, block, watch, exempt or confirmed_fraud". */
  public static String choices() {
    StringBuilder sb = new StringBuilder();
    ListKind[] all = values();
    for (int i = 0; i < all.length; i++) {
      sb.append(i == 0 ? "" : i == all.length - 1 ? " or " : ", ").append(all[i].wireName());
    }
    return sb.toString();
  }

  public static ListKind fromWire(String wire) {
    for (ListKind k : values()) if (k.wireName().equals(wire)) return k;
    return null;
  }
}
