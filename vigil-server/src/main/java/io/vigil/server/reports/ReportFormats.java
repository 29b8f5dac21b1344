package io.vigil.server.reports;

import io.vigil.server.api.ApiException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** A report table answered as JSON (default), CSV, XLSX or PDF ({@code format}). */
final class ReportFormats {
  static final MediaType XLSX = MediaType.parseMediaType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

  private ReportFormats() {}

  static ResponseEntity<?> answer(ReportTable t, String format, String fileStem, Map<String, Object> extra) {
    String f = format == null ? "json" : format;
    return switch (f) {
      case "json" -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", t.title());
        m.putAll(extra);
        m.put("columns", t.columns());
        m.put("rows", t.json());
        yield ResponseEntity.ok(m);
      }
      case "csv" -> file(TableExports.csv(t), MediaType.parseMediaType("text/csv;charset=UTF-8"), fileStem + ".csv");
      case "xlsx" -> file(TableExports.xlsx(t), XLSX, fileStem + ".xlsx");
      case "pdf" -> file(TableExports.pdf(t), MediaType.APPLICATION_PDF, fileStem + ".pdf");
      default -> throw ApiException.invalid("invalid_parameter", "format is json, csv, xlsx or pdf", "format");
    };
  }

  private static ResponseEntity<byte[]> file(byte[] content, MediaType type, String name) {
    return ResponseEntity.ok().contentType(type)
        .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(name).build().toString())
        .header("X-Content-Type-Options", "nosniff")
        .body(content);
  }
}
