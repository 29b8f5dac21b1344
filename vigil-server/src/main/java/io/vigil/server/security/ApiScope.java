package io.vigil.server.security;

import static io.vigil.server.security.Permission.ACCOUNTS_READ;
import static io.vigil.server.security.Permission.DECISIONS_CREATE;
import static io.vigil.server.security.Permission.DECISIONS_READ;
import static io.vigil.server.security.Permission.FEEDBACK_READ;
import static io.vigil.server.security.Permission.FEEDBACK_WRITE;
import static io.vigil.server.security.Permission.LISTS_READ;
import static io.vigil.server.security.Permission.LISTS_WRITE;
import static io.vigil.server.security.Permission.METRICS_READ;
import static io.vigil.server.security.Permission.MODELS_READ;
import static io.vigil.server.security.Permission.OUTCOMES_WRITE;
import static io.vigil.server.security.Permission.POLICY_READ;
import static io.vigil.server.security.Permission.REFERENCE_READ;
import static io.vigil.server.security.Permission.SELF_SERVICE;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a payment system's API key may do: a named set of {@link Permission}s. Keys never get the
 * operator-only permissions (approving holds, changing policy, managing operators or keys, reading
 * the audit trail, erasing personal data): those need a person, signed in with a second factor.
 */
public enum ApiScope {
  /** Ask for decisions. */
  DECIDE(EnumSet.of(DECISIONS_CREATE)),
  /** Report labels, challenge results and final outcomes. */
  FEEDBACK(EnumSet.of(FEEDBACK_WRITE, OUTCOMES_WRITE)),
  /** Act on the holder's behalf: one-click lock, reversal requests. */
  SELF_SERVICE(EnumSet.of(Permission.SELF_SERVICE)),
  /** Read decisions, accounts, lists, policy, models, reference data and metrics. */
  READ(EnumSet.of(DECISIONS_READ, ACCOUNTS_READ, FEEDBACK_READ, LISTS_READ, POLICY_READ, MODELS_READ, REFERENCE_READ, METRICS_READ)),
  /** Maintain lists from the payment system (e.g. a nightly blocklist import). */
  ADMIN(EnumSet.of(LISTS_WRITE));

  private final Set<Permission> permissions;

  ApiScope(Set<Permission> permissions) {
    this.permissions = Set.copyOf(permissions);
  }

  public Set<Permission> permissions() {
    return permissions;
  }

  /** The name used in the API and the documentation, e.g. {@code self_service}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The scope with this code, or null. */
  public static ApiScope ofCode(String code) {
    for (ApiScope s : values()) {
      if (s.code().equals(code)) return s;
    }
    return null;
  }

  /** The union of the permissions of these scopes. */
  public static Set<Permission> permissionsOf(Set<ApiScope> scopes) {
    EnumSet<Permission> all = EnumSet.noneOf(Permission.class);
    for (ApiScope s : scopes) all.addAll(s.permissions);
    return all;
  }
}
