package io.vigil.server.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A report as a table: what the CSV, XLSX and PDF exports write. Cells are text; numbers are written as numbers where they parse. */
public record ReportTable(String title, List<String> columns, List<List<String>> rows) {
  public ReportTable {
    columns = List.copyOf(columns);
    rows = List.copyOf(rows);
    for (List<String> row : rows) {
      if (row.size() != columns.size()) throw new IllegalArgumentException("a row has " + row.size() + " cells, the table " + columns.size());
    }
  }

  /** The rows as JSON objects keyed by column. */
  public List<Map<String, Object>> json() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (List<String> row : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < columns.size(); i++) {
        String v = row.get(i);
        m.put(columns.get(i), !columns.get(i).endsWith("_id") && v.matches("-?[0-9]{1,18}") ? (Object) Long.parseLong(v) : v);
      }
      out.add(m);
    }
    return out;
  }
}
