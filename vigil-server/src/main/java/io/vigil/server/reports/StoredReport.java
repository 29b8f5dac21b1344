package io.vigil.server.reports;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** One row of {@code reports}: a prepared report (unsigned XML) or a filed one (signed XML and its SHA-256). */
public record StoredReport(String reportId, String reportType, String caseId, String status, String xml, int transactions,
    String preparedBy, long preparedAtMillis, String filedBy, Long filedAtMillis, String digest) {
  public static final String PREPARED = "prepared";
  public static final String FILED = "filed";

  public boolean filed() {
    return FILED.equals(status);
  }

  public Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("report_id", reportId);
    m.put("report_type", reportType);
    m.put("case_id", caseId);
    m.put("status", status);
    m.put("transactions", transactions);
    m.put("prepared_by", preparedBy);
    m.put("prepared_at", Instant.ofEpochMilli(preparedAtMillis).toString());
    m.put("filed_by", filedBy);
    m.put("filed_at", filedAtMillis == null ? null : Instant.ofEpochMilli(filedAtMillis).toString());
    m.put("digest", digest);
    return m;
  }
}
