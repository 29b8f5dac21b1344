package io.vigil.server.security;

/**
 * What a caller may do. Every route needs exactly one permission ({@link RoutePermissions}); an
 * operator gets permissions through {@link Role}s, a payment system's API key through
 * {@link ApiScope}s. The permission matrix in {@code docs/security.md} is generated from these
 * three tables, and a test checks every mapped route against them.
 */
public enum Permission {
  DECISIONS_CREATE("decisions.create", "ask for a decision (POST /v1/decisions)"),
  DECISIONS_READ("decisions.read", "read decisions, their features, explanations, holds, challenges, reversals and outcomes"),
  OUTCOMES_WRITE("outcomes.write", "report a challenge result or a payment's final outcome"),
  FEEDBACK_READ("feedback.read", "read labels (fraud, legitimate) reported on decisions"),
  FEEDBACK_WRITE("feedback.write", "report a label on a decision"),
  SELF_SERVICE("self_service", "act on the holder's behalf: lock an account, request a reversal"),
  ACCOUNTS_READ("accounts.read", "read an account's restrictions, identity links and feature values"),
  ACCOUNTS_RESTRICT("accounts.restrict", "restrict an account or lift a restriction"),
  ACCOUNTS_UNLOCK("accounts.unlock", "lift a holder's lock after identity verification"),
  HOLDS_APPROVE("holds.approve", "approve a held payment as an approver"),
  HOLDS_APPROVE_SUPERVISOR("holds.approve_supervisor", "approve a held payment as a supervisor"),
  POLICY_READ("policy.read", "read rules, scorecards, thresholds, weights, limits and policy versions"),
  POLICY_WRITE("policy.write", "change rules, scorecards, thresholds, weights, limits, challenge and hold policies"),
  LISTS_READ("lists.read", "read and export list entries and their history"),
  LISTS_WRITE("lists.write", "add, remove and import list entries"),
  REFERENCE_READ("reference.read", "read reference data versions and look values up"),
  REFERENCE_RELOAD("reference.reload", "reload reference data (geo, BIN, phone)"),
  MODELS_READ("models.read", "read models and their metrics"),
  MODELS_WRITE("models.write", "train, upload and promote models"),
  AUDIT_READ("audit.read", "query and export the audit trail"),
  CASES_READ("cases.read", "read cases, their timelines and attachments, the queues and the review measures"),
  CASES_WORK("cases.work", "take, comment, attach to, escalate and close with a verdict the cases of the queues one works"),
  CASES_SUPERVISE("cases.supervise", "assign cases to others, bulk actions, approve a reopen, mark reviewers away"),
  CASES_CONFIGURE("cases.configure", "create and change case queues, their routing and members"),
  CHANGES_APPROVE("changes.approve", "approve or reject change requests (rules, policy, bulk list changes, reference data, models,"
      + " monitoring scenarios), step a release up, stop or promote it"),
  CHANGES_EMERGENCY("changes.emergency", "put a change live without a second approval in an emergency (flagged for review afterwards)"),
  MONITORING_READ("monitoring.read", "read monitoring scenarios, their alerts and evidence"),
  MONITORING_CONFIGURE("monitoring.configure", "propose changes to monitoring scenarios and their parameters"),
  SCREENING_READ("screening.read", "read sanctions and watch lists, screening results and hits"),
  SCREENING_MANAGE("screening.manage", "install sanctions and watch lists, mark hits as false positives, propose country exemptions"),
  REPORTS_READ("reports.read", "read and export risk, business and cross-border reports and the report register"),
  REPORTS_FILE("reports.file", "prepare, validate, sign and file suspicious transaction and large-value reports"),
  OPERATORS_MANAGE("operators.manage", "create operators, propose and approve role changes, unlock operators"),
  API_KEYS_MANAGE("api_keys.manage", "issue, rotate, revoke and destroy API keys"),
  WEBHOOKS_MANAGE("webhooks.manage", "create, change and delete webhook endpoints, rotate their secrets, read and retry deliveries"),
  PERSONAL_DATA_ERASE("personal_data.erase", "erase one person's personal data on request"),
  METRICS_READ("metrics.read", "read the server's metrics (Prometheus) and build info"),
  SYSTEM_ADMIN("system.admin", "take backups and rotate encryption keys");

  private final String code;
  private final String description;

  Permission(String code, String description) {
    this.code = code;
    this.description = description;
  }

  /** The name used in the API, the documentation and the audit trail. */
  public String code() {
    return code;
  }

  public String description() {
    return description;
  }
}
