package io.vigil.server.operator;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Page;
import io.vigil.server.api.Params;
import io.vigil.server.security.Principals;
import io.vigil.server.security.Role;
import io.vigil.server.security.VigilPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operator administration (permission {@code operators.manage}): accounts, their locks, and role
 * changes under the two-person rule. A new account gets its roles through a role change too.
 */
@RestController
public class OperatorController {
  private final OperatorService operators;
  private final RoleChangeService roleChanges;
  private final StepUpCheck stepUp;
  private final Clock clock;

  public OperatorController(OperatorService operators, RoleChangeService roleChanges, StepUpCheck stepUp, Clock clock) {
    this.operators = operators;
    this.roleChanges = roleChanges;
    this.stepUp = stepUp;
    this.clock = clock;
  }

  @PostMapping("/v1/operators")
  public Map<String, Object> create(HttpServletRequest request) {
    VigilPrincipal actor = Principals.current(request);
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("username", "display_name", "roles"));
    String username = Params.string(body, "username", true, 64);
    String displayName = Params.string(body, "display_name", true, OperatorService.DISPLAY_NAME_CHARS_MAX);
    Set<Role> roles = roles(body.get("roles"));
    OperatorService.Created created = operators.create(username, displayName, Set.of());
    Map<String, Object> m = new LinkedHashMap<>(OperatorJson.operator(created.operator(), clock.millis()));
    m.put("one_time_password", created.oneTimePassword());
    m.put("role_change", roles.isEmpty() ? null
        : OperatorJson.roleChange(roleChanges.propose(username, roles, "new operator", actor.id())));
    return m;
  }

  @GetMapping("/v1/operators")
  public Map<String, Object> list() {
    long now = clock.millis();
    return Map.of("data", operators.all().stream().map(o -> OperatorJson.operator(o, now)).toList());
  }

  @GetMapping("/v1/operators/mfa-coverage")
  public Map<String, Object> mfaCoverage() {
    OperatorService.MfaCoverage c = operators.mfaCoverage();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("operators", c.operators());
    m.put("with_mfa", c.withMfa());
    m.put("without_mfa", c.operators() - c.withMfa());
    m.put("share", c.operators() == 0 ? 1.0 : (double) c.withMfa() / c.operators());
    return m;
  }

  @GetMapping("/v1/operators/{username}")
  public Map<String, Object> get(@PathVariable String username) {
    return OperatorJson.operator(operators.get(username), clock.millis());
  }

  @PostMapping("/v1/operators/{username}/role-changes")
  public Map<String, Object> proposeRoles(@PathVariable String username, HttpServletRequest request) {
    VigilPrincipal actor = Principals.current(request);
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("roles", "reason"));
    Set<Role> roles = roles(body.get("roles"));
    String reason = Params.string(body, "reason", true, RoleChangeService.REASON_CHARS_MAX);
    return OperatorJson.roleChange(roleChanges.propose(username, roles, reason, actor.id()));
  }

  @PostMapping("/v1/operators/{username}/unlock")
  public Map<String, Object> unlock(@PathVariable String username, HttpServletRequest request) {
    Params.object(Bodies.read(request), Set.of());
    return OperatorJson.operator(operators.unlock(username), clock.millis());
  }

  @PostMapping("/v1/operators/{username}/disable")
  public Map<String, Object> disable(@PathVariable String username, HttpServletRequest request) {
    VigilPrincipal actor = Principals.current(request);
    Params.object(Bodies.read(request), Set.of());
    if (actor.id().equals(username)) {
      throw ApiException.conflict("invalid_request_error", "self_disable", "An operator cannot disable their own account", "username");
    }
    return OperatorJson.operator(roleChanges.disable(username), clock.millis());
  }

  @GetMapping("/v1/role-changes")
  public Map<String, Object> roleChanges(@RequestParam(required = false) String status,
      @RequestParam(required = false) Integer limit) {
    if (status != null && !Set.of(RoleChange.PENDING, RoleChange.APPROVED, RoleChange.REJECTED).contains(status)) {
      throw ApiException.invalid("invalid_status", "status is pending, approved or rejected", "status");
    }
    int rows = Math.min(Page.limit(limit), RoleChangeRepository.PAGE_MAX);
    return Map.of("data", roleChanges.list(status, rows).stream().map(OperatorJson::roleChange).toList());
  }

  @PostMapping("/v1/role-changes/{id}/approve")
  public Map<String, Object> approve(@PathVariable String id, HttpServletRequest request) {
    VigilPrincipal actor = Principals.current(request);
    Params.object(Bodies.read(request), Set.of());
    stepUp.require(request);
    return OperatorJson.roleChange(roleChanges.approve(id, actor.id()));
  }

  @PostMapping("/v1/role-changes/{id}/reject")
  public Map<String, Object> reject(@PathVariable String id, HttpServletRequest request) {
    VigilPrincipal actor = Principals.current(request);
    Params.object(Bodies.read(request), Set.of());
    return OperatorJson.roleChange(roleChanges.reject(id, actor.id()));
  }

  /** A list of role codes, each known, none twice. */
  static Set<Role> roles(Object raw) {
    if (raw == null) return Set.of();
    if (!(raw instanceof List<?> list) || list.size() > Role.values().length) {
      throw ApiException.invalid("invalid_roles", "roles is a list of role codes (e.g. [\"approver\"])", "roles");
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (Object item : list) {
      Role r = item instanceof String code ? Role.ofCode(code) : null;
      if (r == null || !roles.add(r)) {
        throw ApiException.invalid("invalid_roles", "roles holds an unknown or repeated role; the roles are documented in docs/security.md",
            "roles");
      }
    }
    return roles;
  }
}
