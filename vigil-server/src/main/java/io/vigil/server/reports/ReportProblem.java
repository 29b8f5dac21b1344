package io.vigil.server.reports;

import java.util.LinkedHashMap;
import java.util.Map;

/** One reason a report may not be filed: where ({@code path}), a stable code, and what is wrong. */
public record ReportProblem(String path, String code, String message) {
  public Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", path);
    m.put("code", code);
    m.put("message", message);
    return m;
  }
}
