package io.vigil.server.hold;

import io.vigil.engine.policy.HoldPolicy;
import io.vigil.server.api.ApiException;
import io.vigil.server.audit.AuditContext;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Params;
import io.vigil.server.operator.StepUpCheck;
import io.vigil.server.security.Permission;
import io.vigil.server.security.Principals;
import io.vigil.server.security.VigilPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** A HOLD decision's state, and its approvals. */
@RestController
public class HoldController {
  private final HoldService holds;
  private final StepUpCheck stepUp;

  public HoldController(HoldService holds, StepUpCheck stepUp) {
    this.holds = holds;
    this.stepUp = stepUp;
  }

  @GetMapping("/v1/decisions/{decisionId}/hold")
  public Map<String, Object> hold(@PathVariable String decisionId) {
    return json(holds.state(decisionId));
  }

  /**
   * The signed-in operator approves, as {@code supervisor} when they hold {@code holds.approve_supervisor}
   * (or as {@code approver} if they ask so), else as {@code approver}; with a fresh second factor.
   */
  @PostMapping("/v1/decisions/{decisionId}/approvals")
  public Map<String, Object> approve(@PathVariable String decisionId, HttpServletRequest request) {
    VigilPrincipal operator = Principals.current(request);
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("role"));
    String role = approvalRole(operator, Params.string(body, "role", false, 32));
    stepUp.require(request);
    AuditContext.before(request, stateBefore(decisionId));
    Map<String, Object> after = json(holds.approve(decisionId, operator.id(), role, operator.id()));
    AuditContext.after(request, after);
    return after;
  }

  /**
   * The signed-in operator rejects a pending hold: {@code {"reason": "…"}} (optional); the payment
   * is refused at once. Needs {@code holds.approve} (the route's permission) and a fresh second factor.
   */
  @PostMapping("/v1/decisions/{decisionId}/rejection")
  public Map<String, Object> reject(@PathVariable String decisionId, HttpServletRequest request) {
    VigilPrincipal operator = Principals.current(request);
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("reason"));
    String reason = Params.string(body, "reason", false, REASON_CHARS_MAX);
    if (!operator.isOperator()) {
      throw ApiException.forbidden("permission_denied", "Rejecting a hold needs a signed-in operator with holds.approve",
          Permission.HOLDS_APPROVE.code());
    }
    stepUp.require(request);
    AuditContext.before(request, stateBefore(decisionId));
    Map<String, Object> after = json(holds.reject(decisionId, operator.id(), reason, operator.id()));
    AuditContext.after(request, after);
    return after;
  }

  /** The longest reason a rejection keeps. */
  static final int REASON_CHARS_MAX = 1_024;

  /** The hold as it was before an approval, for the audit trail; null when there is none to show. */
  private Map<String, Object> stateBefore(String decisionId) {
    try {
      return json(holds.state(decisionId));
    } catch (RuntimeException noHold) {
      return null; // the approval itself answers why
    }
  }

  /** The role an approval by this operator counts for. */
  static String approvalRole(VigilPrincipal operator, String asked) {
    boolean supervisor = operator.isOperator() && operator.has(Permission.HOLDS_APPROVE_SUPERVISOR);
    boolean approver = operator.isOperator() && (supervisor || operator.has(Permission.HOLDS_APPROVE));
    if (asked != null && !HoldPolicy.ROLES.contains(asked)) {
      throw ApiException.invalid("invalid_role", "role must be approver or supervisor", "role");
    }
    if (SUPERVISOR.equals(asked) && !supervisor) {
      throw ApiException.forbidden("permission_denied", "Approving as supervisor needs the permission holds.approve_supervisor",
          Permission.HOLDS_APPROVE_SUPERVISOR.code());
    }
    if (!approver) {
      throw ApiException.forbidden("permission_denied", "Approving a hold needs the permission holds.approve",
          Permission.HOLDS_APPROVE.code());
    }
    if (asked != null) return asked;
    return supervisor ? SUPERVISOR : APPROVER;
  }

  private static final String SUPERVISOR = "supervisor";
  private static final String APPROVER = "approver";

  private static Map<String, Object> json(HoldState h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("decision_id", h.decisionId());
    m.put("account_id", h.accountId());
    m.put("policy", h.policy());
    m.put("approvals_required", h.approvalsRequired());
    m.put("required_roles", h.requiredRoles());
    m.put("deadline", Instant.ofEpochMilli(h.deadlineMillis()).toString());
    m.put("expiry_action", h.expiryAction().name());
    m.put("status", h.status());
    m.put("waiting_for", h.waitingFor());
    m.put("outcome", h.outcome() == null ? null : h.outcome().name());
    m.put("settled_at", h.settledAtMillis() == 0 ? null : Instant.ofEpochMilli(h.settledAtMillis()).toString());
    m.put("approvals", h.approvals().stream().map(a -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("approver_id", a.approverId());
      x.put("role", a.role());
      x.put("approved_at", Instant.ofEpochMilli(a.approvedAtMillis()).toString());
      x.put("recorded_by", a.recordedBy());
      return x;
    }).toList());
    ApprovalRepository.Rejection r = h.rejection();
    if (r == null) {
      m.put("rejection", null);
    } else {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("rejected_by", r.rejectedBy());
      x.put("reason", r.reason());
      x.put("rejected_at", Instant.ofEpochMilli(r.rejectedAtMillis()).toString());
      x.put("recorded_by", r.recordedBy());
      m.put("rejection", x);
    }
    ApprovalRepository.Release release = h.release();
    if (release == null) {
      m.put("release", null);
    } else {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("released_by", release.releasedBy());
      x.put("case_id", release.caseId());
      x.put("reason", release.reason());
      x.put("released_at", Instant.ofEpochMilli(release.releasedAtMillis()).toString());
      x.put("recorded_by", release.recordedBy());
      m.put("release", x);
    }
    return m;
  }
}
