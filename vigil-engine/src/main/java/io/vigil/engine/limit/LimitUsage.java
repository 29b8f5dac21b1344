package io.vigil.engine.limit;

/**
 * How one limit stood for one event: the cap, what was already spent in the period, what remains
 * after this event (when it counts), and when the period resets (0 for a single-transaction limit).
 */
public record LimitUsage(LimitDefinition limit, long capMinor, long usedMinor, long remainingMinor, long resetsAtMillis,
    boolean breached) {

  /** The same usage once the event's own amount is known to count (it was not denied). */
  public LimitUsage counting(long amountMinor) {
    return new LimitUsage(limit, capMinor, usedMinor, Math.max(0, capMinor - usedMinor - amountMinor), resetsAtMillis, breached);
  }
}
