package io.vigil.server.audit;

import io.vigil.engine.Limits;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import io.vigil.server.api.Page;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit trail, queried ({@code GET /v1/audit}, newest first, paged) and exported ({@code GET /v1/audit/export}). */
@RestController
public class AuditController {
  private static final int EXPORT_PAGE_ROWS = 500;
  private static final Set<String> ACTOR_KINDS = Set.of(AuditEntry.OPERATOR, AuditEntry.API_KEY, AuditEntry.ANONYMOUS, AuditEntry.SYSTEM);
  static final List<String> CSV_COLUMNS = List.of("seq", "at", "actor_kind", "actor_id", "claimed_id", "source_ip", "user_agent",
      "method", "route", "entity_type", "entity_id", "path_params", "action", "before", "after", "status", "error_code",
      "prev_hash", "hash");
  private static final String ESCAPED_FIRST = "=+-@'";

  private final AuditRepository trail;
  private final AddressSeal seal;

  public AuditController(AuditRepository trail, AddressSeal seal) {
    this.trail = trail;
    this.seal = seal;
  }

  @GetMapping("/v1/audit")
  public Map<String, Object> list(
      @RequestParam(name = "actor", required = false) String actor,
      @RequestParam(name = "actor_kind", required = false) String actorKind,
      @RequestParam(name = "entity_type", required = false) String entityType,
      @RequestParam(name = "entity_id", required = false) String entityId,
      @RequestParam(name = "action", required = false) String action,
      @RequestParam(name = "outcome", required = false) String outcome,
      @RequestParam(name = "from", required = false) String from,
      @RequestParam(name = "to", required = false) String to,
      @RequestParam(name = "limit", required = false) Integer limit,
      @RequestParam(name = "starting_after", required = false) Long startingAfter) {
    AuditRepository.Filter filter = filter(actor, actorKind, entityType, entityId, action, outcome, from, to);
    int pageSize = Page.limit(limit);
    List<AuditRow> rows = trail.query(filter, startingAfter, Page.fetchSize(pageSize));
    return Page.of(rows, pageSize, row -> AuditJson.of(row, seal), AuditRow::seq);
  }

  /**
   * The rows the same filters select, oldest first, as JSON lines (one row object a line, as
   * {@code GET /v1/audit} shows it) or CSV; written page by page, at most {@link Limits#CSV_ROWS_MAX} rows.
   * Unfiltered, the file carries every row's hashes, so the chain can be checked outside Vigil.
   */
  @GetMapping(path = "/v1/audit/export", produces = {"application/x-ndjson", "text/csv", "application/json"})
  public void export(
      @RequestParam(name = "format", required = false, defaultValue = "jsonl") String format,
      @RequestParam(name = "actor", required = false) String actor,
      @RequestParam(name = "actor_kind", required = false) String actorKind,
      @RequestParam(name = "entity_type", required = false) String entityType,
      @RequestParam(name = "entity_id", required = false) String entityId,
      @RequestParam(name = "action", required = false) String action,
      @RequestParam(name = "outcome", required = false) String outcome,
      @RequestParam(name = "from", required = false) String from,
      @RequestParam(name = "to", required = false) String to,
      HttpServletResponse response) throws IOException {
    boolean csv = switch (format) {
      case "csv" -> true;
      case "jsonl" -> false;
      default -> throw ApiException.invalid("invalid_parameter", "format is jsonl or csv", "format");
    };
    AuditRepository.Filter filter = filter(actor, actorKind, entityType, entityId, action, outcome, from, to);
    response.setContentType(csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8");
    response.setHeader("Content-Disposition", "attachment; filename=\"audit." + (csv ? "csv" : "jsonl") + "\"");
    Writer out = response.getWriter();
    CSVPrinter printer = csv ? new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader(CSV_COLUMNS.toArray(String[]::new)).get()) : null;
    long after = 0;
    for (int written = 0; written < Limits.CSV_ROWS_MAX; ) {
      List<AuditRow> rows = trail.queryAscending(filter, after, Math.min(EXPORT_PAGE_ROWS, Limits.CSV_ROWS_MAX - written));
      for (AuditRow row : rows) {
        if (csv) csvRow(printer, row);
        else out.write(Json.write(AuditJson.of(row, seal)) + "\n");
      }
      written += rows.size();
      if (rows.size() < EXPORT_PAGE_ROWS) break;
      after = rows.get(rows.size() - 1).seq();
    }
    if (printer != null) printer.flush();
    out.flush();
  }

  private void csvRow(CSVPrinter printer, AuditRow row) throws IOException {
    AuditEntry e = row.entry();
    printer.printRecord(row.seq(), Instant.ofEpochMilli(e.atMillis()).toString(), e.actorKind(), cell(e.actorId()),
        cell(e.claimedId()), AuditJson.sourceIp(row, seal), cell(e.userAgent()), e.method(), cell(e.route()), cell(e.entityType()),
        cell(e.entityId()), cell(e.pathParams()), cell(e.action()), cell(e.beforeJson()), cell(e.afterJson()), e.status(),
        cell(e.errorCode()), row.prevHash(), row.hash());
  }

  /** A cell a spreadsheet would run as a formula gets a leading {@code '}. */
  private static String cell(String value) {
    return value != null && !value.isEmpty() && ESCAPED_FIRST.indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
  }

  static AuditRepository.Filter filter(String actor, String actorKind, String entityType, String entityId, String action,
      String outcome, String from, String to) {
    bounded(actor, "actor", AuditEntry.ACTOR_CHARS_MAX);
    bounded(entityType, "entity_type", AuditEntry.ENTITY_TYPE_CHARS_MAX);
    bounded(entityId, "entity_id", AuditEntry.ENTITY_ID_CHARS_MAX);
    bounded(action, "action", AuditEntry.ACTION_CHARS_MAX);
    if (actorKind != null && !ACTOR_KINDS.contains(actorKind)) {
      throw ApiException.invalid("invalid_parameter", "actor_kind is operator, api_key, anonymous or system", "actor_kind");
    }
    if (entityId != null && entityType == null) {
      throw ApiException.invalid("invalid_parameter", "entity_id needs entity_type (e.g. entity_type=account)", "entity_id");
    }
    AuditRepository.Outcome o = null;
    if (outcome != null) {
      o = AuditRepository.Outcome.of(outcome);
      if (o == null) throw ApiException.invalid("invalid_parameter", "outcome is success, failure or denied", "outcome");
    }
    Long fromMillis = time(from, "from");
    Long toMillis = time(to, "to");
    if (fromMillis != null && toMillis != null && toMillis < fromMillis) {
      throw ApiException.invalid("invalid_parameter", "to must not be before from", "to");
    }
    return new AuditRepository.Filter(actor, actorKind, entityType, entityId, action, o, fromMillis, toMillis);
  }

  private static void bounded(String value, String param, int charsMax) {
    if (value != null && (value.isEmpty() || value.length() > charsMax)) {
      throw ApiException.invalid("invalid_parameter", param + " is 1 to " + charsMax + " characters", param);
    }
  }

  private static Long time(String value, String param) {
    if (value == null) return null;
    try {
      return Instant.parse(value).toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      throw ApiException.invalid("invalid_parameter", param + " must be an RFC 3339 UTC time such as 2026-11-21T00:00:00Z", param);
    }
  }
}
