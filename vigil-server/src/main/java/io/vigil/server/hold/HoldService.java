package io.vigil.server.hold;

import io.vigil.engine.policy.Action;
import io.vigil.engine.policy.HoldPolicy;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Approvals of HOLD decisions (P2, first step). The hold's terms come from the decision's journaled
 * response, so they are as durable and tamper-evident as the decision; approvals are stored rows.
 * The state is computed when asked: approved once enough distinct approvers (with the required
 * roles) approved before the deadline, expired after it, pending before.
 */
public final class HoldService {
  private final JournalRepository decisions;
  private final ApprovalRepository approvals;

  public HoldService(JournalRepository decisions, ApprovalRepository approvals) {
    this.decisions = decisions;
    this.approvals = approvals;
  }

  /** A held decision's terms, approvals and state at nowMillis. */
  public record HoldState(String decisionId, String accountId, String policy, int approvalsRequired,
      Map<String, Integer> requiredRoles, long deadlineMillis, Action expiryAction,
      List<ApprovalRepository.Approval> approvals, String status, Action outcome) {}

  public HoldState state(String decisionId) {
    Terms t = terms(decisionId);
    return t.state(approvals.of(decisionId), System.currentTimeMillis());
  }

  /** Records one approval; refuses self-approval, a second approval by one approver, and late or needless ones. */
  public synchronized HoldState approve(String decisionId, String approverId, String role, String actor) {
    if (!HoldPolicy.ROLES.contains(role)) {
      throw ApiException.invalid("invalid_role", "role must be approver or supervisor", "role");
    }
    Terms t = terms(decisionId);
    if (approverId.equals(t.accountId())) {
      throw ApiException.conflict("invalid_request_error", "self_approval",
          "The account that moves the money cannot approve its own hold", "approver_id");
    }
    long now = System.currentTimeMillis();
    HoldState before = t.state(approvals.of(decisionId), now);
    if (!before.status().equals("pending")) {
      throw ApiException.conflict("invalid_request_error", "hold_" + before.status(), "The hold is " + before.status()
          + "; it takes no more approvals", "decision_id");
    }
    try {
      approvals.insert(new ApprovalRepository.Approval(decisionId, approverId, role, now, actor));
    } catch (ApprovalRepository.DuplicateApprover e) {
      throw ApiException.conflict("invalid_request_error", "duplicate_approver", "This approver has already approved this hold",
          "approver_id");
    }
    return t.state(approvals.of(decisionId), now);
  }

  /** The hold's terms as the decision recorded them. */
  private record Terms(String decisionId, String accountId, String policy, int approvalsRequired,
      Map<String, Integer> requiredRoles, long deadlineMillis, Action expiryAction) {

    HoldState state(List<ApprovalRepository.Approval> given, long nowMillis) {
      boolean rolesMet = true;
      for (Map.Entry<String, Integer> r : requiredRoles.entrySet()) {
        long have = given.stream().filter(a -> a.role().equals(r.getKey())).count();
        rolesMet &= have >= r.getValue();
      }
      boolean approved = given.size() >= approvalsRequired && rolesMet;
      String status = approved ? "approved" : nowMillis >= deadlineMillis ? "expired" : "pending";
      Action outcome = switch (status) {
        case "approved" -> Action.ALLOW;
        case "expired" -> expiryAction;
        default -> null;
      };
      return new HoldState(decisionId, accountId, policy, approvalsRequired, requiredRoles, deadlineMillis, expiryAction,
          given, status, outcome);
    }
  }

  @SuppressWarnings("unchecked")
  private Terms terms(String decisionId) {
    JournalRow row = decisions.findByDecisionId(decisionId)
        .orElseThrow(() -> ApiException.notFound("decision_not_found", "No decision with this id", "decision_id"));
    Map<String, Object> response = Json.readMap(row.record().responseJson());
    if (!(response.get("hold") instanceof Map<?, ?> raw)) {
      throw ApiException.conflict("invalid_request_error", "not_held", "This decision is not a HOLD", "decision_id");
    }
    Map<String, Object> hold = (Map<String, Object>) raw;
    Map<String, Integer> roles = new TreeMap<>();
    ((Map<String, Object>) hold.get("required_roles")).forEach((k, v) -> roles.put(k, ((Number) v).intValue()));
    return new Terms(decisionId, row.accountId(), (String) hold.get("policy"), ((Number) hold.get("approvals_required")).intValue(),
        roles, Instant.parse((String) hold.get("deadline")).toEpochMilli(), Action.valueOf((String) hold.get("expiry_action")));
  }
}
