package io.vigil.server.cases;

import java.time.Instant;
import java.util.LinkedHashMap;
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
