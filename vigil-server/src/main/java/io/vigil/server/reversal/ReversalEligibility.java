package io.vigil.server.reversal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Whether a completed payment may be reversed at the holder's request (P5): a pure function of the
 * original decision and what is known about the request, so that every branch is testable at its
 * exact edge.
 */
public final class ReversalEligibility {
  public static final Set<String> REVERSIBLE_TYPES = Set.of("payment", "transfer", "withdrawal");
  /** Identity steps strong enough for a reversal: not a code sent to a phone that may be stolen. */
  public static final Set<String> VERIFICATION_METHODS =
      Set.of("biometric", "id_document", "video_call", "branch_visit", "password_and_otp");

  private ReversalEligibility() {}

  /** One reason of an answer: a stable code and a sentence. */
  public record Reason(String code, String message) {}

  /** approve, deny or review, with every reason that led there. */
  public record Answer(String outcome, List<Reason> reasons) {}

  /**
   * @param eventType the original event's type
   * @param finalAction the original decision's outcome: its action, or ALLOW after a passed
   *     challenge or an approved hold
   * @param occurredAtMillis when the original payment happened
   * @param requestedAtMillis when the reversal is asked for
   * @param windowMillis how long after the payment a reversal may be asked for (inclusive)
   * @param verificationMethod the identity step the holder passed, or null
   * @param alreadyReversed an earlier request for this decision was approved, or sent to review
   * @param accountRequestsLastDay reversal requests of the account in the last 24 h, before this one
   * @param requestsPerDayToReview from this many, the request goes to a person
   * @param originalRiskLevel the original decision's risk level
   * @param accountRestricted the account has a restriction in force
   */
  public static Answer evaluate(String eventType, String finalAction, long occurredAtMillis, long requestedAtMillis,
      long windowMillis, String verificationMethod, boolean alreadyReversed, int accountRequestsLastDay,
      int requestsPerDayToReview, String originalRiskLevel, boolean accountRestricted) {
    List<Reason> deny = new ArrayList<>();
    if ("refund".equals(eventType)) deny.add(new Reason("refund_of_refund", "A refund cannot itself be reversed"));
    else if (!REVERSIBLE_TYPES.contains(eventType)) deny.add(new Reason("not_a_payment", "Only payments, transfers and withdrawals are reversible"));
    if (!"ALLOW".equals(finalAction)) deny.add(new Reason("not_completed", "The original was not completed (" + finalAction + ")"));
    if (requestedAtMillis - occurredAtMillis > windowMillis) {
      deny.add(new Reason("window_passed", "More than " + windowMillis / 60_000 + " min have passed since the payment"));
    }
    if (verificationMethod == null || !VERIFICATION_METHODS.contains(verificationMethod)) {
      deny.add(new Reason("identity_not_verified", "The holder's identity was not verified with a strong enough step"));
    }
    if (alreadyReversed) {
      deny.add(new Reason("already_reversed", "This payment has already been reversed, or a request for it is in review"));
    }
    if (!deny.isEmpty()) return new Answer("deny", List.copyOf(deny));
    List<Reason> review = new ArrayList<>();
    if (accountRequestsLastDay + 1 >= requestsPerDayToReview) {
      review.add(new Reason("frequent_reversals", (accountRequestsLastDay + 1) + " reversal requests from this account within 24 h"));
    }
    if ("high".equals(originalRiskLevel) || "critical".equals(originalRiskLevel)) {
      review.add(new Reason("risky_original", "The original payment was rated " + originalRiskLevel + " risk"));
    }
    if (accountRestricted) review.add(new Reason("account_restricted", "The account has a restriction in force"));
    if (!review.isEmpty()) return new Answer("review", List.copyOf(review));
    return new Answer("approve", List.of(new Reason("eligible", "Within the window, identity verified, not reversed before")));
  }
}
