package io.vigil.engine.release;

import java.util.Locale;

/** Which policy acted on a decision during a release. */
public enum Side {
  LIVE, CANDIDATE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Side fromWire(String s) {
    return "candidate".equals(s) ? CANDIDATE : LIVE;
  }
}
