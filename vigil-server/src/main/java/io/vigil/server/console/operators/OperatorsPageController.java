package io.vigil.server.console.operators;

import io.vigil.server.operator.Operator;
import io.vigil.server.operator.OperatorService;
import io.vigil.server.operator.RoleChange;
import io.vigil.server.operator.RoleChangeRepository;
import io.vigil.server.operator.RoleChangeService;
import io.vigil.server.security.Role;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Operators (permission {@code operators.manage}): the accounts with their roles, status, MFA and
 * locks, and the role changes waiting for a second administrator. The page reads what
 * {@code GET /v1/operators} and {@code GET /v1/role-changes?status=pending} read; every change
 * (create, propose roles, approve, reject, unlock, disable) is a call to that API from the page.
 */
@Controller
public class OperatorsPageController {
  /** Pending role changes the page lists (the API's page maximum). */
  static final int PENDING_SHOWN_MAX = RoleChangeRepository.PAGE_MAX;

  private final OperatorService operators;
  private final RoleChangeService roleChanges;
  private final Clock clock;

  public OperatorsPageController(OperatorService operators, RoleChangeService roleChanges, Clock clock) {
    this.operators = operators;
    this.roleChanges = roleChanges;
    this.clock = clock;
  }

  /** One operator as the page shows it: the status and lock as the API reports them at this moment. */
  public record Row(String username, String displayName, List<String> roles, String status, String lockedUntil,
      boolean lockedUntilUnlocked, boolean mfaEnabled, boolean mustChangePassword, int lockouts, String createdAt) {}

  /** One pending role change. */
  public record Pending(String id, String username, List<String> roles, String reason, String proposedBy, String proposedAt) {}

  @GetMapping("/console/operators")
  public String page(Model model) {
    tables(model);
    model.addAttribute("allRoles", Arrays.stream(Role.values()).map(Role::code).toList());
    return "console/operators/operators";
  }

  /** The operators and the pending role changes again, for the page to swap in after a change. */
  @GetMapping("/console/operators/tables")
  public String tablesFragment(Model model) {
    tables(model);
    return "console/operators/operators :: tables";
  }

  private void tables(Model model) {
    long now = clock.millis();
    model.addAttribute("operators", operators.all().stream().sorted(Comparator.comparing(Operator::username))
        .map(o -> row(o, now)).toList());
    model.addAttribute("pending", roleChanges.list(RoleChange.PENDING, PENDING_SHOWN_MAX).stream().map(OperatorsPageController::pending)
        .toList());
  }

  static Row row(Operator o, long nowMillis) {
    boolean locked = o.lockedAt(nowMillis);
    String status = o.status() == Operator.Status.LOCKED && !locked ? Operator.Status.ACTIVE.code() : o.status().code();
    String until = locked && !o.permanentlyLocked() ? Instant.ofEpochMilli(o.lockedUntilMillis()).toString() : null;
    return new Row(o.username(), o.displayName(), o.roles().stream().map(Role::code).sorted().toList(), status, until,
        locked && o.permanentlyLocked(), o.mfaEnabled(), o.mustChangePassword(), o.lockouts(),
        Instant.ofEpochMilli(o.createdAtMillis()).toString());
  }

  private static Pending pending(RoleChange c) {
    return new Pending(c.id(), c.username(), c.roles().stream().map(Role::code).sorted().toList(), c.reason(), c.proposedBy(),
        Instant.ofEpochMilli(c.proposedAtMillis()).toString());
  }
}
