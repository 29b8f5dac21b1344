package io.vigil.server.change;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The API's view of a change request. */
final class ChangeJson {
  private ChangeJson() {}

  static Map<String, Object> summary(ChangeRequest r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("kind", r.kind());
    m.put("status", r.status());
    m.put("author", r.author());
    m.put("reason", r.reason());
    m.put("base_version", r.baseVersion());
    m.put("created_at", time(r.createdAtMillis()));
    m.put("expires_at", time(r.expiresAtMillis()));
    m.put("decided_by", r.decidedBy());
    m.put("decided_at", time(r.decidedAtMillis()));
    m.put("go_live_at", time(r.goLiveAtMillis()));
    m.put("release_id", r.releaseId());
    m.put("live_version", r.liveVersion());
    m.put("emergency", r.emergency());
    m.put("review_required", r.reviewRequired());
    m.put("reviewed_by", r.reviewedBy());
    m.put("reviewed_at", time(r.reviewedAtMillis()));
    m.put("rollback_to_version", r.rollbackToVersion());
    return m;
  }

  /** The whole request: the proposal, its difference, whether live moved on, and its history. */
  static Map<String, Object> full(ChangeRequest r, long liveVersion, List<ChangeRequest.Event> history) {
    Map<String, Object> m = summary(r);
    m.put("live_version_now", liveVersion);
    m.put("conflict", ChangeRequest.PENDING.equals(r.status()) && liveVersion != r.baseVersion());
    m.put("difference", r.difference());
    m.put("proposed", r.proposed());
    m.put("history", history.stream().map(ChangeJson::event).toList());
    return m;
  }

  static Map<String, Object> event(ChangeRequest.Event e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seq", e.seq());
    m.put("at", time(e.atMillis()));
    m.put("actor", e.actor());
    m.put("action", e.action());
    m.put("note", e.note());
    return m;
  }

  private static String time(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis).toString();
  }
}
