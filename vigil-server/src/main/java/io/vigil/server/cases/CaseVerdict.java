package io.vigil.server.cases;

import java.util.Locale;

/** What a reviewer found, recorded when a case is closed. */
public enum CaseVerdict {
  CONFIRMED_FRAUD, LEGITIMATE, INCONCLUSIVE;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The verdict with this wire name, or null. */
  public static CaseVerdict ofWire(String wire) {
    for (CaseVerdict v : values()) {
      if (v.wire().equals(wire)) return v;
    }
    return null;
  }
}
