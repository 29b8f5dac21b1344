package io.vigil.server.hold;

import io.vigil.engine.event.EventType;
import io.vigil.engine.policy.Action;
import io.vigil.engine.policy.HoldPolicy;
import io.vigil.server.account.RestrictionService;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import io.vigil.server.challenge.ChallengeRepository;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import java.time.Clock;
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
  private final ChallengeRepository challenges;
  private final RestrictionService restrictions;
  private final Clock clock;

  public HoldService(JournalRepository decisions, ApprovalRepository approvals,
      ChallengeRepository challenges, RestrictionService restrictions, Clock clock) {
    this.clock = clock;
    this.decisions = decisions;
    this.approvals = approvals;
    this.challenges = challenges;
    this.restrictions = restrictions;
  }

  /** A held decision's terms, approvals and state at nowMillis. */
  public record HoldState(String decisionId, String accountId, String policy, int approvalsRequired,
      Map<String, Integer> requiredRoles, long deadlineMillis, Action expiryAction,
      List<ApprovalRepository.Approval> approvals, String status, Action outcome) {}

  public HoldState state(String decisionId) {
    Terms t = terms(decisionId);
    return t.state(approvals.of(decisionId), challengeResult(t), clock.millis());
  }

  /** The result of the hold's step-up, "none" without one, "pending" before it is reported. */
  private String challengeResult(Terms t) {
    if (!t.challenged()) return "none";
    return challenges.find(t.decisionId()).map(ChallengeRepository.Result::result).orElse("pending");
  }

  /** Records one approval; refuses self-approval, a second approval by one approver, and late or needless ones. */
  public synchronized HoldState approve(String decisionId, String approverId, String role, String actor) {
    if (!HoldPolicy.ROLES.contains(role)) {
      throw ApiException.invalid("invalid_role", "role must be approver or supervisor", "role");
    }
    Terms t = terms(decisionId);
    if (t.parties().contains(approverId)) {
      throw ApiException.conflict("invalid_request_error", "self_approval",
          "A party to the payment (its account, counterparty or merchant) cannot approve its hold", "approver_id");
    }
    if (t.accountId() != null && restrictions.stopping(t.accountId(), t.eventType()) != null) {
      throw ApiException.conflict("invalid_request_error", "account_restricted",
          "The account has a restriction in force that stops this payment; it cannot be approved", "decision_id");
    }
    long now = clock.millis();
    HoldState before = t.state(approvals.of(decisionId), challengeResult(t), now);
    if (!before.status().equals("pending")) throw closed(before.status());
    try {
      approvals.insert(new ApprovalRepository.Approval(decisionId, approverId, role, now, actor));
    } catch (ApprovalRepository.DuplicateApprover e) {
      throw ApiException.conflict("invalid_request_error", "duplicate_approver", "This approver has already approved this hold",
          "approver_id");
    }
    return t.state(approvals.of(decisionId), challengeResult(t), now);
  }

  /** The refusal of an approval for a hold that is no longer pending. */
  private static ApiException closed(String status) {
    String message = "The hold is " + status + "; it takes no more approvals";
    return switch (status) {
      case "approved" -> ApiException.conflict("invalid_request_error", "hold_approved", message, "decision_id");
      case "expired" -> ApiException.conflict("invalid_request_error", "hold_expired", message, "decision_id");
      default -> ApiException.conflict("invalid_request_error", "hold_rejected", message, "decision_id");
    };
  }

  /** The hold's terms as the decision recorded them. */
  private record Terms(String decisionId, String accountId, java.util.Set<String> parties, EventType eventType,
      boolean challenged, String policy, int approvalsRequired, Map<String, Integer> requiredRoles, long deadlineMillis,
      Action expiryAction) {

    /** @param challenge "none", "pending", "passed" or "failed": a failed step-up rejects the hold */
    HoldState state(List<ApprovalRepository.Approval> given, String challenge, long nowMillis) {
      boolean rolesMet = true;
      for (Map.Entry<String, Integer> r : requiredRoles.entrySet()) {
        long have = given.stream().filter(a -> a.role().equals(r.getKey())).count();
        rolesMet &= have >= r.getValue();
      }
      boolean approved = given.size() >= approvalsRequired && rolesMet
          && (challenge.equals("none") || challenge.equals("passed"));
      String status = challenge.equals("failed") ? "rejected"
          : approved ? "approved" : nowMillis >= deadlineMillis ? "expired" : "pending";
      Action outcome = switch (status) {
        case "approved" -> Action.ALLOW;
        case "rejected" -> Action.DENY;
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
    Map<String, Object> event = Json.readMap(row.record().eventJson());
    java.util.Set<String> parties = new java.util.HashSet<>();
    for (String key : List.of("account_id", "counterparty_id", "merchant_id")) {
      if (event.get(key) instanceof String party) parties.add(party);
    }
    return new Terms(decisionId, row.accountId(), parties, EventType.fromWire(row.eventType()), response.containsKey("challenge"),
        (String) hold.get("policy"), ((Number) hold.get("approvals_required")).intValue(), roles,
        Instant.parse((String) hold.get("deadline")).toEpochMilli(), Action.valueOf((String) hold.get("expiry_action")));
  }
}
