package io.vigil.server.operator;

import io.vigil.server.security.Permission;
import io.vigil.server.security.Role;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * An operator account as stored. {@code totpSeedSealed} is the sealed seed (base64), null before
 * enrolment; {@code totpLastStep} is the last TOTP time step accepted (a code of that step or an
 * earlier one is refused); {@code lockedUntilMillis} is {@link #LOCKED_UNTIL_UNLOCKED} for a lock
 * that only an administrator lifts.
 */
public record Operator(String username, String displayName, Set<Role> roles, Status status, String passwordHash,
    boolean mustChangePassword, String totpSeedSealed, boolean mfaEnabled, long totpLastStep, int failedLogins,
    long firstFailureAtMillis, int lockouts, long lockedUntilMillis, long createdAtMillis, long updatedAtMillis) {

  public enum Status {
    ACTIVE, LOCKED, DISABLED;

    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static final long LOCKED_UNTIL_UNLOCKED = Long.MAX_VALUE;

  public Operator {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(passwordHash, "passwordHash");
    roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    if (failedLogins < 0 || lockouts < 0) throw new IllegalArgumentException("negative counter");
    if (mfaEnabled && totpSeedSealed == null) throw new IllegalArgumentException("MFA enabled without a seed");
  }

  public Set<Permission> permissions() {
    return Role.permissionsOf(roles);
  }

  /** Whether a lock is in force at this moment (a temporary one ends by itself). */
  public boolean lockedAt(long nowMillis) {
    return status == Status.LOCKED && nowMillis < lockedUntilMillis;
  }

  public boolean permanentlyLocked() {
    return status == Status.LOCKED && lockedUntilMillis == LOCKED_UNTIL_UNLOCKED;
  }

  public Operator withRoles(Set<Role> newRoles, long nowMillis) {
    return new Operator(username, displayName, newRoles, status, passwordHash, mustChangePassword, totpSeedSealed, mfaEnabled,
        totpLastStep, failedLogins, firstFailureAtMillis, lockouts, lockedUntilMillis, createdAtMillis, nowMillis);
  }

  public Operator withStatus(Status newStatus, long nowMillis) {
    return new Operator(username, displayName, roles, newStatus, passwordHash, mustChangePassword, totpSeedSealed, mfaEnabled,
        totpLastStep, failedLogins, firstFailureAtMillis, lockouts, lockedUntilMillis, createdAtMillis, nowMillis);
  }

  public Operator withPassword(String hash, boolean mustChange, long nowMillis) {
    return new Operator(username, displayName, roles, status, hash, mustChange, totpSeedSealed, mfaEnabled, totpLastStep,
        failedLogins, firstFailureAtMillis, lockouts, lockedUntilMillis, createdAtMillis, nowMillis);
  }

  /** A new seed, not yet confirmed (MFA stays off until a code from it is checked). */
  public Operator withPendingSeed(String sealed, long nowMillis) {
    return new Operator(username, displayName, roles, status, passwordHash, mustChangePassword, sealed, false, 0,
        failedLogins, firstFailureAtMillis, lockouts, lockedUntilMillis, createdAtMillis, nowMillis);
  }

  public Operator withMfa(boolean enabled, long lastStep, long nowMillis) {
    return new Operator(username, displayName, roles, status, passwordHash, mustChangePassword, totpSeedSealed, enabled, lastStep,
        failedLogins, firstFailureAtMillis, lockouts, lockedUntilMillis, createdAtMillis, nowMillis);
  }

  public Operator withFailures(Status newStatus, int failed, long firstFailureAt, int lockoutCount, long lockedUntil,
      long nowMillis) {
    return new Operator(username, displayName, roles, newStatus, passwordHash, mustChangePassword, totpSeedSealed, mfaEnabled,
        totpLastStep, failed, firstFailureAt, lockoutCount, lockedUntil, createdAtMillis, nowMillis);
  }
}
