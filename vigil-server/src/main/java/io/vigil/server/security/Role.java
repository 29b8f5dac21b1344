package io.vigil.server.security;

import static io.vigil.server.security.Permission.ACCOUNTS_READ;
import static io.vigil.server.security.Permission.ACCOUNTS_RESTRICT;
import static io.vigil.server.security.Permission.ACCOUNTS_UNLOCK;
import static io.vigil.server.security.Permission.API_KEYS_MANAGE;
import static io.vigil.server.security.Permission.AUDIT_READ;
import static io.vigil.server.security.Permission.CASES_CONFIGURE;
import static io.vigil.server.security.Permission.CASES_READ;
import static io.vigil.server.security.Permission.CASES_SUPERVISE;
import static io.vigil.server.security.Permission.CASES_WORK;
import static io.vigil.server.security.Permission.CHANGES_APPROVE;
import static io.vigil.server.security.Permission.CHANGES_EMERGENCY;
import static io.vigil.server.security.Permission.DECISIONS_READ;
import static io.vigil.server.security.Permission.FEEDBACK_READ;
import static io.vigil.server.security.Permission.FEEDBACK_WRITE;
import static io.vigil.server.security.Permission.HOLDS_APPROVE;
import static io.vigil.server.security.Permission.HOLDS_APPROVE_SUPERVISOR;
import static io.vigil.server.security.Permission.LISTS_READ;
import static io.vigil.server.security.Permission.LISTS_WRITE;
import static io.vigil.server.security.Permission.METRICS_READ;
import static io.vigil.server.security.Permission.MODELS_READ;
import static io.vigil.server.security.Permission.MODELS_WRITE;
import static io.vigil.server.security.Permission.MONITORING_CONFIGURE;
import static io.vigil.server.security.Permission.MONITORING_READ;
import static io.vigil.server.security.Permission.OPERATORS_MANAGE;
import static io.vigil.server.security.Permission.OUTCOMES_WRITE;
import static io.vigil.server.security.Permission.PERSONAL_DATA_ERASE;
import static io.vigil.server.security.Permission.POLICY_READ;
import static io.vigil.server.security.Permission.POLICY_WRITE;
import static io.vigil.server.security.Permission.REFERENCE_READ;
import static io.vigil.server.security.Permission.REFERENCE_RELOAD;
import static io.vigil.server.security.Permission.REPORTS_FILE;
import static io.vigil.server.security.Permission.REPORTS_READ;
import static io.vigil.server.security.Permission.SCREENING_MANAGE;
import static io.vigil.server.security.Permission.SCREENING_READ;
import static io.vigil.server.security.Permission.SYSTEM_ADMIN;
import static io.vigil.server.security.Permission.WEBHOOKS_MANAGE;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * An operator's role: a named set of {@link Permission}s, least privilege. An operator holds one
 * or more roles; granting or changing them needs a second administrator's approval. No role holds
 * {@code decisions.create} or {@code self_service}: those belong to payment systems' API keys.
 */
public enum Role {
  VIEWER(EnumSet.of(DECISIONS_READ, POLICY_READ, LISTS_READ, REFERENCE_READ, MODELS_READ, METRICS_READ)),
  ANALYST(with(VIEWER, ACCOUNTS_READ, FEEDBACK_READ, FEEDBACK_WRITE, CASES_READ)),
  REVIEWER(with(VIEWER, ACCOUNTS_READ, FEEDBACK_READ, FEEDBACK_WRITE, OUTCOMES_WRITE, ACCOUNTS_RESTRICT, LISTS_WRITE, CASES_READ,
      CASES_WORK)),
  RULE_AUTHOR(with(VIEWER, POLICY_WRITE, FEEDBACK_READ, CASES_READ, MONITORING_READ)),
  /** Approves other people's configuration changes: a checker, not a maker. */
  CHANGE_APPROVER(with(VIEWER, FEEDBACK_READ, CASES_READ, MONITORING_READ, CHANGES_APPROVE)),
  APPROVER(with(VIEWER, ACCOUNTS_READ, HOLDS_APPROVE)),
  COMPLIANCE_OFFICER(with(VIEWER, ACCOUNTS_READ, FEEDBACK_READ, AUDIT_READ, PERSONAL_DATA_ERASE, CASES_READ, CASES_WORK,
      MONITORING_READ, MONITORING_CONFIGURE, SCREENING_READ, SCREENING_MANAGE, REPORTS_READ, REPORTS_FILE)),
  SUPERVISOR(with(VIEWER, ACCOUNTS_READ, FEEDBACK_READ, FEEDBACK_WRITE, OUTCOMES_WRITE, ACCOUNTS_RESTRICT,
      ACCOUNTS_UNLOCK, LISTS_WRITE, HOLDS_APPROVE, HOLDS_APPROVE_SUPERVISOR, AUDIT_READ, CASES_READ, CASES_WORK, CASES_SUPERVISE,
      CASES_CONFIGURE, CHANGES_APPROVE, CHANGES_EMERGENCY, MONITORING_READ, SCREENING_READ, REPORTS_READ)),
  ADMINISTRATOR(with(VIEWER, OPERATORS_MANAGE, API_KEYS_MANAGE, AUDIT_READ, REFERENCE_RELOAD, MODELS_WRITE, SYSTEM_ADMIN,
      CASES_CONFIGURE, WEBHOOKS_MANAGE));

  private final Set<Permission> permissions;

  Role(Set<Permission> permissions) {
    this.permissions = Set.copyOf(permissions);
  }

  public Set<Permission> permissions() {
    return permissions;
  }

  /** The name used in the API and the documentation, e.g. {@code rule_author}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role with this code, or null. */
  public static Role ofCode(String code) {
    for (Role r : values()) {
      if (r.code().equals(code)) return r;
    }
    return null;
  }

  /** The union of the permissions of these roles. */
  public static Set<Permission> permissionsOf(Set<Role> roles) {
    EnumSet<Permission> all = EnumSet.noneOf(Permission.class);
    for (Role r : roles) all.addAll(r.permissions);
    return all;
  }

  private static Set<Permission> with(Role base, Permission... more) {
    EnumSet<Permission> s = EnumSet.copyOf(base.permissions);
    s.addAll(Set.of(more));
    return s;
  }
}
