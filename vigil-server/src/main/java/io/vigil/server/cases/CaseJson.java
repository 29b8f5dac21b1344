package io.vigil.server.cases;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Cases, their timeline entries and attachments as the API writes them. */
public final class CaseJson {
  private CaseJson() {}

  public static Map<String, Object> record(CaseRecord r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("case_id", r.caseId());
    m.put("account_id", r.accountId());
    m.put("queue_id", r.queueId());
    m.put("status", r.status().wire());
    m.put("priority", r.priority());
    m.put("origin", r.origin().wire());
    m.put("assignee_id", r.assigneeId());
    m.put("opened_at", time(r.openedAtMillis()));
    m.put("intercepted_at", time(r.interceptedAtMillis()));
    m.put("due_at", time(r.dueAtMillis()));
    m.put("sla_warned_at", time(r.slaWarnedAtMillis()));
    m.put("sla_breached_at", time(r.slaBreachedAtMillis()));
    m.put("closed_at", time(r.closedAtMillis()));
    m.put("verdict", r.verdict() == null ? null : r.verdict().wire());
    m.put("reason_code", r.reasonCode());
    m.put("closed_by", r.closedBy());
    m.put("version", r.version());
    return m;
  }

  /**
   * The cases holding a decision, as its record shows them: one entry per case (with the origin of
   * its first link), oldest first, so an operator can go from the decision to its case.
   */
  public static List<Map<String, Object>> holding(List<DecisionCase> links) {
    Map<String, Map<String, Object>> byCase = new LinkedHashMap<>();
    for (DecisionCase d : links) {
      if (byCase.containsKey(d.standing().caseId())) continue;
      CaseStanding s = d.standing();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("case_id", s.caseId());
      m.put("origin", d.origin().wire());
      m.put("status", s.status().wire());
      m.put("verdict", s.verdict() == null ? null : s.verdict().wire());
      m.put("reason_code", s.reasonCode());
      m.put("closed_at", time(s.closedAtMillis()));
      m.put("duplicate_of", s.closedAsDuplicate() ? s.duplicateOf() : null);
      byCase.put(s.caseId(), m);
    }
    return new ArrayList<>(byCase.values());
  }

  public static Map<String, Object> view(CaseView v) {
    Map<String, Object> m = record(v.record());
    m.put("decisions", v.decisions().stream().map(d -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("decision_id", d.decisionId());
      x.put("origin", d.origin().wire());
      x.put("added_at", time(d.addedAtMillis()));
      return x;
    }).toList());
    m.put("entities", v.entities().stream().map(e -> Map.of("type", e.type(), "id", e.value())).toList());
    return m;
  }

  public static Map<String, Object> event(CaseEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seq", e.seq());
    m.put("at", time(e.atMillis()));
    m.put("actor", e.actor());
    m.put("kind", e.kind());
    m.put("detail", e.detail());
    return m;
  }

  public static Map<String, Object> attachment(CaseAttachments.Attachment a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("attachment_id", a.attachmentId());
    m.put("file_name", a.fileName());
    m.put("media_type", a.mediaType());
    m.put("size_bytes", a.sizeBytes());
    m.put("sha256", a.sha256());
    m.put("added_by", a.addedBy());
    m.put("added_at", time(a.addedAtMillis()));
    return m;
  }

  static String time(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis).toString();
  }
}
