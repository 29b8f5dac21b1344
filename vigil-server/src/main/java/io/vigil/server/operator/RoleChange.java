package io.vigil.server.operator;

import io.vigil.server.security.Role;
import java.util.EnumSet;
import java.util.Set;

/**
 * A request to give an operator exactly these roles. It takes effect when a second administrator
 * approves it. {@code soleAdministrator}: approved by its proposer while the proposer was the only
 * active administrator (the one way a store with one administrator gets a second).
 */
public record RoleChange(String id, String username, Set<Role> roles, String reason, String proposedBy, long proposedAtMillis,
    String status, String decidedBy, long decidedAtMillis, boolean soleAdministrator) {
  public static final String PENDING = "pending";
  public static final String APPROVED = "approved";
  public static final String REJECTED = "rejected";

  public RoleChange {
    roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    if (!Set.of(PENDING, APPROVED, REJECTED).contains(status)) throw new IllegalArgumentException("status " + status);
    if (status.equals(PENDING) != (decidedBy == null)) throw new IllegalArgumentException("a decided change names who decided");
  }

  public RoleChange decided(String newStatus, String by, long atMillis, boolean sole) {
    return new RoleChange(id, username, roles, reason, proposedBy, proposedAtMillis, newStatus, by, atMillis, sole);
  }
}
