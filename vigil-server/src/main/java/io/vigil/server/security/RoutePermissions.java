package io.vigil.server.security;

import static io.vigil.server.security.Permission.ACCOUNTS_READ;
import static io.vigil.server.security.Permission.ACCOUNTS_RESTRICT;
import static io.vigil.server.security.Permission.ACCOUNTS_UNLOCK;
import static io.vigil.server.security.Permission.API_KEYS_MANAGE;
import static io.vigil.server.security.Permission.AUDIT_READ;
import static io.vigil.server.security.Permission.CASES_CONFIGURE;
import static io.vigil.server.security.Permission.CASES_READ;
import static io.vigil.server.security.Permission.CASES_SUPERVISE;
import static io.vigil.server.security.Permission.CHANGES_APPROVE;
import static io.vigil.server.security.Permission.CASES_WORK;
import static io.vigil.server.security.Permission.CHANGES_APPROVE;
import static io.vigil.server.security.Permission.DECISIONS_CREATE;
import static io.vigil.server.security.Permission.DECISIONS_READ;
import static io.vigil.server.security.Permission.FEEDBACK_READ;
import static io.vigil.server.security.Permission.FEEDBACK_WRITE;
import static io.vigil.server.security.Permission.HOLDS_APPROVE;
import static io.vigil.server.security.Permission.LISTS_READ;
import static io.vigil.server.security.Permission.LISTS_WRITE;
import static io.vigil.server.security.Permission.METRICS_READ;
import static io.vigil.server.security.Permission.MODELS_READ;
import static io.vigil.server.security.Permission.MODELS_WRITE;
import static io.vigil.server.security.Permission.MONITORING_READ;
import static io.vigil.server.security.Permission.OPERATORS_MANAGE;
import static io.vigil.server.security.Permission.OUTCOMES_WRITE;
import static io.vigil.server.security.Permission.PERSONAL_DATA_ERASE;
import static io.vigil.server.security.Permission.POLICY_READ;
import static io.vigil.server.security.Permission.POLICY_WRITE;
import static io.vigil.server.security.Permission.REFERENCE_READ;
import static io.vigil.server.security.Permission.REPORTS_FILE;
import static io.vigil.server.security.Permission.REPORTS_READ;
import static io.vigil.server.security.Permission.REFERENCE_RELOAD;
import static io.vigil.server.security.Permission.SCREENING_MANAGE;
import static io.vigil.server.security.Permission.SCREENING_READ;
import static io.vigil.server.security.Permission.SELF_SERVICE;
import static io.vigil.server.security.Permission.SYSTEM_ADMIN;
import static io.vigil.server.security.Permission.WEBHOOKS_MANAGE;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The one table of what each route needs: a {@link Permission}, any signed-in caller
 * ({@link Access#AUTHENTICATED}), or nothing ({@link Access#PUBLIC}). The security chain looks every
 * request up here; a test fails when a mapped route is missing, and the permission matrix in
 * {@code docs/security.md} is generated from it. A path the table does not know needs a signed-in
 * caller (so an anonymous caller learns nothing about which routes exist), then answers 404 as before.
 * {@code HEAD} is looked up as {@code GET}.
 */
public final class RoutePermissions {
  /** What a route needs. */
  public record Access(Kind kind, Permission permission) {
    public enum Kind { PUBLIC, AUTHENTICATED, OPERATOR, PERMISSION }

    public static final Access PUBLIC = new Access(Kind.PUBLIC, null);
    /** Any caller: a path the table does not list (answered 404 once the caller is known). */
    public static final Access AUTHENTICATED = new Access(Kind.AUTHENTICATED, null);
    /** A signed-in operator's own session routes (the session, step-up, sign-out): never a key. */
    public static final Access OPERATOR = new Access(Kind.OPERATOR, null);

    public Access {
      Objects.requireNonNull(kind, "kind");
      if ((kind == Kind.PERMISSION) != (permission != null)) throw new IllegalArgumentException("a permission goes with kind PERMISSION");
    }

    public static Access of(Permission permission) {
      return new Access(Kind.PERMISSION, permission);
    }

    /** The permission's code, {@code public} or {@code authenticated}: as the documentation writes it. */
    public String label() {
      return switch (kind) {
        case PUBLIC -> "public";
        case AUTHENTICATED -> "authenticated";
        case OPERATOR -> "operator";
        case PERMISSION -> permission.code();
      };
    }
  }

  /** One row of the table. */
  public record Route(String method, String pattern, Access access) {}

  private static final PathPatternParser PARSER = PathPatternParser.defaultInstance;
  private static final List<Route> ROUTES = List.copyOf(table());
  /** Literal paths by "METHOD path", so the busiest routes cost one map lookup. */
  private static final Map<String, Access> LITERAL = literals();
  /** Patterns by method, most specific first. */
  private static final Map<String, List<Entry>> PATTERNS = patterns();

  private record Entry(PathPattern pattern, Access access) {}

  private RoutePermissions() {}

  /** Every row, in table order. */
  public static List<Route> routes() {
    return ROUTES;
  }

  /** What a request to this path (as sent, without the context path) needs. */
  public static Access lookup(String method, String path) {
    String m = "HEAD".equals(method) ? "GET" : method;
    Access literal = LITERAL.get(m + ' ' + path);
    if (literal != null) return literal;
    List<Entry> candidates = PATTERNS.get(m);
    if (candidates == null) return Access.AUTHENTICATED;
    PathContainer container;
    try {
      container = PathContainer.parsePath(path);
    } catch (IllegalArgumentException malformed) {
      return Access.AUTHENTICATED;
    }
    for (Entry e : candidates) {
      if (e.pattern().matches(container)) return e.access();
    }
    return Access.AUTHENTICATED;
  }

  private static List<Route> table() {
    List<Route> t = new ArrayList<>();
    // Decisions and what hangs off them
    t.add(new Route("POST", "/v1/decisions", Access.of(DECISIONS_CREATE)));
    t.add(new Route("GET", "/v1/decisions", Access.of(DECISIONS_READ)));
    t.add(new Route("GET", "/v1/decisions.csv", Access.of(DECISIONS_READ)));
    t.add(new Route("GET", "/v1/decisions/{decisionId}", Access.of(DECISIONS_READ)));
    t.add(new Route("GET", "/v1/decisions/{decisionId}/features", Access.of(DECISIONS_READ)));
    t.add(new Route("GET", "/v1/decisions/{decisionId}/explanation", Access.of(DECISIONS_READ)));
    t.add(new Route("GET", "/v1/decisions/{decisionId}/hold", Access.of(DECISIONS_READ)));
    t.add(new Route("POST", "/v1/decisions/{decisionId}/approvals", Access.of(HOLDS_APPROVE)));
    t.add(new Route("POST", "/v1/decisions/{decisionId}/rejection", Access.of(HOLDS_APPROVE)));
    t.add(new Route("GET", "/v1/decisions/{decisionId}/challenge-result", Access.of(DECISIONS_READ)));
    t.add(new Route("POST", "/v1/decisions/{decisionId}/challenge-result", Access.of(OUTCOMES_WRITE)));
    t.add(new Route("GET", "/v1/decisions/{decisionId}/outcome", Access.of(DECISIONS_READ)));
    t.add(new Route("POST", "/v1/decisions/{decisionId}/outcome", Access.of(OUTCOMES_WRITE)));
    t.add(new Route("GET", "/v1/decisions/{decisionId}/reversal-requests", Access.of(DECISIONS_READ)));
    t.add(new Route("POST", "/v1/decisions/{decisionId}/reversal-request", Access.of(SELF_SERVICE)));
    // Transaction monitoring (scenarios change through change requests, kind monitoring_scenarios)
    t.add(new Route("GET", "/v1/monitoring/scenarios", Access.of(MONITORING_READ)));
    t.add(new Route("GET", "/v1/monitoring/status", Access.of(MONITORING_READ)));
    t.add(new Route("GET", "/v1/monitoring/alerts", Access.of(MONITORING_READ)));
    t.add(new Route("GET", "/v1/monitoring/alerts/{alertId}", Access.of(MONITORING_READ)));
    // Cases and the review loop
    t.add(new Route("GET", "/v1/cases", Access.of(CASES_READ)));
    t.add(new Route("POST", "/v1/cases/take-next", Access.of(CASES_WORK)));
    t.add(new Route("POST", "/v1/cases/bulk", Access.of(CASES_SUPERVISE)));
    t.add(new Route("GET", "/v1/cases/measures", Access.of(CASES_READ)));
    t.add(new Route("GET", "/v1/cases/daily-review", Access.of(CASES_READ)));
    t.add(new Route("GET", "/v1/cases/{caseId}", Access.of(CASES_READ)));
    t.add(new Route("GET", "/v1/cases/{caseId}/timeline", Access.of(CASES_READ)));
    t.add(new Route("POST", "/v1/cases/{caseId}/assignment", Access.of(CASES_WORK)));
    t.add(new Route("POST", "/v1/cases/{caseId}/status", Access.of(CASES_WORK)));
    t.add(new Route("POST", "/v1/cases/{caseId}/comments", Access.of(CASES_WORK)));
    t.add(new Route("POST", "/v1/cases/{caseId}/attachments", Access.of(CASES_WORK)));
    t.add(new Route("GET", "/v1/cases/{caseId}/attachments/{attachmentId}", Access.of(CASES_READ)));
    t.add(new Route("POST", "/v1/cases/{caseId}/escalation", Access.of(CASES_WORK)));
    t.add(new Route("POST", "/v1/cases/{caseId}/verdict", Access.of(CASES_WORK)));
    t.add(new Route("POST", "/v1/cases/{caseId}/reopen-requests", Access.of(CASES_WORK)));
    t.add(new Route("GET", "/v1/cases/{caseId}/reopen-requests", Access.of(CASES_READ)));
    t.add(new Route("POST", "/v1/cases/{caseId}/reopen-requests/{requestId}/approval", Access.of(CASES_SUPERVISE)));
    t.add(new Route("POST", "/v1/decisions/{decisionId}/appeal", Access.of(SELF_SERVICE)));
    t.add(new Route("GET", "/v1/appeals/{appealId}", Access.of(DECISIONS_READ)));
    t.add(new Route("GET", "/v1/case-queues", Access.of(CASES_READ)));
    t.add(new Route("POST", "/v1/case-queues", Access.of(CASES_CONFIGURE)));
    t.add(new Route("GET", "/v1/case-queues/{queueId}", Access.of(CASES_READ)));
    t.add(new Route("PUT", "/v1/case-queues/{queueId}", Access.of(CASES_CONFIGURE)));
    t.add(new Route("PUT", "/v1/case-queues/{queueId}/members", Access.of(CASES_CONFIGURE)));
    t.add(new Route("PUT", "/v1/reviewers/{operatorId}/availability", Access.of(CASES_WORK)));
    // Webhooks
    t.add(new Route("GET", "/v1/webhooks/endpoints", Access.of(WEBHOOKS_MANAGE)));
    t.add(new Route("POST", "/v1/webhooks/endpoints", Access.of(WEBHOOKS_MANAGE)));
    t.add(new Route("GET", "/v1/webhooks/endpoints/{endpointId}", Access.of(WEBHOOKS_MANAGE)));
    t.add(new Route("PUT", "/v1/webhooks/endpoints/{endpointId}", Access.of(WEBHOOKS_MANAGE)));
    t.add(new Route("DELETE", "/v1/webhooks/endpoints/{endpointId}", Access.of(WEBHOOKS_MANAGE)));
    t.add(new Route("POST", "/v1/webhooks/endpoints/{endpointId}/rotate-secret", Access.of(WEBHOOKS_MANAGE)));
    t.add(new Route("GET", "/v1/webhooks/deliveries", Access.of(WEBHOOKS_MANAGE)));
    t.add(new Route("POST", "/v1/webhooks/deliveries/{deliveryId}/retry", Access.of(WEBHOOKS_MANAGE)));
    // Feedback
    t.add(new Route("POST", "/v1/feedback", Access.of(FEEDBACK_WRITE)));
    t.add(new Route("GET", "/v1/feedback", Access.of(FEEDBACK_READ)));
    // Accounts
    t.add(new Route("POST", "/v1/accounts/{accountId}/restrictions", Access.of(ACCOUNTS_RESTRICT)));
    t.add(new Route("GET", "/v1/accounts/{accountId}/restrictions", Access.of(ACCOUNTS_READ)));
    t.add(new Route("POST", "/v1/accounts/{accountId}/restrictions/{restrictionId}/lift", Access.of(ACCOUNTS_RESTRICT)));
    t.add(new Route("POST", "/v1/accounts/{accountId}/lock", Access.of(SELF_SERVICE)));
    t.add(new Route("POST", "/v1/accounts/{accountId}/unlock", Access.of(ACCOUNTS_UNLOCK)));
    t.add(new Route("GET", "/v1/accounts/{accountId}/links", Access.of(ACCOUNTS_READ)));
    t.add(new Route("POST", "/v1/accounts/{accountId}/personal-data/erasure", Access.of(PERSONAL_DATA_ERASE)));
    t.add(new Route("GET", "/v1/features/{entity}/{value}", Access.of(ACCOUNTS_READ)));
    // Policy: rules, scorecards, thresholds, weights, limits, challenge and hold policies
    t.add(new Route("GET", "/v1/rules", Access.of(POLICY_READ)));
    t.add(new Route("POST", "/v1/rules", Access.of(POLICY_WRITE)));
    t.add(new Route("GET", "/v1/rules/{id}", Access.of(POLICY_READ)));
    t.add(new Route("PUT", "/v1/rules/{id}", Access.of(POLICY_WRITE)));
    t.add(new Route("POST", "/v1/rules/{id}/disable", Access.of(POLICY_WRITE)));
    t.add(new Route("POST", "/v1/rules/{id}/enable", Access.of(POLICY_WRITE)));
    // Drafts: validate and test read nothing stored (what to check comes in the body), so whoever may
    // read the policy may check a draft; a backtest reads the journal in bulk, a rule author's tool.
    t.add(new Route("POST", "/v1/rules/validate", Access.of(POLICY_READ)));
    t.add(new Route("POST", "/v1/rules/test", Access.of(POLICY_READ)));
    t.add(new Route("POST", "/v1/rules/backtest", Access.of(POLICY_WRITE)));
    // Rule statistics and reviews: statistics are read like the policy; a review is an approval.
    t.add(new Route("GET", "/v1/rules/stats", Access.of(POLICY_READ)));
    t.add(new Route("GET", "/v1/rules/{id}/stats", Access.of(POLICY_READ)));
    t.add(new Route("GET", "/v1/rules/{id}/reviews", Access.of(POLICY_READ)));
    t.add(new Route("POST", "/v1/rules/{id}/reviews", Access.of(CHANGES_APPROVE)));
    t.add(new Route("GET", "/v1/scorecards", Access.of(POLICY_READ)));
    t.add(new Route("GET", "/v1/scorecards/{id}", Access.of(POLICY_READ)));
    t.add(new Route("PUT", "/v1/scorecards/{id}", Access.of(POLICY_WRITE)));
    t.add(new Route("POST", "/v1/scorecards/{id}/enable", Access.of(POLICY_WRITE)));
    t.add(new Route("POST", "/v1/scorecards/{id}/disable", Access.of(POLICY_WRITE)));
    t.add(new Route("GET", "/v1/policy", Access.of(POLICY_READ)));
    t.add(new Route("PUT", "/v1/policy/thresholds", Access.of(POLICY_WRITE)));
    t.add(new Route("PUT", "/v1/policy/weights", Access.of(POLICY_WRITE)));
    t.add(new Route("GET", "/v1/policy/limits", Access.of(POLICY_READ)));
    t.add(new Route("PUT", "/v1/policy/limits", Access.of(POLICY_WRITE)));
    t.add(new Route("POST", "/v1/policy/limits", Access.of(POLICY_WRITE)));
    t.add(new Route("GET", "/v1/policy/limits/{id}", Access.of(POLICY_READ)));
    t.add(new Route("PUT", "/v1/policy/limits/{id}", Access.of(POLICY_WRITE)));
    t.add(new Route("DELETE", "/v1/policy/limits/{id}", Access.of(POLICY_WRITE)));
    t.add(new Route("GET", "/v1/policy/challenges", Access.of(POLICY_READ)));
    t.add(new Route("PUT", "/v1/policy/challenges", Access.of(POLICY_WRITE)));
    t.add(new Route("PUT", "/v1/policy/holds", Access.of(POLICY_WRITE)));
    t.add(new Route("GET", "/v1/policy/versions", Access.of(POLICY_READ)));
    t.add(new Route("GET", "/v1/policy/versions/{version}", Access.of(POLICY_READ)));
    // Releases (gray release and shadow policies)
    t.add(new Route("GET", "/v1/releases", Access.of(POLICY_READ)));
    t.add(new Route("GET", "/v1/releases/{id}", Access.of(POLICY_READ)));
    t.add(new Route("POST", "/v1/releases/{id}/percent", Access.of(CHANGES_APPROVE)));
    t.add(new Route("POST", "/v1/releases/{id}/stop", Access.of(CHANGES_APPROVE)));
    t.add(new Route("POST", "/v1/releases/{id}/promote", Access.of(CHANGES_APPROVE)));
    t.add(new Route("GET", "/console/releases", Access.of(POLICY_READ)));
    // Lists
    t.add(new Route("POST", "/v1/lists/entries", Access.of(LISTS_WRITE)));
    t.add(new Route("GET", "/v1/lists/entries", Access.of(LISTS_READ)));
    t.add(new Route("GET", "/v1/lists/entries/{id}", Access.of(LISTS_READ)));
    t.add(new Route("DELETE", "/v1/lists/entries/{id}", Access.of(LISTS_WRITE)));
    t.add(new Route("GET", "/v1/lists/changes", Access.of(LISTS_READ)));
    t.add(new Route("GET", "/v1/lists/export", Access.of(LISTS_READ)));
    t.add(new Route("POST", "/v1/lists/import", Access.of(LISTS_WRITE)));
    // Reference data
    t.add(new Route("GET", "/v1/reference", Access.of(REFERENCE_READ)));
    t.add(new Route("POST", "/v1/reference/reload", Access.of(REFERENCE_RELOAD)));
    t.add(new Route("GET", "/v1/reference/versions", Access.of(REFERENCE_READ)));
    t.add(new Route("GET", "/v1/reference/versions/{version}", Access.of(REFERENCE_READ)));
    t.add(new Route("GET", "/v1/reference/lookup", Access.of(REFERENCE_READ)));
    // Screening (sanctions and watch lists, blocked countries)
    t.add(new Route("GET", "/v1/screening/lists", Access.of(SCREENING_READ)));
    t.add(new Route("POST", "/v1/screening/lists/{name}", Access.of(SCREENING_MANAGE)));
    t.add(new Route("GET", "/v1/screening/lists/{name}/versions", Access.of(SCREENING_READ)));
    t.add(new Route("POST", "/v1/screening/check", Access.of(SCREENING_READ)));
    t.add(new Route("GET", "/v1/screening/hits", Access.of(SCREENING_READ)));
    t.add(new Route("POST", "/v1/screening/hits/{hitId}/false-positive", Access.of(SCREENING_MANAGE)));
    t.add(new Route("GET", "/v1/screening/exemptions", Access.of(SCREENING_READ)));
    t.add(new Route("POST", "/v1/screening/exemptions", Access.of(SCREENING_MANAGE)));
    t.add(new Route("POST", "/v1/screening/exemptions/{exemptionId}/approve", Access.of(SCREENING_MANAGE)));
    // Models
    t.add(new Route("GET", "/v1/models", Access.of(MODELS_READ)));
    t.add(new Route("GET", "/v1/models/{modelId}", Access.of(MODELS_READ)));
    t.add(new Route("POST", "/v1/models/train", Access.of(MODELS_WRITE)));
    t.add(new Route("PUT", "/v1/models/{modelId}", Access.of(MODELS_WRITE)));
    t.add(new Route("POST", "/v1/models/{modelId}/role", Access.of(MODELS_WRITE)));
    // Change requests (change/): proposing needs the kind's own write permission, checked by the
    // controller (policy.write, lists.write, reference.reload, models.write); whoever reads the policy
    // may read them; the author withdraws and rebases; another operator approves, rejects, reviews.
    t.add(new Route("POST", "/v1/change-requests", Access.of(POLICY_READ)));
    t.add(new Route("GET", "/v1/change-requests", Access.of(POLICY_READ)));
    t.add(new Route("GET", "/v1/change-requests/{id}", Access.of(POLICY_READ)));
    t.add(new Route("POST", "/v1/change-requests/{id}/withdraw", Access.of(POLICY_READ)));
    t.add(new Route("POST", "/v1/change-requests/{id}/rebase", Access.of(POLICY_READ)));
    t.add(new Route("POST", "/v1/change-requests/{id}/approve", Access.of(CHANGES_APPROVE)));
    t.add(new Route("POST", "/v1/change-requests/{id}/reject", Access.of(CHANGES_APPROVE)));
    t.add(new Route("POST", "/v1/change-requests/{id}/review", Access.of(CHANGES_APPROVE)));
    t.add(new Route("GET", "/v1/configuration/export", Access.of(POLICY_READ)));
    t.add(new Route("POST", "/v1/configuration/import", Access.of(POLICY_WRITE)));
    // API keys
    t.add(new Route("POST", "/v1/api-keys", Access.of(API_KEYS_MANAGE)));
    t.add(new Route("GET", "/v1/api-keys", Access.of(API_KEYS_MANAGE)));
    t.add(new Route("GET", "/v1/api-keys/{keyId}", Access.of(API_KEYS_MANAGE)));
    t.add(new Route("POST", "/v1/api-keys/{keyId}/rotate", Access.of(API_KEYS_MANAGE)));
    t.add(new Route("POST", "/v1/api-keys/{keyId}/revoke", Access.of(API_KEYS_MANAGE)));
    t.add(new Route("DELETE", "/v1/api-keys/{keyId}", Access.of(API_KEYS_MANAGE)));
    // Webhook endpoints and their delivery log (notify/)
    // Operator sign-in (the session routes need a signed-in operator, whatever its roles)
    t.add(new Route("POST", "/v1/auth/login", Access.PUBLIC));
    t.add(new Route("POST", "/v1/auth/login/totp", Access.PUBLIC));
    t.add(new Route("POST", "/v1/auth/login/recovery-code", Access.PUBLIC));
    t.add(new Route("GET", "/v1/auth/sso/**", Access.PUBLIC));
    t.add(new Route("GET", "/v1/auth/session", Access.OPERATOR));
    // The first sign-in's steps: the controller checks the sign-in in progress in the session.
    t.add(new Route("POST", "/v1/auth/password", Access.PUBLIC));
    t.add(new Route("POST", "/v1/auth/totp/enrolment", Access.PUBLIC));
    t.add(new Route("POST", "/v1/auth/totp/enrolment/confirm", Access.PUBLIC));
    // Operator administration (operator/)
    t.add(new Route("POST", "/v1/operators", Access.of(OPERATORS_MANAGE)));
    t.add(new Route("GET", "/v1/operators", Access.of(OPERATORS_MANAGE)));
    t.add(new Route("GET", "/v1/operators/mfa-coverage", Access.of(OPERATORS_MANAGE)));
    t.add(new Route("GET", "/v1/operators/{username}", Access.of(OPERATORS_MANAGE)));
    t.add(new Route("POST", "/v1/operators/{username}/role-changes", Access.of(OPERATORS_MANAGE)));
    t.add(new Route("POST", "/v1/operators/{username}/unlock", Access.of(OPERATORS_MANAGE)));
    t.add(new Route("POST", "/v1/operators/{username}/disable", Access.of(OPERATORS_MANAGE)));
    t.add(new Route("GET", "/v1/role-changes", Access.of(OPERATORS_MANAGE)));
    t.add(new Route("POST", "/v1/role-changes/{id}/approve", Access.of(OPERATORS_MANAGE)));
    t.add(new Route("POST", "/v1/role-changes/{id}/reject", Access.of(OPERATORS_MANAGE)));
    t.add(new Route("POST", "/v1/auth/logout", Access.OPERATOR));
    t.add(new Route("POST", "/v1/auth/step-up", Access.OPERATOR));
    // Administration
    t.add(new Route("POST", "/v1/admin/backups", Access.of(SYSTEM_ADMIN)));
    t.add(new Route("POST", "/v1/admin/encryption-keys/rotate", Access.of(SYSTEM_ADMIN)));
    // Regulatory, risk and business reports (reports/)
    t.add(new Route("POST", "/v1/reports/str", Access.of(REPORTS_FILE)));
    t.add(new Route("GET", "/v1/reports/str", Access.of(REPORTS_READ)));
    t.add(new Route("GET", "/v1/reports/str/{reportId}", Access.of(REPORTS_READ)));
    t.add(new Route("POST", "/v1/reports/str/{reportId}/validate", Access.of(REPORTS_FILE)));
    t.add(new Route("POST", "/v1/reports/str/{reportId}/file", Access.of(REPORTS_FILE)));
    t.add(new Route("GET", "/v1/reports/str/{reportId}/xml", Access.of(REPORTS_READ)));
    t.add(new Route("GET", "/v1/reports/register", Access.of(REPORTS_READ)));
    t.add(new Route("GET", "/v1/reports/register/verify", Access.of(REPORTS_READ)));
    t.add(new Route("GET", "/v1/reports/large-value", Access.of(REPORTS_READ)));
    t.add(new Route("GET", "/v1/reports/business", Access.of(REPORTS_READ)));
    t.add(new Route("GET", "/v1/reports/cross-border", Access.of(REPORTS_READ)));
    t.add(new Route("GET", "/console/reports", Access.of(REPORTS_READ)));
    // The audit trail
    t.add(new Route("GET", "/v1/audit", Access.of(AUDIT_READ)));
    t.add(new Route("GET", "/v1/audit/export", Access.of(AUDIT_READ)));
    // The operator console (console/): pages for signed-in operators, each screen behind its permission.
    // Its scripts, styles and the libraries it ships (webjars) are public; changes go through the API routes above.
    t.add(new Route("GET", "/console/assets/**", Access.PUBLIC));
    t.add(new Route("GET", "/webjars/**", Access.PUBLIC));
    t.add(new Route("GET", "/console/sign-in", Access.PUBLIC));
    t.add(new Route("GET", "/console/sign-in/sso", Access.PUBLIC));
    t.add(new Route("GET", "/console", Access.OPERATOR));
    t.add(new Route("GET", "/console/account", Access.OPERATOR));
    t.add(new Route("GET", "/console/refused", Access.OPERATOR));
    t.add(new Route("GET", "/console/dashboard", Access.of(METRICS_READ)));
    t.add(new Route("GET", "/console/dashboard/data", Access.of(METRICS_READ)));
    t.add(new Route("GET", "/console/dashboard/stream", Access.of(METRICS_READ)));
    t.add(new Route("GET", "/console/decisions", Access.of(DECISIONS_READ)));
    t.add(new Route("GET", "/console/decisions/results", Access.of(DECISIONS_READ)));
    t.add(new Route("GET", "/console/decisions/{decisionId}", Access.of(DECISIONS_READ)));
    t.add(new Route("GET", "/console/accounts", Access.of(ACCOUNTS_READ)));
    t.add(new Route("GET", "/console/accounts/{accountId}", Access.of(ACCOUNTS_READ)));
    t.add(new Route("GET", "/console/holds", Access.of(HOLDS_APPROVE)));
    t.add(new Route("GET", "/console/holds/{decisionId}/card", Access.of(HOLDS_APPROVE)));
    t.add(new Route("GET", "/console/cases", Access.of(CASES_READ)));
    t.add(new Route("GET", "/console/monitoring", Access.of(MONITORING_READ)));
    t.add(new Route("GET", "/console/cases/-/review", Access.of(CASES_READ)));
    t.add(new Route("GET", "/console/cases/-/daily-review", Access.of(CASES_READ)));
    t.add(new Route("GET", "/console/cases/{caseId}", Access.of(CASES_READ)));
    t.add(new Route("GET", "/console/rules", Access.of(POLICY_READ)));
    t.add(new Route("GET", "/console/rules/new", Access.of(POLICY_READ)));
    t.add(new Route("GET", "/console/rules/{id}", Access.of(POLICY_READ)));
    t.add(new Route("GET", "/console/rules/-/policy", Access.of(POLICY_READ)));
    t.add(new Route("GET", "/console/rules/-/versions", Access.of(POLICY_READ)));
    t.add(new Route("GET", "/console/changes", Access.of(POLICY_READ)));
    t.add(new Route("GET", "/console/changes/{id}", Access.of(POLICY_READ)));
    t.add(new Route("GET", "/console/lists", Access.of(LISTS_READ)));
    t.add(new Route("GET", "/console/models", Access.of(MODELS_READ)));
    t.add(new Route("GET", "/console/reference", Access.of(REFERENCE_READ)));
    t.add(new Route("GET", "/console/screening", Access.of(SCREENING_READ)));
    t.add(new Route("GET", "/console/audit", Access.of(AUDIT_READ)));
    t.add(new Route("GET", "/console/operators", Access.of(OPERATORS_MANAGE)));
    t.add(new Route("GET", "/console/operators/tables", Access.of(OPERATORS_MANAGE)));
    t.add(new Route("GET", "/console/api-keys", Access.of(API_KEYS_MANAGE)));
    t.add(new Route("GET", "/console/api-keys/table", Access.of(API_KEYS_MANAGE)));
    // The contract, the error page, health and metrics
    t.add(new Route("GET", "/v1/openapi.json", Access.PUBLIC));
    for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
      t.add(new Route(method, "/error", Access.PUBLIC));
    }
    t.add(new Route("GET", "/actuator/health", Access.PUBLIC));
    t.add(new Route("GET", "/actuator/health/**", Access.PUBLIC));
    t.add(new Route("GET", "/actuator/prometheus", Access.of(METRICS_READ)));
    t.add(new Route("GET", "/actuator/info", Access.of(METRICS_READ)));
    return t;
  }

  private static Map<String, Access> literals() {
    Map<String, Access> m = new HashMap<>();
    for (Route r : ROUTES) {
      if (isLiteral(r.pattern())) {
        Access before = m.put(r.method() + ' ' + r.pattern(), r.access());
        if (before != null) throw new IllegalStateException("route listed twice: " + r.method() + " " + r.pattern());
      }
    }
    return Collections.unmodifiableMap(m);
  }

  private static Map<String, List<Entry>> patterns() {
    Map<String, List<Entry>> m = new HashMap<>();
    for (Route r : ROUTES) {
      if (isLiteral(r.pattern())) continue;
      m.computeIfAbsent(r.method().toUpperCase(Locale.ROOT), k -> new ArrayList<>()).add(new Entry(PARSER.parse(r.pattern()), r.access()));
    }
    m.replaceAll((method, entries) -> {
      entries.sort((a, b) -> PathPattern.SPECIFICITY_COMPARATOR.compare(a.pattern(), b.pattern()));
      return List.copyOf(entries);
    });
    return Collections.unmodifiableMap(m);
  }

  private static boolean isLiteral(String pattern) {
    return pattern.indexOf('{') < 0 && pattern.indexOf('*') < 0;
  }
}
