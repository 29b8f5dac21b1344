package io.vigil.server.cases;

import java.util.Locale;
import java.util.Set;

/**
 * Where a case stands. A person moves a case between the working statuses; {@link #CLOSED} is reached
 * only with a verdict, {@link #ESCALATED} by escalation (a person's or a breached deadline's), and
 * {@link #REOPENED} only by an approved reopen or an appeal.
 */
public enum CaseStatus {
  OPEN, IN_PROGRESS, WAITING_FOR_CUSTOMER, ESCALATED, CLOSED, REOPENED;

  /** The statuses a reviewer may set directly with {@code POST /v1/cases/{id}/status}. */
  public static final Set<CaseStatus> SETTABLE = Set.of(OPEN, IN_PROGRESS, WAITING_FOR_CUSTOMER);

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isClosed() {
    return this == CLOSED;
  }

  /** The status with this wire name, or null. */
  public static CaseStatus ofWire(String wire) {
    for (CaseStatus s : values()) {
      if (s.wire().equals(wire)) return s;
    }
    return null;
  }
}
