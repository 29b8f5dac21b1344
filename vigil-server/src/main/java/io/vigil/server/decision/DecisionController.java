package io.vigil.server.decision;

import io.vigil.engine.Limits;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Arrival;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Json;
import io.vigil.server.api.Page;
import io.vigil.server.cases.CaseJson;
import io.vigil.server.cases.CaseRepository;
import io.vigil.server.cases.DecisionCase;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.outcome.FinalOutcome;
import io.vigil.server.outcome.FinalOutcomes;
import io.vigil.server.privacy.JournalPrivacy;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
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
  /** Rows the CSV download reads and settles at a time. */
  private static final int CSV_PAGE_ROWS = 500;
  private final DecisionService service;
  private final JournalRepository journal;
  private final FinalOutcomes outcomes;
  private final JournalPrivacy privacy;
  private final CaseRepository cases;

  public DecisionController(DecisionService service, JournalRepository journal, FinalOutcomes outcomes, JournalPrivacy privacy,
      CaseRepository cases) {
    this.service = service;
    this.journal = journal;
    this.outcomes = outcomes;
    this.privacy = privacy;
    this.cases = cases;
  }

  @PostMapping(path = "/v1/decisions", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<byte[]> decide(HttpServletRequest request) {
    Outcome.Response response = service.decide(Bodies.read(request), Arrival.nanos(request));
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
    List<DecisionCase> holding = cases.casesOfDecisions(List.of(decisionId)).getOrDefault(decisionId, List.of());
    return record(row, outcomes.of(row), holding);
  }

  @GetMapping(path = "/v1/decisions", produces = MediaType.APPLICATION_JSON_VALUE)
  public Map<String, Object> list(
      @RequestParam(name = "account_id", required = false) String accountId,
      @RequestParam(name = "type", required = false) String type,
      @RequestParam(name = "action", required = false) String action,
      @RequestParam(name = "from", required = false) String from,
      @RequestParam(name = "to", required = false) String to,
      @RequestParam(name = "merchant_id", required = false) String merchantId,
      @RequestParam(name = "risk_level", required = false) String riskLevel,
      @RequestParam(name = "rule", required = false) String rule,
      @RequestParam(name = "score_min", required = false) Integer scoreMin,
      @RequestParam(name = "score_max", required = false) Integer scoreMax,
      @RequestParam(name = "amount_min", required = false) Long amountMin,
      @RequestParam(name = "amount_max", required = false) Long amountMax,
      @RequestParam(name = "currency", required = false) String currency,
      @RequestParam(name = "limit", required = false) Integer limit,
      @RequestParam(name = "starting_after", required = false) Long startingAfter) {
    JournalRepository.Filter filter = DecisionFilters.parse(new DecisionFilters.Query(accountId, type, action, from, to,
        merchantId, riskLevel, rule, scoreMin, scoreMax, amountMin, amountMax, currency));
    int pageSize = Page.limit(limit);
    List<JournalRow> rows = journal.query(filter, startingAfter, Page.fetchSize(pageSize));
    List<JournalRow> shown = Page.shown(rows, pageSize);
    Map<String, FinalOutcome> settled = outcomes.of(shown);
    Map<String, List<DecisionCase>> holding = cases.casesOfDecisions(shown.stream().map(r -> r.record().decisionId()).toList());
    return Page.of(rows, pageSize, row -> record(row, settled.get(row.record().decisionId()),
        holding.getOrDefault(row.record().decisionId(), List.of())), row -> row.record().sequence());
  }

  /**
   * The same query as CSV, written page by page (keyset on the sequence, so no connection is held
   * for the whole download); at most {@link Limits#CSV_ROWS_MAX} rows.
   */
  @GetMapping(path = "/v1/decisions.csv", produces = "text/csv")
  public void csv(
      @RequestParam(name = "account_id", required = false) String accountId,
      @RequestParam(name = "type", required = false) String type,
      @RequestParam(name = "action", required = false) String action,
      @RequestParam(name = "from", required = false) String from,
      @RequestParam(name = "to", required = false) String to,
      @RequestParam(name = "merchant_id", required = false) String merchantId,
      @RequestParam(name = "risk_level", required = false) String riskLevel,
      @RequestParam(name = "rule", required = false) String rule,
      @RequestParam(name = "score_min", required = false) Integer scoreMin,
      @RequestParam(name = "score_max", required = false) Integer scoreMax,
      @RequestParam(name = "amount_min", required = false) Long amountMin,
      @RequestParam(name = "amount_max", required = false) Long amountMax,
      @RequestParam(name = "currency", required = false) String currency,
      HttpServletResponse response) throws IOException {
    JournalRepository.Filter filter = DecisionFilters.parse(new DecisionFilters.Query(accountId, type, action, from, to,
        merchantId, riskLevel, rule, scoreMin, scoreMax, amountMin, amountMax, currency));
    response.setContentType("text/csv; charset=utf-8");
    response.setHeader("Content-Disposition", "attachment; filename=\"decisions.csv\"");
    Writer out = response.getWriter();
    out.write(DecisionCsv.HEADER);
    Long before = null;
    for (int written = 0; written < Limits.CSV_ROWS_MAX; ) {
      List<JournalRow> rows = journal.query(filter, before, Math.min(CSV_PAGE_ROWS, Limits.CSV_ROWS_MAX - written));
      Map<String, FinalOutcome> settled = outcomes.of(rows);
      for (JournalRow row : rows) DecisionCsv.write(out, row, settled.get(row.record().decisionId()));
      written += rows.size();
      if (rows.size() < CSV_PAGE_ROWS) break;
      before = rows.get(rows.size() - 1).record().sequence();
    }
    out.flush();
  }

  /** A stored decision with its final outcome next to its action, and the cases holding it. */
  private Map<String, Object> record(JournalRow row, FinalOutcome outcome, List<DecisionCase> holding) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sequence", row.record().sequence());
    m.put("recorded_at", Instant.ofEpochMilli(row.record().recordedAtMillis()).toString());
    m.put("action", row.action());
    m.put("final_action", outcome.finalAction());
    m.put("settled_by", outcome.settledBy());
    m.put("settled_at", outcome.settledAtMillis() == 0 ? null : Instant.ofEpochMilli(outcome.settledAtMillis()).toString());
    m.put("waiting_for", outcome.waitingFor());
    m.put("cases", CaseJson.holding(holding));
    // Personal fields opened for the caller (shown as "[erased]" once the person's key is destroyed).
    m.put("decision", Json.readMap(privacy.openResponse(row.record().responseJson(), row.record().eventId())));
    m.put("event", privacy.openEvent(row.record().eventJson(), JournalPrivacy.Reading.DISPLAY));
    m.put("hash", row.record().hash());
    return m;
  }
}
