package io.vigil.server.hold;

import io.vigil.engine.policy.Action;
import java.util.List;
import java.util.Map;

/**
 * A held decision's terms, approvals and state at one moment.
 *
 * @param status {@code pending}, {@code approved}, {@code rejected} (a person rejected it, or its challenge
 *     failed) or {@code expired}
 * @param outcome ALLOW once approved, DENY once rejected, the expiry action once expired, null while pending
 * @param waitingFor while pending, what is still missing: {@code approvals}, {@code challenge} or both; else empty
 * @param settledAtMillis when the state stopped being pending: the approval or challenge result that
 *     completed it, the failed challenge, the release, or the deadline; 0 while pending
 * @param release a reviewer's release with a case verdict, which approved the hold; null when none
 */
public record HoldState(String decisionId, String accountId, String policy, int approvalsRequired,
    Map<String, Integer> requiredRoles, long deadlineMillis, Action expiryAction,
    List<ApprovalRepository.Approval> approvals, String status, Action outcome, List<String> waitingFor,
    long settledAtMillis, ApprovalRepository.Rejection rejection, ApprovalRepository.Release release) {

  public static final String PENDING = "pending";
  public static final String APPROVED = "approved";
  public static final String REJECTED = "rejected";
  public static final String EXPIRED = "expired";
  /** What a pending hold waits for. */
  public static final String WAITING_FOR_APPROVALS = "approvals";
  public static final String WAITING_FOR_CHALLENGE = "challenge";
}
