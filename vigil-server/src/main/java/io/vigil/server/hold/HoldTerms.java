package io.vigil.server.hold;

import io.vigil.engine.event.EventType;
import io.vigil.engine.policy.Action;
import io.vigil.server.challenge.ChallengeRepository;
import io.vigil.server.challenge.ChallengeService;
import io.vigil.server.journal.JournalRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A HOLD's terms as its decision journaled them, and the state they give with the approvals, the
 * rejection and the step-up result so far: approved once enough distinct approvers (with the
 * required roles) approved and a step-up the hold carries passed; rejected once a person rejected it
 * or that step-up failed; expired after the deadline; pending before, saying what it waits for.
 */
public record HoldTerms(String decisionId, String accountId, String merchantId, EventType eventType,
    boolean challenged, String policy, int approvalsRequired, Map<String, Integer> requiredRoles, long deadlineMillis,
    Action expiryAction) {

  /** The terms of a held decision; null when the decision is not a HOLD. */
  @SuppressWarnings("unchecked")
  public static HoldTerms of(JournalRow row, Map<String, Object> response) {
    if (!(response.get("hold") instanceof Map<?, ?> raw)) return null;
    Map<String, Object> hold = (Map<String, Object>) raw;
    Map<String, Integer> roles = new TreeMap<>();
    ((Map<String, Object>) hold.get("required_roles")).forEach((k, v) -> roles.put(k, ((Number) v).intValue()));
    return new HoldTerms(row.record().decisionId(), row.accountId(), row.merchantId(),
        EventType.fromWire(row.eventType()), response.containsKey("challenge"), (String) hold.get("policy"),
        ((Number) hold.get("approvals_required")).intValue(), roles, Instant.parse((String) hold.get("deadline")).toEpochMilli(),
        Action.valueOf((String) hold.get("expiry_action")));
  }

  /**
   * @param reported the step-up's reported result; null when none is reported (or the hold has none).
   *     A result reported at or after the deadline counts as none: it cannot reopen an expired hold.
   * @param rejection a person's rejection, null when none; taken only while the hold was pending, so
   *     it settles the hold whatever comes after it
   */
  public HoldState state(List<ApprovalRepository.Approval> given, ChallengeRepository.Result reported,
      ApprovalRepository.Rejection rejection, long nowMillis) {
    return state(given, reported, rejection, null, nowMillis);
  }

  /**
   * As {@link #state(List, ChallengeRepository.Result, ApprovalRepository.Rejection, long)}, with a
   * reviewer's release: taken only while the hold was pending (and never beside a rejection), it
   * approves the hold at its time, whatever approvals or step-up it still waited for.
   */
  public HoldState state(List<ApprovalRepository.Approval> given, ChallengeRepository.Result reported,
      ApprovalRepository.Rejection rejection, ApprovalRepository.Release release, long nowMillis) {
    ChallengeRepository.Result challenge = reported != null && reported.recordedAtMillis() < deadlineMillis ? reported : null;
    if (rejection != null) {
      assert rejection.rejectedAtMillis() < deadlineMillis : "a rejection is taken only while the hold is pending";
      assert release == null : "a hold is rejected or released, never both";
      return state(given, HoldState.REJECTED, Action.DENY, List.of(), rejection.rejectedAtMillis(), rejection);
    }
    if (release != null) {
      assert release.releasedAtMillis() < deadlineMillis : "a release is taken only while the hold is pending";
      return new HoldState(decisionId, accountId, policy, approvalsRequired, requiredRoles, deadlineMillis, expiryAction,
          given, HoldState.APPROVED, Action.ALLOW, List.of(), release.releasedAtMillis(), null, release);
    }
    boolean rolesMet = true;
    for (Map.Entry<String, Integer> r : requiredRoles.entrySet()) {
      long have = given.stream().filter(a -> a.role().equals(r.getKey())).count();
      rolesMet &= have >= r.getValue();
    }
    boolean approvalsIn = given.size() >= approvalsRequired && rolesMet;
    boolean failed = challenged && challenge != null && ChallengeService.FAILED.equals(challenge.result());
    boolean challengePending = challenged && challenge == null;
    if (failed) return state(given, HoldState.REJECTED, Action.DENY, List.of(), challenge.recordedAtMillis(), null);
    if (approvalsIn && !challengePending) {
      long settled = given.stream().mapToLong(ApprovalRepository.Approval::approvedAtMillis).max().orElse(0);
      if (challenge != null) settled = Math.max(settled, challenge.recordedAtMillis());
      return state(given, HoldState.APPROVED, Action.ALLOW, List.of(), settled, null);
    }
    if (nowMillis >= deadlineMillis) return state(given, HoldState.EXPIRED, expiryAction, List.of(), deadlineMillis, null);
    List<String> waitingFor = new ArrayList<>(2);
    if (!approvalsIn) waitingFor.add(HoldState.WAITING_FOR_APPROVALS);
    if (challengePending) waitingFor.add(HoldState.WAITING_FOR_CHALLENGE);
    return state(given, HoldState.PENDING, null, List.copyOf(waitingFor), 0, null);
  }

  private HoldState state(List<ApprovalRepository.Approval> given, String status, Action outcome, List<String> waitingFor,
      long settledAtMillis, ApprovalRepository.Rejection rejection) {
    return new HoldState(decisionId, accountId, policy, approvalsRequired, requiredRoles, deadlineMillis, expiryAction,
        given, status, outcome, waitingFor, settledAtMillis, rejection, null);
  }
}
