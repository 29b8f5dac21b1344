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
 *     case verdict), {@code review_verdict} (the verdict of the case holding a decision that waited for
 *     review) or {@code reversal}; null while waiting
 * @param settledAtMillis when it was settled; 0 while waiting
 * @param waitingFor what is missing: {@code challenge}, {@code approvals}, {@code review}; empty once settled
 * @param verdictCaseId the case whose verdict settled it ({@code review_verdict}); null otherwise
 */
public record FinalOutcome(String finalAction, String settledBy, long settledAtMillis, List<String> waitingFor,
    String verdictCaseId) {
  public static final String BY_DECISION = "decision";
  public static final String BY_CHALLENGE = "challenge";
  public static final String BY_HOLD = "hold";
  public static final String BY_HOLD_EXPIRY = "hold_expiry";
  /** A person rejected the held payment. */
  public static final String BY_HOLD_REJECTION = "hold_rejection";
  /** A reviewer released the held payment with a case verdict (legitimate). */
  public static final String BY_HOLD_RELEASE = "hold_release";
  /**
   * A reviewer's verdict on the case holding a decision that waited for review (a REVIEW, or a hold
   * whose deadline passed with expiry action REVIEW): confirmed fraud DENY, legitimate ALLOW.
   */
  public static final String BY_REVIEW_VERDICT = "review_verdict";
  public static final String BY_REVERSAL = "reversal";
  public static final String REVERSED = "REVERSED";
  public static final String WAITING_FOR_REVIEW = "review";

  public FinalOutcome {
    waitingFor = List.copyOf(waitingFor);
    assert (verdictCaseId != null) == BY_REVIEW_VERDICT.equals(settledBy) : settledBy + " " + verdictCaseId;
  }

  static FinalOutcome settled(String finalAction, String settledBy, long atMillis) {
    return new FinalOutcome(finalAction, settledBy, atMillis, "REVIEW".equals(finalAction) ? List.of(WAITING_FOR_REVIEW) : List.of(),
        null);
  }

  /** Settled by the verdict of {@code caseId}: ALLOW or DENY. */
  static FinalOutcome byVerdict(String finalAction, String caseId, long atMillis) {
    assert finalAction.equals("ALLOW") || finalAction.equals("DENY") : finalAction;
    return new FinalOutcome(finalAction, BY_REVIEW_VERDICT, atMillis, List.of(), caseId);
  }

  static FinalOutcome waiting(String action, List<String> waitingFor) {
    return new FinalOutcome(action, null, 0, waitingFor, null);
  }
}
