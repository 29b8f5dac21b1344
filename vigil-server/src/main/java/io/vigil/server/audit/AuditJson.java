package io.vigil.server.audit;

import io.vigil.server.api.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** An audit row as the API shows it: the stored columns, times as RFC 3339, the source address opened. */
final class AuditJson {
  private AuditJson() {}

  static Map<String, Object> of(AuditRow row, AddressSeal seal) {
    AuditEntry e = row.entry();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seq", row.seq());
    m.put("at", Instant.ofEpochMilli(e.atMillis()).toString());
    Map<String, Object> actor = new LinkedHashMap<>();
    actor.put("kind", e.actorKind());
    actor.put("id", e.actorId());
    actor.put("claimed_id", e.claimedId());
    m.put("actor", actor);
    m.put("source_ip", sourceIp(row, seal));
    m.put("user_agent", e.userAgent());
    m.put("method", e.method());
    m.put("route", e.route());
    Map<String, Object> entity = new LinkedHashMap<>();
    entity.put("type", e.entityType());
    entity.put("id", e.entityId());
    m.put("entity", e.entityType() == null && e.entityId() == null ? null : entity);
    m.put("path_params", tree(e.pathParams()));
    m.put("action", e.action());
    m.put("before", tree(e.beforeJson()));
    m.put("after", tree(e.afterJson()));
    m.put("status", e.status());
    m.put("error_code", e.errorCode());
    m.put("prev_hash", row.prevHash());
    m.put("hash", row.hash());
    return m;
  }

  static String sourceIp(AuditRow row, AddressSeal seal) {
    String stored = row.entry().sourceIp();
    if (stored == null) return null;
    String open = seal.open(stored, row.seq());
    return open == null ? "(sealed under another key)" : open;
  }

  /** Stored JSON as a tree (so the answer nests it), or the text itself when it does not parse. */
  private static Object tree(String json) {
    if (json == null) return null;
    try {
      return Json.MAPPER.readValue(json, Object.class);
    } catch (RuntimeException unreadable) {
      return json;
    }
  }
}
