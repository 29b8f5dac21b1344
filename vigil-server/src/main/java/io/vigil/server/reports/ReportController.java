package io.vigil.server.reports;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Page;
import io.vigil.server.api.Params;
import io.vigil.server.security.Permission;
import io.vigil.server.security.Principals;
import io.vigil.server.security.StepUp;
import io.vigil.server.security.VigilPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Regulatory reports (goAML STRs, large-value), their register, and the risk, business and cross-border reports. */
@RestController
public class ReportController {
  static final int REASON_CHARS_MAX = 4_000;
  static final int INDICATORS_MAX = 50;
  static final int CASE_REPORTS_MAX = 100;

  private final StrService strs;
  private final ReportRegister register;
  private final PeriodReports periods;
  private final LargeValueReport largeValue;
  private final Clock clock;

  public ReportController(StrService strs, ReportRegister register, PeriodReports periods, LargeValueReport largeValue, Clock clock) {
    this.strs = strs;
    this.register = register;
    this.periods = periods;
    this.largeValue = largeValue;
    this.clock = clock;
  }

  /** {@code {"case_id", "report_code"?, "reason"?, "action"?, "indicators"?}}: prepares the case's report (unsigned, not filed). */
  @PostMapping("/v1/reports/str")
  public ResponseEntity<Map<String, Object>> prepare(HttpServletRequest request) {
    VigilPrincipal p = Principals.current(request);
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("case_id", "report_code", "reason", "action", "indicators"));
    String caseId = Params.identifier(Params.string(body, "case_id", true, 64), "case_id");
    String code = Params.string(body, "report_code", false, 16);
    if (code != null && !code.matches("[A-Z]{2,16}")) throw ApiException.invalid("invalid_format", "report_code is 2-16 capital letters", "report_code");
    List<String> indicators = indicators(body.get("indicators"));
    StoredReport r = strs.prepare(caseId, new StrService.Request(code == null ? "STR" : code, Params.string(body, "reason", false,
        REASON_CHARS_MAX), Params.string(body, "action", false, REASON_CHARS_MAX), indicators), p.id());
    Map<String, Object> m = r.json();
    m.put("problems", strs.validate(r).stream().map(ReportProblem::json).toList());
    return ResponseEntity.status(HttpStatus.CREATED).body(m);
  }

  private static List<String> indicators(Object v) {
    if (v == null) return null;
    if (!(v instanceof List<?> list) || list.size() > INDICATORS_MAX) {
      throw ApiException.invalid("wrong_type", "indicators is a list of at most " + INDICATORS_MAX + " codes", "indicators");
    }
    List<String> out = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof String s) || !s.matches("[A-Za-z0-9_.-]{1,32}")) {
        throw ApiException.invalid("invalid_format", "an indicator is a code of 1-32 letters, digits, '_', '.' or '-'", "indicators");
      }
      out.add(s);
    }
    return out;
  }

  @GetMapping("/v1/reports/str")
  public Map<String, Object> ofCase(@RequestParam(name = "case_id") String caseId) {
    List<StoredReport> rows = strs.ofCase(Params.identifier(caseId, "case_id"), CASE_REPORTS_MAX);
    return Page.of(rows, CASE_REPORTS_MAX, StoredReport::json, StoredReport::reportId);
  }

  @GetMapping("/v1/reports/str/{reportId}")
  public Map<String, Object> get(@PathVariable String reportId) {
    return strs.get(reportId).json();
  }

  /** Every reason the report may not be filed; {@code valid} true when there is none. */
  @PostMapping("/v1/reports/str/{reportId}/validate")
  public Map<String, Object> validate(@PathVariable String reportId) {
    StoredReport r = strs.get(reportId);
    List<ReportProblem> problems = strs.validate(r);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("report_id", reportId);
    m.put("valid", problems.isEmpty());
    m.put("xsd_checked", strs.xsdInstalled() && !r.filed());
    m.put("lookups", strs.lookups().name());
    m.put("problems", problems.stream().map(ReportProblem::json).toList());
    return m;
  }

  /** Signs and files the report (an operator with a fresh second factor); 422 {@code report_invalid} when any check fails. */
  @PostMapping("/v1/reports/str/{reportId}/file")
  public Map<String, Object> file(@PathVariable String reportId, HttpServletRequest request) {
    VigilPrincipal p = Principals.current(request);
    if (!p.isOperator()) {
      throw ApiException.forbidden("permission_denied", "Reports are filed by a signed-in compliance officer, not an API key",
          Permission.REPORTS_FILE.code());
    }
    StepUp.require(p, clock);
    RegisterEntry e = strs.file(reportId, p.id());
    Map<String, Object> m = strs.get(reportId).json();
    m.put("register_entry", e.json());
    return m;
  }

  @GetMapping("/v1/reports/str/{reportId}/xml")
  public ResponseEntity<byte[]> xml(@PathVariable String reportId) {
    StoredReport r = strs.get(reportId);
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_XML)
        .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(reportId + ".xml").build().toString())
        .header("X-Content-Type-Options", "nosniff")
        .body(r.xml().getBytes(StandardCharsets.UTF_8));
  }

  @GetMapping("/v1/reports/register")
  public Map<String, Object> registerList(@RequestParam(name = "limit", required = false) Integer limit,
      @RequestParam(name = "starting_after", required = false) Long startingAfter) {
    int pageSize = Page.limit(limit);
    if (startingAfter != null && startingAfter < 1) throw ApiException.invalid("invalid_parameter", "starting_after is a seq", "starting_after");
    return Page.of(register.list(startingAfter, Page.fetchSize(pageSize)), pageSize, RegisterEntry::json, RegisterEntry::seq);
  }

  @GetMapping("/v1/reports/register/verify")
  public Map<String, Object> registerVerify() {
    ReportRegister.Verification v = register.verify();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("intact", v.intact());
    m.put("rows", v.rows());
    m.put("broken_at_seq", v.brokenAtSeq());
    m.put("reason", v.reason());
    return m;
  }

  @GetMapping("/v1/reports/large-value")
  public ResponseEntity<?> largeValue(@RequestParam(name = "from") String from, @RequestParam(name = "to") String to,
      @RequestParam(name = "format", required = false) String format) {
    ReportTable t = largeValue.build(new PeriodReports.Period(day(from, "from"), day(to, "to"), Granularity.DAY));
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("threshold_minor", largeValue.settings().thresholdMinor());
    extra.put("currency", largeValue.settings().currency());
    extra.put("invalid", t.rows().stream().filter(r -> "invalid".equals(r.get(10))).count());
    return ReportFormats.answer(t, format, "large-value-" + from + "-" + to, extra);
  }

  @GetMapping("/v1/reports/business")
  public ResponseEntity<?> business(@RequestParam(name = "from") String from, @RequestParam(name = "to") String to,
      @RequestParam(name = "granularity", required = false) String granularity,
      @RequestParam(name = "format", required = false) String format) {
    Granularity g = granularity == null ? Granularity.MONTH : Granularity.ofWire(granularity);
    if (g == null) throw ApiException.invalid("invalid_parameter", "granularity is day, month, quarter or year", "granularity");
    ReportTable t = periods.business(new PeriodReports.Period(day(from, "from"), day(to, "to"), g));
    return ReportFormats.answer(t, format, "business-" + g.wire() + "-" + from + "-" + to, Map.of("granularity", g.wire()));
  }

  /** {@code from} and {@code to} are months (2026-01), both included. */
  @GetMapping("/v1/reports/cross-border")
  public ResponseEntity<?> crossBorder(@RequestParam(name = "from") String from, @RequestParam(name = "to") String to,
      @RequestParam(name = "format", required = false) String format) {
    LocalDate f = month(from, "from");
    LocalDate t = month(to, "to");
    if (t.isBefore(f)) throw ApiException.invalid("invalid_parameter", "to is a month not before from", "to");
    return ReportFormats.answer(periods.crossBorder(f, t), format, "cross-border-" + from + "-" + to, Map.of());
  }

  static LocalDate day(String text, String param) {
    try {
      if (text.length() != 10) throw new DateTimeParseException("length", text, 0);
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw ApiException.invalid("invalid_parameter", param + " is a date such as 2026-11-01", param);
    }
  }

  static LocalDate month(String text, String param) {
    try {
      if (text.length() != 7) throw new DateTimeParseException("length", text, 0);
      return YearMonth.parse(text).atDay(1);
    } catch (DateTimeParseException e) {
      throw ApiException.invalid("invalid_parameter", param + " is a month such as 2026-11", param);
    }
  }
}
