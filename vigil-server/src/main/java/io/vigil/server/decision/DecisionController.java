package io.vigil.server.decision;

import io.vigil.engine.Limits;
import io.vigil.engine.event.EventType;
import io.vigil.engine.policy.Action;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Json;
import io.vigil.server.api.Page;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** POST /v1/decisions and the decision queries (JSON pages and CSV download). */
@RestController
public class DecisionController {
  private final DecisionService service;
  private final JournalRepository journal;

  public DecisionController(DecisionService service, JournalRepository journal) {
    this.service = service;
    this.journal = journal;
  }

  @PostMapping(path = "/v1/decisions", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<byte[]> decide(HttpServletRequest request) {
    Outcome.Response response = service.decide(Bodies.read(request));
    return ResponseEntity.ok()
        .header("Idempotent-Replayed", Boolean.toString(response.replay()))
        .contentType(MediaType.APPLICATION_JSON)
        .body(response.json().getBytes(StandardCharsets.UTF_8));
  }

  @GetMapping(path = "/v1/decisions/{decisionId}", produces = MediaType.APPLICATION_JSON_VALUE)
  public Map<String, Object> get(@PathVariable String decisionId) {
    if (decisionId.length() > 40) throw ApiException.invalid("invalid_parameter", "decision ids are at most 40 characters", "decision_id");
    JournalRow row = journal.findByDecisionId(decisionId)
        .orElseThrow(() -> ApiException.notFound("decision_not_found", "No decision with this id", "decision_id"));
    return record(row);
  }

  @GetMapping(path = "/v1/decisions", produces = MediaType.APPLICATION_JSON_VALUE)
  public Map<String, Object> list(
      @RequestParam(name = "account_id", required = false) String accountId,
      @RequestParam(name = "type", required = false) String type,
      @RequestParam(name = "action", required = false) String action,
      @RequestParam(name = "from", required = false) String from,
      @RequestParam(name = "to", required = false) String to,
      @RequestParam(name = "limit", required = false) Integer limit,
      @RequestParam(name = "starting_after", required = false) Long startingAfter) {
    JournalRepository.Filter filter = filter(accountId, type, action, from, to);
    int pageSize = Page.limit(limit);
    return Page.of(journal.query(filter, startingAfter, Page.fetchSize(pageSize)), pageSize, DecisionController::record,
        row -> row.record().sequence());
  }

  /** The same query as CSV, streamed; at most {@link Limits#CSV_ROWS_MAX} rows. */
  @GetMapping(path = "/v1/decisions.csv")
  public void csv(
      @RequestParam(name = "account_id", required = false) String accountId,
      @RequestParam(name = "type", required = false) String type,
      @RequestParam(name = "action", required = false) String action,
      @RequestParam(name = "from", required = false) String from,
      @RequestParam(name = "to", required = false) String to,
      HttpServletResponse response) throws IOException {
    JournalRepository.Filter filter = filter(accountId, type, action, from, to);
    response.setContentType("text/csv; charset=utf-8");
    response.setHeader("Content-Disposition", "attachment; filename=\"decisions.csv\"");
    Writer out = response.getWriter();
    out.write(DecisionCsv.HEADER);
    journal.stream(filter, Limits.CSV_ROWS_MAX, row -> DecisionCsv.write(out, row));
    out.flush();
  }

  static Map<String, Object> record(JournalRow row) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sequence", row.record().sequence());
    m.put("recorded_at", Instant.ofEpochMilli(row.record().recordedAtMillis()).toString());
    m.put("decision", Json.readMap(row.record().responseJson()));
    m.put("event", Json.readMap(row.record().eventJson()));
    m.put("hash", row.record().hash());
    return m;
  }

  private static JournalRepository.Filter filter(String accountId, String type, String action, String from, String to) {
    if (accountId != null && accountId.length() > Limits.IDENTIFIER_CHARS_MAX) {
      throw ApiException.invalid("invalid_parameter", "account_id is at most 128 characters", "account_id");
    }
    if (type != null && EventType.fromWire(type) == null) {
      throw ApiException.invalid("invalid_parameter", "type must be an event type such as payment", "type");
    }
    if (action != null) {
      try {
        Action.valueOf(action);
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid("invalid_parameter", "action must be ALLOW, CHALLENGE, REVIEW, HOLD or DENY", "action");
      }
    }
    return new JournalRepository.Filter(accountId, type, action, time(from, "from"), time(to, "to"));
  }

  private static Long time(String value, String param) {
    if (value == null) return null;
    try {
      return Instant.parse(value).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw ApiException.invalid("invalid_parameter", param + " must be an RFC 3339 UTC time such as 2026-11-21T00:00:00Z", param);
    }
  }
}
