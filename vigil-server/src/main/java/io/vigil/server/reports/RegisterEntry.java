package io.vigil.server.reports;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** One row of the report register: who filed which report of which case when, the file's SHA-256, and the chain. */
public record RegisterEntry(long seq, long filedAtMillis, String filedBy, String reportType, String reportId, String caseId,
    String digest, String prevHash, String hash) {

  public Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seq", seq);
    m.put("filed_at", Instant.ofEpochMilli(filedAtMillis).toString());
    m.put("filed_by", filedBy);
    m.put("report_type", reportType);
    m.put("report_id", reportId);
    m.put("case_id", caseId);
    m.put("digest", digest);
    m.put("prev_hash", prevHash);
    m.put("hash", hash);
    return m;
  }
}
