package io.vigil.server.decision;

import io.vigil.server.api.ApiException;

/**
 * Admission by deadline. A decision request carries the time its first byte arrived and a budget;
 * when the sequencer takes it after waiting longer than that (in the connector, for its body, for a
 * permit, in the inbox), it is refused with {@code 503 overloaded}, not decided: nothing is stored,
 * and the sequencer spends its time on requests whose callers are still waiting for an answer.
 */
public final class Admission {
  /** The budget of a submission that has none (tests and internal callers). */
  public static final long NO_BUDGET = Long.MAX_VALUE;

  private Admission() {}

  /** True when {@code s} has waited longer than its budget at {@code nowNanos} ({@link System#nanoTime()}). */
  public static boolean late(DecisionPipeline.Submission s, long nowNanos) {
    return nowNanos - s.receivedNanos() > s.admissionBudgetNanos();
  }

  /** The refusal of a late request; the caller adds the fallback advice. */
  public static ApiException refusal() {
    return ApiException.unavailable("overloaded",
        "The request waited longer than its admission budget; nothing was stored. Retry shortly");
  }
}
