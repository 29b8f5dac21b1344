package io.vigil.engine.policy;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Large amounts wait for people (P2): above {@code amountMajorOver} (in major units of the base
 * currency of the decision's exchange rates, to which the event's amount is converted), a money
 * movement that is not denied becomes HOLD until enough approvers approve it, or until the deadline
 * passes and {@code expiryAction} applies. An amount whose currency has no rate is not compared.
 *
 * @param approvalsRequired distinct approvers needed
 * @param requiredRoles at least this many of the approvals from each role, e.g. {@code {supervisor: 1}}
 * @param deadlineMillis from the decision to the deadline
 * @param expiryAction the outcome when the deadline passes unapproved: DENY or REVIEW
 */
public record HoldPolicy(
    String id,
    double amountMajorOver,
    int approvalsRequired,
    Map<String, Integer> requiredRoles,
    long deadlineMillis,
    Action expiryAction) {

  /** Roles an approval may carry. */
  public static final Set<String> ROLES = Set.of("approver", "supervisor");
  public static final int APPROVALS_MAX = 5;
  public static final long DEADLINE_MILLIS_MIN = 1_000;
  public static final long DEADLINE_MILLIS_MAX = 30L * 86_400_000L;
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  public HoldPolicy {
    requiredRoles = Map.copyOf(requiredRoles);
    if (id == null || !ID.matcher(id).matches()) throw new IllegalArgumentException("a hold id is lower-case letters, digits and _");
    if (!(amountMajorOver > 0) || !Double.isFinite(amountMajorOver)) throw new IllegalArgumentException("amount_over must be > 0");
    if (approvalsRequired < 1 || approvalsRequired > APPROVALS_MAX) {
      throw new IllegalArgumentException("approvals_required must be 1 to " + APPROVALS_MAX);
    }
    int byRole = 0;
    for (Map.Entry<String, Integer> e : requiredRoles.entrySet()) {
      if (!ROLES.contains(e.getKey())) throw new IllegalArgumentException("roles are approver or supervisor");
      if (e.getValue() < 1) throw new IllegalArgumentException("a required role count is at least 1");
      byRole += e.getValue();
    }
    if (byRole > approvalsRequired) throw new IllegalArgumentException("required roles need more approvals than approvals_required");
    if (deadlineMillis < DEADLINE_MILLIS_MIN || deadlineMillis > DEADLINE_MILLIS_MAX) {
      throw new IllegalArgumentException("deadline must be between 1 second and 30 days");
    }
    if (expiryAction != Action.DENY && expiryAction != Action.REVIEW) {
      throw new IllegalArgumentException("expiry_action must be DENY or REVIEW");
    }
  }
}
