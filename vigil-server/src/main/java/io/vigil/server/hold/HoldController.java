package io.vigil.server.hold;

import io.vigil.server.audit.AuditContext;
import io.vigil.engine.Limits;
import io.vigil.server.api.Actor;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Params;
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

  public HoldController(HoldService holds) {
    this.holds = holds;
  }

  @GetMapping("/v1/decisions/{decisionId}/hold")
  public Map<String, Object> hold(@PathVariable String decisionId) {
    return json(holds.state(decisionId));
  }

  @PostMapping("/v1/decisions/{decisionId}/approvals")
  public Map<String, Object> approve(@PathVariable String decisionId, HttpServletRequest request) {
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("approver_id", "role"));
    String approverId = Params.identifier(Params.string(body, "approver_id", true, Limits.IDENTIFIER_CHARS_MAX), "approver_id");
    String role = Params.string(body, "role", true, 32);
    AuditContext.before(request, stateBefore(decisionId));
    Map<String, Object> after = json(holds.approve(decisionId, approverId, role, Actor.of(request)));
    AuditContext.after(request, after);
    return after;
  }

  /** The hold as it was before an approval, for the audit trail; null when there is none to show. */
  private Map<String, Object> stateBefore(String decisionId) {
    try {
      return json(holds.state(decisionId));
    } catch (RuntimeException noHold) {
      return null; // the approval itself answers why
    }
  }

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
    return m;
  }
}
