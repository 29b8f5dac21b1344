package io.vigil.server.change;

import io.vigil.server.api.ApiException;
import io.vigil.server.security.Permission;
import io.vigil.server.security.Principals;
import io.vigil.server.security.VigilPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * The direct write routes of the policy (rules, scorecards, thresholds, weights, limits, challenge
 * and hold policies), the reference reload and a model's role change put a change live at once,
 * without a second person. They stay open only to callers holding {@code changes.emergency}; any
 * other caller gets {@code 403 approval_required} pointing at {@code POST /v1/change-requests}.
 * Each direct change that succeeds is recorded as an emergency change request, already live and
 * flagged for review by a second person. List entries (one at a time or imported) are not guarded:
 * they stay immediate for {@code lists.write}, and audited.
 */
public final class DirectWriteGuard implements HandlerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(DirectWriteGuard.class);
  static final List<String> PATHS = List.of("/v1/rules", "/v1/rules/*", "/v1/rules/*/enable", "/v1/rules/*/disable",
      "/v1/scorecards/**", "/v1/policy/**", "/v1/reference/reload", "/v1/models/*/role");
  /** POST routes under the guarded paths that change nothing. */
  private static final Set<String> READS = Set.of("/v1/rules/validate", "/v1/rules/test", "/v1/rules/backtest");
  private static final String BASE = "io.vigil.change.base";
  static final String KIND = "io.vigil.change.kind";
  private final ChangeRequestService changes;
  private final ChangeKinds kinds;

  public DirectWriteGuard(ChangeRequestService changes, ChangeKinds kinds) {
    this.changes = changes;
    this.kinds = kinds;
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
    String method = request.getMethod();
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if ("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method) || READS.contains(path)) return true;
    VigilPrincipal caller = Principals.current(request);
    if (!caller.has(Permission.CHANGES_EMERGENCY)) {
      throw ApiException.forbidden("approval_required", "This change needs a second person's approval: propose it with"
          + " POST /v1/change-requests (direct changes are for emergencies, with changes.emergency)", null);
    }
    String kind = kindOf(path);
    request.setAttribute(KIND, kind);
    request.setAttribute(BASE, kinds.get(kind).live().version());
    return true;
  }

  /**
   * Records the direct change that just succeeded as an emergency change request, before its answer
   * is written (so a caller that reads the register after the answer finds it). Called by
   * {@link EmergencyChangeRecorder} for every answer; does nothing for other requests or refusals.
   */
  void recordIfDone(HttpServletRequest request, int status) {
    if (!(request.getAttribute(KIND) instanceof String kind) || !(request.getAttribute(BASE) instanceof Long base)) return;
    request.removeAttribute(KIND);
    if (status >= 300) return;
    try {
      String actor = Principals.current(request).id();
      String summary = "emergency change: " + request.getMethod() + " " + request.getRequestURI();
      changes.recordEmergency(kind, actor, summary, base, kinds.get(kind).live().configuration());
    } catch (RuntimeException e) {
      log.error("recording an emergency change failed: {}", e.getMessage());
    }
  }

  private static String kindOf(String path) {
    if (path.startsWith("/v1/reference/")) return ReferenceReloadChangeKind.NAME;
    if (path.startsWith("/v1/models/")) return ModelPromotionChangeKind.NAME;
    return PolicyChangeKind.NAME;
  }
}
