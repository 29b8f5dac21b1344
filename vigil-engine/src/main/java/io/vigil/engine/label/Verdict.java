package io.vigil.engine.label;

import java.util.Locale;

/** What a label says about the event: fraud, legitimate, or nothing (an authorization outcome). */
public enum Verdict {
  FRAUD,
  LEGITIMATE,
  NONE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The verdict for a wire name; null when unknown. */
  public static Verdict fromWire(String wire) {
    for (Verdict v : values()) if (v.wireName().equals(wire)) return v;
    return null;
  }
}
