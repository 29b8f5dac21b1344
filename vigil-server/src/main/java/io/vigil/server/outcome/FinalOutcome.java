package io.vigil.server.outcome;

import java.util.List;

/**
 * Where a decision ended up after what followed it: the action the payment finally got, what
 * settled it and when, or what it still waits for.
 *
 * @param finalAction ALLOW, DENY or REVIEW once settled, REVERSED after an approved reversal; the
 *     decision's own CHALLENGE, HOLD or REVIEW while it waits
 * @param settledBy {@code decision} (ALLOW and DENY are final as decided), {@code challenge},
 *     {@code hold} (its approvals, and its step-up when it has one), {@code hold_expiry},
 *     {@code hold_rejection} (a person rejected it), {@code hold_release} (a reviewer released it with a
 *     case verdict) or {@code reversal}; null while waiting
 * @param settledAtMillis when it was settled; 0 while waiting
 * @param waitingFor what is missing: {@code challenge}, {@code approvals}, {@code review}; empty once settled
 */
public record FinalOutcome(String finalAction, String settledBy, long settledAtMillis, List<String> waitingFor) {
  public static final String BY_DECISION = "decision";
  public static final String BY_CHALLENGE = "challenge";
  public static final String BY_HOLD = "hold";
  public static final String BY_HOLD_EXPIRY = "hold_expiry";
  /** A person rejected the held payment. */
  public static final String BY_HOLD_REJECTION = "hold_rejection";
  /** A reviewer released the held payment with a case verdict (legitimate). */
  public static final String BY_HOLD_RELEASE = "hold_release";
  public static final String BY_REVERSAL = "reversal";
  public static final String REVERSED = "REVERSED";
  public static final String WAITING_FOR_REVIEW = "review";

  public FinalOutcome {
    waitingFor = List.copyOf(waitingFor);
  }

  static FinalOutcome settled(String finalAction, String settledBy, long atMillis) {
    return new FinalOutcome(finalAction, settledBy, atMillis, "REVIEW".equals(finalAction) ? List.of(WAITING_FOR_REVIEW) : List.of());
  }

  static FinalOutcome waiting(String action, List<String> waitingFor) {
    return new FinalOutcome(action, null, 0, waitingFor);
  }
}
