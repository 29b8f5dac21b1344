package io.vigil.engine.list;

import java.util.Locale;

/** Block lists deny, allow lists allow (checked first), watch lists only inform rules. */
public enum ListKind {
  ALLOW,
  BLOCK,
  WATCH;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ListKind fromWire(String wire) {
    for (ListKind k : values()) if (k.wireName().equals(wire)) return k;
    return null;
  }
}
