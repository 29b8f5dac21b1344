package io.vigil.server.cases.verdict;

import io.vigil.server.cases.CaseRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Verdicts, their effects, reopen requests and appeals as the API writes them. */
final class VerdictJson {
  private VerdictJson() {}

  static Map<String, Object> verdict(VerdictRepository.Stored v, List<VerdictRepository.Effect> effects) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("verdict_id", v.verdictId());
    m.put("verdict", v.verdict());
    m.put("reason_code", v.reasonCode());
    m.put("reviewer_id", v.reviewerId());
    m.put("hold", v.hold());
    m.put("restrictions", v.restrictions());
    m.put("decided_at", time(v.decidedAtMillis()));
    m.put("applied_at", time(v.appliedAtMillis()));
    m.put("effects", effects.stream().map(VerdictJson::effect).toList());
    return m;
  }

  static Map<String, Object> effect(VerdictRepository.Effect e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", e.kind());
    m.put("target", e.target());
    m.put("status", e.applied() ? "applied" : "pending");
    m.put("applied_at", time(e.appliedAtMillis()));
    m.put("result", e.result());
    m.put("attempts", e.attempts());
    m.put("last_error", e.lastError());
    return m;
  }

  static Map<String, Object> reopenRequest(ReopenRepository.Request r, long nowMillis) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("request_id", r.requestId());
    m.put("case_id", r.caseId());
    m.put("status", r.statusAt(nowMillis));
    m.put("reason", r.reason());
    m.put("requested_by", r.requestedBy());
    m.put("requested_at", time(r.requestedAtMillis()));
    m.put("expires_at", time(r.expiresAtMillis()));
    m.put("appeal_id", r.appealId());
    m.put("approved_by", r.approvedBy());
    m.put("approved_at", time(r.approvedAtMillis()));
    return m;
  }

  static Map<String, Object> appeal(AppealRepository.Appeal a, CaseRecord c, String outcome) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("appeal_id", a.appealId());
    m.put("decision_id", a.decisionId());
    m.put("case_id", a.caseId());
    m.put("status", a.status());
    m.put("channel", a.channel());
    m.put("reason", a.reason());
    m.put("reopen_request_id", a.reopenRequestId());
    m.put("received_at", time(a.receivedAtMillis()));
    m.put("case_status", c.status().wire());
    m.put("outcome", outcome);
    m.put("verdict", outcome == null || c.verdict() == null ? null : c.verdict().wire());
    m.put("decided_at", outcome == null ? null : time(c.closedAtMillis()));
    return m;
  }

  private static String time(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis).toString();
  }
}
