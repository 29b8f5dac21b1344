package io.vigil.server.operator;

import io.vigil.server.security.Role;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** How operators and role changes look in the API. Never a hash, a seed or a counter of codes. */
final class OperatorJson {
  private OperatorJson() {}

  static Map<String, Object> operator(Operator o, long nowMillis) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("username", o.username());
    m.put("display_name", o.displayName());
    m.put("roles", o.roles().stream().map(Role::code).sorted().toList());
    String status = o.status() == Operator.Status.LOCKED && !o.lockedAt(nowMillis) ? Operator.Status.ACTIVE.code() : o.status().code();
    m.put("status", status);
    m.put("locked_until", !o.lockedAt(nowMillis) || o.permanentlyLocked() ? null : iso(o.lockedUntilMillis()));
    m.put("locked_until_unlocked", o.lockedAt(nowMillis) && o.permanentlyLocked());
    m.put("must_change_password", o.mustChangePassword());
    m.put("mfa_enabled", o.mfaEnabled());
    m.put("created_at", iso(o.createdAtMillis()));
    m.put("updated_at", iso(o.updatedAtMillis()));
    return m;
  }

  static Map<String, Object> roleChange(RoleChange c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", c.id());
    m.put("username", c.username());
    m.put("roles", c.roles().stream().map(Role::code).sorted().toList());
    m.put("reason", c.reason());
    m.put("proposed_by", c.proposedBy());
    m.put("proposed_at", iso(c.proposedAtMillis()));
    m.put("status", c.status());
    m.put("decided_by", c.decidedBy());
    m.put("decided_at", c.decidedBy() == null ? null : iso(c.decidedAtMillis()));
    m.put("sole_administrator", c.soleAdministrator());
    return m;
  }

  private static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }
}
