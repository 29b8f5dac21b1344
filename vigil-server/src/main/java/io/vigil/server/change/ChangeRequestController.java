package io.vigil.server.change;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Params;
import io.vigil.server.audit.AuditContext;
import io.vigil.server.operator.StepUpCheck;
import io.vigil.server.security.Permission;
import io.vigil.server.security.Principals;
import io.vigil.server.security.VigilPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Change requests: propose ({@code POST /v1/change-requests}, needing the kind's own write
 * permission), read, withdraw and rebase (the author), approve, reject and review (another operator
 * with {@code changes.approve}, approval with a fresh second factor). Every change is recorded in
 * the audit trail with the request before and after.
 */
@RestController
public class ChangeRequestController {
  private static final Set<String> CREATE_FIELDS = Set.of("kind", "reason", "proposed", "rollback_to_version");
  private static final Set<String> STATUSES = Set.of(ChangeRequest.PENDING, ChangeRequest.APPROVED, ChangeRequest.REJECTED,
      ChangeRequest.WITHDRAWN, ChangeRequest.EXPIRED, ChangeRequest.LIVE, ChangeRequest.SUPERSEDED);
  private static final int PAGE_ROWS_MAX = 100;
  private final ChangeRequestService changes;
  private final StepUpCheck stepUp;
  private final Clock clock;

  public ChangeRequestController(ChangeRequestService changes, StepUpCheck stepUp, Clock clock) {
    this.changes = changes;
    this.stepUp = stepUp;
    this.clock = clock;
  }

  /** The permission proposing a change of this kind needs. */
  static Permission writePermission(String kind) {
    return switch (kind) {
      case "lists_bulk" -> Permission.LISTS_WRITE;
      case "reference_reload" -> Permission.REFERENCE_RELOAD;
      case "model_promotion" -> Permission.MODELS_WRITE;
      case "monitoring_scenarios" -> Permission.MONITORING_CONFIGURE;
      default -> Permission.POLICY_WRITE;
    };
  }

  /** {"kind": "policy", "reason": "…", "proposed": {…}} or {"kind": "policy", "reason": "…", "rollback_to_version": 12}. */
  @PostMapping("/v1/change-requests")
  @SuppressWarnings("unchecked")
  public ResponseEntity<Map<String, Object>> create(HttpServletRequest request) {
    Map<String, Object> body = Params.object(Bodies.read(request), CREATE_FIELDS);
    String kind = Params.string(body, "kind", true, 40);
    VigilPrincipal caller = Principals.current(request);
    requirePermission(caller, writePermission(kind));
    String reason = Params.string(body, "reason", true, ChangeRequestService.REASON_CHARS_MAX);
    ChangeRequest r;
    if (body.containsKey("rollback_to_version")) {
      if (body.containsKey("proposed")) throw ApiException.invalid("invalid_value", "give proposed or rollback_to_version, not both",
          "rollback_to_version");
      if (!PolicyChangeKind.NAME.equals(kind)) throw ApiException.invalid("invalid_value", "only a policy change rolls back",
          "rollback_to_version");
      if (!(body.get("rollback_to_version") instanceof Number n) || n.longValue() < 1) {
        throw ApiException.invalid("wrong_type", "rollback_to_version is a policy version number", "rollback_to_version");
      }
      r = changes.rollback(n.longValue(), caller.id(), reason);
    } else {
      if (!(body.get("proposed") instanceof Map<?, ?> proposed)) {
        throw ApiException.invalid("missing_field", "proposed is required (an object)", "proposed");
      }
      r = changes.create(kind, caller.id(), reason, (Map<String, Object>) proposed);
    }
    audit(request, "change_request.create", r.id(), null, ChangeJson.summary(r));
    return ResponseEntity.status(HttpStatus.CREATED).body(full(r));
  }

  @GetMapping("/v1/change-requests")
  public Map<String, Object> list(@RequestParam(name = "status", required = false) String status,
      @RequestParam(name = "kind", required = false) String kind,
      @RequestParam(name = "review_required", required = false) Boolean reviewRequired,
      @RequestParam(name = "limit", required = false) Integer limit) {
    if (status != null && !STATUSES.contains(status)) throw ApiException.invalid("invalid_parameter", "status must be one of " + STATUSES,
        "status");
    if (kind != null && kind.length() > 40) throw ApiException.invalid("unknown_kind", "no such kind", "kind");
    int rows = limit == null ? 50 : limit;
    if (rows < 1 || rows > PAGE_ROWS_MAX) throw ApiException.invalid("invalid_parameter", "limit is 1-" + PAGE_ROWS_MAX, "limit");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("data", changes.list(status, kind, reviewRequired, rows).stream().map(ChangeJson::summary).toList());
    return m;
  }

  @GetMapping("/v1/change-requests/{id}")
  public Map<String, Object> get(@PathVariable String id) {
    return full(changes.get(id));
  }

  @PostMapping("/v1/change-requests/{id}/withdraw")
  public Map<String, Object> withdraw(@PathVariable String id, HttpServletRequest request) {
    Params.object(Bodies.read(request), Set.of());
    ChangeRequest before = changes.get(id);
    ChangeRequest r = changes.withdraw(id, Principals.current(request).id());
    audit(request, "change_request.withdraw", id, ChangeJson.summary(before), ChangeJson.summary(r));
    return full(r);
  }

  @PostMapping("/v1/change-requests/{id}/rebase")
  public Map<String, Object> rebase(@PathVariable String id, HttpServletRequest request) {
    Params.object(Bodies.read(request), Set.of());
    ChangeRequest before = changes.get(id);
    requirePermission(Principals.current(request), writePermission(before.kind()));
    ChangeRequest r = changes.rebase(id, Principals.current(request).id());
    audit(request, "change_request.rebase", id, ChangeJson.summary(before), ChangeJson.summary(r));
    return full(r);
  }

  /** {"go_live": "now" | {"at": "…"} | {"release": {"mode": "gray", "percent": 5}}, "note": "…"}. */
  @PostMapping("/v1/change-requests/{id}/approve")
  public Map<String, Object> approve(@PathVariable String id, HttpServletRequest request) {
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("go_live", "note"));
    VigilPrincipal caller = operator(request);
    GoLive goLive = GoLive.parse(body.get("go_live"), clock.millis());
    stepUp.require(request);
    ChangeRequest before = changes.get(id);
    ChangeRequest r = changes.approve(id, caller.id(), goLive);
    audit(request, ChangeRequest.LIVE.equals(r.status()) ? "change_request.apply" : "change_request.approve", id,
        ChangeJson.summary(before), ChangeJson.summary(r));
    return full(r);
  }

  /** {"note": "…"} (optional). */
  @PostMapping("/v1/change-requests/{id}/reject")
  public Map<String, Object> reject(@PathVariable String id, HttpServletRequest request) {
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("note"));
    VigilPrincipal caller = operator(request);
    ChangeRequest before = changes.get(id);
    ChangeRequest r = changes.reject(id, caller.id(), Params.string(body, "note", false, ChangeRequestService.REASON_CHARS_MAX));
    audit(request, "change_request.reject", id, ChangeJson.summary(before), ChangeJson.summary(r));
    return full(r);
  }

  /** A second person confirms an emergency change after the fact: {"note": "…"} (optional). */
  @PostMapping("/v1/change-requests/{id}/review")
  public Map<String, Object> review(@PathVariable String id, HttpServletRequest request) {
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("note"));
    VigilPrincipal caller = operator(request);
    ChangeRequest before = changes.get(id);
    ChangeRequest r = changes.review(id, caller.id(), Params.string(body, "note", false, ChangeRequestService.REASON_CHARS_MAX));
    audit(request, "change_request.review", id, ChangeJson.summary(before), ChangeJson.summary(r));
    return full(r);
  }

  private Map<String, Object> full(ChangeRequest r) {
    return ChangeJson.full(r, changes.liveVersion(r.kind()), changes.history(r.id()));
  }

  private static VigilPrincipal operator(HttpServletRequest request) {
    VigilPrincipal caller = Principals.current(request);
    if (!caller.isOperator()) {
      throw ApiException.forbidden("permission_denied", "Deciding on a change request needs a signed-in operator", null);
    }
    return caller;
  }

  static void requirePermission(VigilPrincipal caller, Permission p) {
    if (!caller.has(p)) {
      throw ApiException.forbidden("permission_denied", "Proposing this kind of change needs the permission " + p.code(), "kind");
    }
  }

  private static void audit(HttpServletRequest request, String action, String id, Object before, Object after) {
    AuditContext.action(request, action);
    AuditContext.entity(request, "change_request", id);
    AuditContext.before(request, before);
    AuditContext.after(request, after);
  }
}
