package io.vigil.server.operator;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Ids;
import io.vigil.server.operator.Operator.Status;
import io.vigil.server.security.Role;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes to operators' roles under the two-person rule: one administrator proposes, another
 * approves. Neither the proposer nor the operator whose roles change may approve. One exception
 * keeps a store with a single administrator from a dead end: while the proposer is the only active
 * administrator, they may approve their own proposal (never one for themselves); the change is
 * marked {@code sole_administrator} and logged. No change may leave the store without an active
 * administrator.
 */
public final class RoleChangeService {
  private static final Logger log = LoggerFactory.getLogger(RoleChangeService.class);
  public static final int REASON_CHARS_MAX = 512;
  private final RoleChangeRepository changes;
  private final OperatorService operators;
  private final Clock clock;

  public RoleChangeService(RoleChangeRepository changes, OperatorService operators, Clock clock) {
    this.changes = changes;
    this.operators = operators;
    this.clock = clock;
  }

  public RoleChange propose(String username, Set<Role> roles, String reason, String proposedBy) {
    operators.get(username);
    if (reason.length() > REASON_CHARS_MAX) {
      throw ApiException.invalid("invalid_reason", "reason is at most " + REASON_CHARS_MAX + " characters", "reason");
    }
    RoleChange c = new RoleChange(Ids.random("rc_"), username, roles, reason, proposedBy, clock.millis(), RoleChange.PENDING, null,
        0, false);
    changes.insert(c);
    return c;
  }

  public RoleChange get(String id) {
    return changes.find(id).orElseThrow(() -> ApiException.notFound("role_change_not_found", "No role change with this id", "id"));
  }

  public List<RoleChange> list(String status, int limit) {
    return changes.list(status, limit);
  }

  /** Approves a pending change and gives the operator its roles. */
  public synchronized RoleChange approve(String id, String approver) {
    RoleChange c = pending(id);
    if (approver.equals(c.username())) throw selfApproval("An operator cannot approve a change of their own roles");
    boolean sole = false;
    if (approver.equals(c.proposedBy())) {
      List<String> admins = activeAdministrators();
      if (!(admins.size() == 1 && admins.get(0).equals(approver))) {
        throw selfApproval("The proposer cannot approve their own proposal; another administrator must");
      }
      sole = true;
    }
    if (!c.roles().contains(Role.ADMINISTRATOR)) {
      List<String> admins = activeAdministrators();
      if (admins.size() == 1 && admins.get(0).equals(c.username())) throw lastAdministrator();
    }
    RoleChange decided = c.decided(RoleChange.APPROVED, approver, clock.millis(), sole);
    if (!changes.decide(decided)) throw notPending();
    operators.setRoles(c.username(), c.roles());
    if (sole) {
      log.warn("role change {} for operator {} approved by its proposer {}, the only active administrator", id, c.username(), approver);
    }
    return decided;
  }

  public synchronized RoleChange reject(String id, String decider) {
    RoleChange decided = pending(id).decided(RoleChange.REJECTED, decider, clock.millis(), false);
    if (!changes.decide(decided)) throw notPending();
    return decided;
  }

  /** Refuses to disable the last active administrator. */
  public synchronized Operator disable(String username) {
    List<String> admins = activeAdministrators();
    if (admins.size() == 1 && admins.get(0).equals(username)) throw lastAdministrator();
    return operators.disable(username);
  }

  /** Usernames of the administrators that are not disabled. */
  List<String> activeAdministrators() {
    return operators.all().stream().filter(o -> o.status() != Status.DISABLED && o.roles().contains(Role.ADMINISTRATOR))
        .map(Operator::username).toList();
  }

  private RoleChange pending(String id) {
    RoleChange c = get(id);
    if (!c.status().equals(RoleChange.PENDING)) throw notPending();
    return c;
  }

  private static ApiException notPending() {
    return ApiException.conflict("invalid_request_error", "role_change_decided", "This role change was decided already", "id");
  }

  private static ApiException lastAdministrator() {
    return ApiException.conflict("invalid_request_error", "last_administrator",
        "This would leave no active administrator", "username");
  }

  static ApiException selfApproval(String message) {
    return new ApiException(403, "permission_error", "self_approval", message, null);
  }
}
