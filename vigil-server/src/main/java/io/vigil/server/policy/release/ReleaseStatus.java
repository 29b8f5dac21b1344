package io.vigil.server.policy.release;

import java.util.Locale;

/** Where a release stands: running, stopped (by a person or the guard) or promoted (its candidate is live). */
public enum ReleaseStatus {
  RUNNING, STOPPED, PROMOTED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
