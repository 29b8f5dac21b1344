package io.vigil.server.policy.release;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A release as the API shows it. */
final class ReleaseJson {
  private ReleaseJson() {}

  static Map<String, Object> release(ReleaseRecord r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.releaseId());
    m.put("change_request_id", r.changeRequestId());
    m.put("mode", r.mode().name().toLowerCase(Locale.ROOT));
    m.put("status", r.status().wireName());
    m.put("percent", r.mode() == ReleaseMode.GRAY ? r.percent() : null);
    m.put("base_policy_version", r.baseVersion());
    m.put("candidate_policy_version", r.candidateVersion());
    m.put("started_by", r.startedBy());
    m.put("started_at", Instant.ofEpochMilli(r.startedAtMillis()).toString());
    m.put("ended_by", r.endedBy());
    m.put("ended_at", r.endedAtMillis() == null ? null : Instant.ofEpochMilli(r.endedAtMillis()).toString());
    m.put("end_reason", r.endReason());
    return m;
  }

  static Map<String, Object> step(ReleaseRepository.Step s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("at", Instant.ofEpochMilli(s.atMillis()).toString());
    m.put("actor", s.actor());
    m.put("step", s.step());
    m.put("percent", s.percent());
    m.put("note", s.note());
    return m;
  }
}
