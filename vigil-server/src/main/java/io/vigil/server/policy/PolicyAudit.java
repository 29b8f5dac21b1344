package io.vigil.server.policy;

import io.vigil.engine.policy.PolicyDocument;
import io.vigil.server.audit.AuditContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A policy change with its before and after for the audit trail: the policy version and the part
 * changed (the rule, limit, scorecard, thresholds...), read and changed under the policy service's
 * own lock, so the two are consecutive versions.
 */
final class PolicyAudit {
  private PolicyAudit() {}

  static PolicyDocument change(PolicyService policies, HttpServletRequest request, String part,
      Function<PolicyDocument, Object> view, Supplier<PolicyDocument> change) {
    synchronized (policies) { // PolicyService's change methods hold this lock too: no change comes between
      PolicyDocument before = policies.document();
      PolicyDocument after = change.get();
      AuditContext.before(request, state(before, part, view));
      AuditContext.after(request, state(after, part, view));
      return after;
    }
  }

  private static Map<String, Object> state(PolicyDocument d, String part, Function<PolicyDocument, Object> view) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("policy_version", d.version());
    m.put(part, view.apply(d));
    return m;
  }

  static Object rule(PolicyDocument d, String id) {
    return d.rules().stream().filter(r -> r.id().equals(id)).findFirst().map(PolicyJson::rule).orElse(null);
  }

  static Object limit(PolicyDocument d, String id) {
    return d.limits().stream().filter(l -> l.id().equals(id)).findFirst().map(LimitJson::limit).orElse(null);
  }

  static Object scorecard(PolicyDocument d, String id) {
    return d.scorecards().stream().filter(s -> s.id().equals(id)).findFirst().map(ScorecardJson::render).orElse(null);
  }
}
