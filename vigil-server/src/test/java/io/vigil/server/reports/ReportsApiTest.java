package io.vigil.server.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.zaxxer.hikari.HikariDataSource;
import io.vigil.server.api.ApiTestSupport;
import io.vigil.server.api.ServerTestBase;
import io.vigil.server.cases.CaseOrigin;
import io.vigil.server.cases.CaseRecord;
import io.vigil.server.cases.CaseService;
import io.vigil.server.cases.CaseTrigger;
import io.vigil.server.cases.CaseVerdict;
import io.vigil.server.cases.Reviewer;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.notify.EmailNotifier;
import io.vigil.server.security.Role;
import io.vigil.server.storage.Sql;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators;
import io.vigil.server.support.TestOperators.Exchange;
import io.vigil.server.support.TestOperators.Signed;
import io.vigil.server.support.TestSmtp;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Reports over HTTP on a server of its own (the case opener off: the test opens its cases from the
 * decisions it makes): an STR from a case with several transactions validates against a test XSD
 * and is filed signed and registered; an invalid one is refused with its reasons and nothing is
 * registered; filing needs reports.file; the register detects a changed row; business and
 * large-value numbers are exact; the monthly batch and its reminder e-mail run on the test clock.
 */
class ReportsApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-reports-");
  private static final GreenMail SMTP = TestSmtp.start();
  /** Tries of a decision answered 503 overloaded (same event id: the retry is idempotent). */
  private static final int DECIDE_ATTEMPTS_MAX = 3;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    storeAsAsked(registry);
    registry.add("vigil.cases.enabled", () -> "false");
    registry.add("vigil.cases.sla.enabled", () -> "false");
    registry.add("vigil.reports.schedule.enabled", () -> "false");
    registry.add("vigil.reports.goaml.currency-code-local", () -> "USD");
    registry.add("vigil.reports.goaml.xsd-path", ReportsApiTest::testXsd);
    registry.add("spring.mail.host", () -> "127.0.0.1");
    registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
    registry.add("vigil.notifications.mail.from", () -> "vigil@example.test");
    registry.add("vigil.notifications.mail.compliance", () -> "compliance@example.test");
  }

  private static String testXsd() {
    try {
      return Path.of(ReportsApiTest.class.getResource("/reports/goaml-test.xsd").toURI()).toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Autowired
  JournalRepository journal;
  @Autowired
  CaseService cases;
  @Autowired
  StrService strs;
  @Autowired
  HikariDataSource dataSource;
  @Autowired
  EmailNotifier email;
  @Autowired
  ReportsProperties properties;

  private static Signed officer;

  private Signed officer() {
    if (officer == null || !officer.steppedUp()) {
      officer = TestOperators.signInSteppedUp(base, TestOperators.newUsername("co"), Set.of(Role.COMPLIANCE_OFFICER));
    }
    return officer;
  }

  private Exchange as(Signed op, String method, String path, Map<String, ?> body) {
    return method.equals("GET") ? TestOperators.get(base, path, op.headers()) : TestOperators.send(base, method, path, body, op.headers());
  }

  /** A decision of the account: a transfer with its beneficiary, or (amount 0) a registration. */
  private Map<String, Object> decide(String account, String type, long amountMinor, String currency, String bic, String beneficiaryCountry) {
    Map<String, Object> body = new HashMap<>();
    body.put("event_id", ApiTestSupport.id("evt"));
    body.put("type", type);
    body.put("occurred_at", TestClock.now().toString());
    body.put("account_id", account);
    body.put("account_country", "BD");
    if (amountMinor > 0) {
      body.put("amount", amountMinor);
      body.put("currency", currency);
      body.put("counterparty_id", ApiTestSupport.id("cp"));
      Map<String, Object> attributes = new LinkedHashMap<>();
      attributes.put("beneficiary_name", "Beneficiary");
      attributes.put("beneficiary_account", ApiTestSupport.id("ben"));
      if (bic != null) attributes.put("beneficiary_bic", bic);
      if (beneficiaryCountry != null) attributes.put("beneficiary_country", beneficiaryCountry);
      body.put("attributes", attributes);
    }
    ApiClient.Reply r = api.post("/v1/decisions", body);
    for (int attempt = 1; r.status() == 503 && attempt < DECIDE_ATTEMPTS_MAX; attempt++) {
      r = api.post("/v1/decisions", body); // overloaded on a busy machine: the API asks for a retry, which is idempotent
    }
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  /** A case (origin alert) of the given decisions. */
  private String caseOf(List<Map<String, Object>> decisions) {
    String caseId = null;
    for (Map<String, Object> d : decisions) {
      CaseTrigger t = CaseTrigger.of(journal.findByDecisionId((String) d.get("decision_id")).orElseThrow(), CaseOrigin.ALERT);
      CaseRecord r = cases.openOrJoin(t, "test").record();
      if (caseId != null) assertEquals(caseId, r.caseId(), "the account's decisions join one case");
      caseId = r.caseId();
    }
    return caseId;
  }

  private String suspiciousCase() {
    String account = ApiTestSupport.id("acct");
    List<Map<String, Object>> ds = List.of(decide(account, "transfer", 120_000, "USD", "DBBLBDDH", "BD"),
        decide(account, "transfer", 95_000, "USD", "CHASUS33XXX", "US"), decide(account, "withdrawal", 40_000, "USD", "DBBLBDDH", "BD"));
    return caseOf(ds);
  }

  private long registerRows() {
    return Sql.number(dataSource, "SELECT COUNT(*) FROM report_register", ps -> {}, "count");
  }

  @Test
  void anStrFromACaseValidatesIsFiledSignedAndRegistered() {
    String caseId = suspiciousCase();
    Exchange prepared = as(officer(), "POST", "/v1/reports/str", Map.of("case_id", caseId));
    assertEquals(201, prepared.status(), prepared.body());
    Map<String, Object> report = prepared.json();
    assertEquals(3, ((Number) report.get("transactions")).intValue());
    assertEquals(List.of(), report.get("problems"), prepared.body());
    String reportId = (String) report.get("report_id");

    Exchange validation = as(officer(), "POST", "/v1/reports/str/" + reportId + "/validate", Map.of());
    assertEquals(200, validation.status(), validation.body());
    assertEquals(true, validation.json().get("valid"), validation.body());
    assertEquals(true, validation.json().get("xsd_checked"));

    long before = registerRows();
    Exchange filed = as(officer(), "POST", "/v1/reports/str/" + reportId + "/file", Map.of());
    assertEquals(200, filed.status(), filed.body());
    assertEquals("filed", filed.json().get("status"));
    Map<String, Object> entry = ApiTestSupport.map(filed.json().get("register_entry"));
    assertEquals(officer().username(), entry.get("filed_by"));
    assertEquals(caseId, entry.get("case_id"));
    assertEquals(before + 1, registerRows());

    Exchange xml = as(officer(), "GET", "/v1/reports/str/" + reportId + "/xml", null);
    assertEquals(200, xml.status());
    assertEquals(entry.get("digest"), ReportRegister.sha256(xml.body().getBytes(StandardCharsets.UTF_8)),
        "the register holds the SHA-256 of the file served");
    assertTrue(ReportSigner.verify(XmlDocs.parse(xml.body()), strs.signer().publicKey()), "the file's signature verifies");
    assertFalse(ReportSigner.verify(XmlDocs.parse(xml.body().replace("<report_code>STR</report_code>", "<report_code>SAR</report_code>")),
        strs.signer().publicKey()), "a changed file does not");

    Exchange again = as(officer(), "POST", "/v1/reports/str/" + reportId + "/file", Map.of());
    assertEquals(409, again.status(), again.body());
    assertEquals("report_already_filed", ApiTestSupport.map(again.json().get("error")).get("code"));
    Exchange verify = as(officer(), "GET", "/v1/reports/register/verify", null);
    assertEquals(true, verify.json().get("intact"), verify.body());
  }

  @Test
  void anInvalidReportIsRefusedWithItsReasonsAndNothingIsRegistered() {
    String caseId = suspiciousCase();
    Exchange prepared = as(officer(), "POST", "/v1/reports/str", Map.of("case_id", caseId, "report_code", "ZZZ",
        "indicators", List.of("NOT-A-CODE")));
    assertEquals(201, prepared.status(), prepared.body());
    String reportId = (String) prepared.json().get("report_id");
    Exchange validation = as(officer(), "POST", "/v1/reports/str/" + reportId + "/validate", Map.of());
    assertEquals(false, validation.json().get("valid"));
    List<Object> codes = ApiTestSupport.list(validation.json().get("problems")).stream().map(p -> p.get("code")).toList();
    assertTrue(codes.contains("unknown_code"), validation.body());

    long before = registerRows();
    Exchange filed = as(officer(), "POST", "/v1/reports/str/" + reportId + "/file", Map.of());
    assertEquals(422, filed.status(), filed.body());
    Map<String, Object> error = ApiTestSupport.map(filed.json().get("error"));
    assertEquals("report_invalid", error.get("code"));
    assertTrue(((String) error.get("message")).contains("report_code ZZZ"), filed.body());
    assertTrue(((String) error.get("message")).contains("NOT-A-CODE"), filed.body());
    assertEquals(before, registerRows(), "nothing registered");
    assertEquals("prepared", as(officer(), "GET", "/v1/reports/str/" + reportId, null).json().get("status"));
  }

  @Test
  void aCaseWithoutTransactionsHasNoReport() {
    String account = ApiTestSupport.id("acct");
    String caseId = caseOf(List.of(decide(account, "registration", 0, null, null, null)));
    Exchange r = as(officer(), "POST", "/v1/reports/str", Map.of("case_id", caseId));
    assertEquals(409, r.status(), r.body());
    assertEquals("report_without_transactions", ApiTestSupport.map(r.json().get("error")).get("code"));
    Exchange missing = as(officer(), "POST", "/v1/reports/str", Map.of("case_id", "cas_missing"));
    assertEquals(404, missing.status(), missing.body());
    Exchange bad = as(officer(), "POST", "/v1/reports/str", Map.of("case_id", caseId, "surprise", 1));
    assertEquals(400, bad.status(), bad.body());
  }

  @Test
  void filingNeedsTheComplianceOfficersPermission() {
    String caseId = suspiciousCase();
    String reportId = (String) as(officer(), "POST", "/v1/reports/str", Map.of("case_id", caseId)).json().get("report_id");
    Signed supervisor = TestOperators.signInSteppedUp(base, TestOperators.newUsername("sup"), Set.of(Role.SUPERVISOR));
    long before = registerRows();
    Exchange filed = as(supervisor, "POST", "/v1/reports/str/" + reportId + "/file", Map.of());
    assertEquals(403, filed.status(), filed.body());
    Exchange prepare = as(supervisor, "POST", "/v1/reports/str", Map.of("case_id", caseId));
    assertEquals(403, prepare.status(), prepare.body());
    assertEquals(200, as(supervisor, "GET", "/v1/reports/register", null).status(), "reading the register needs reports.read only");
    Signed reviewer = TestOperators.signInSteppedUp(base, TestOperators.newUsername("rev"), Set.of(Role.REVIEWER));
    assertEquals(403, as(reviewer, "GET", "/v1/reports/register", null).status());
    assertEquals(before, registerRows());
  }

  @Test
  void theRegisterDetectsAChangedRow() {
    String caseId = suspiciousCase();
    String reportId = (String) as(officer(), "POST", "/v1/reports/str", Map.of("case_id", caseId)).json().get("report_id");
    Exchange filed = as(officer(), "POST", "/v1/reports/str/" + reportId + "/file", Map.of());
    assertEquals(200, filed.status(), filed.body());
    long seq = ((Number) ApiTestSupport.map(filed.json().get("register_entry")).get("seq")).longValue();
    String digest = (String) ApiTestSupport.map(filed.json().get("register_entry")).get("digest");
    Sql.update(dataSource, "UPDATE report_register SET digest = ? WHERE seq = ?", ps -> {
      ps.setString(1, "0".repeat(64));
      ps.setLong(2, seq);
    }, "tamper");
    try {
      Map<String, Object> v = as(officer(), "GET", "/v1/reports/register/verify", null).json();
      assertEquals(false, v.get("intact"), v.toString());
      assertEquals(seq, ((Number) v.get("broken_at_seq")).longValue());
    } finally {
      Sql.update(dataSource, "UPDATE report_register SET digest = ? WHERE seq = ?", ps -> {
        ps.setString(1, digest);
        ps.setLong(2, seq);
      }, "restore");
    }
    assertEquals(true, as(officer(), "GET", "/v1/reports/register/verify", null).json().get("intact"));
    List<Map<String, Object>> rows = ApiTestSupport.list(as(officer(), "GET", "/v1/reports/register?limit=1", null).json().get("data"));
    assertEquals(1, rows.size());
  }

  /** Moves the test clock to 10:00 UTC of a day after any decision so far: a day of the test's own. */
  private static LocalDate freshDay() {
    LocalDate day = LocalDate.ofInstant(TestClock.now(), ZoneOffset.UTC).plusDays(2);
    TestClock.advance(Duration.between(TestClock.now(), day.atTime(10, 0).toInstant(ZoneOffset.UTC)));
    return day;
  }

  @Test
  void businessReportNumbersAreExact() throws Exception {
    LocalDate day = freshDay();
    Map<String, Integer> count = new HashMap<>();
    Map<String, Integer> approved = new HashMap<>();
    long transferVolume = 0;
    long transferApprovedVolume = 0;
    String account = ApiTestSupport.id("acct");
    long[] amounts = {10_000, 25_050, 7_500};
    for (long amount : amounts) {
      Map<String, Object> d = decide(account, "transfer", amount, "USD", "DBBLBDDH", "BD");
      count.merge("transfer", 1, Integer::sum);
      transferVolume += amount;
      if ("ALLOW".equals(d.get("action"))) {
        approved.merge("transfer", 1, Integer::sum);
        transferApprovedVolume += amount;
      }
    }
    Map<String, Object> reg = decide(ApiTestSupport.id("acct"), "registration", 0, null, null, null);
    Exchange r = as(officer(), "GET", "/v1/reports/business?from=" + day + "&to=" + day.plusDays(1) + "&granularity=day", null);
    assertEquals(200, r.status(), r.body());
    List<Map<String, Object>> rows = ApiTestSupport.list(r.json().get("rows"));
    assertEquals(1, rows.size());
    Map<String, Object> row = rows.get(0);
    assertEquals(day.toString(), row.get("period"));
    assertEquals(3L, ((Number) row.get("transfer_count")).longValue());
    assertEquals((long) approved.getOrDefault("transfer", 0), ((Number) row.get("transfer_approved")).longValue());
    assertEquals(BigDecimal.valueOf(transferVolume, 2).toPlainString(), row.get("transfer_volume"));
    assertEquals(BigDecimal.valueOf(transferApprovedVolume, 2).toPlainString(), row.get("transfer_approved_volume"));
    assertEquals(1L, ((Number) row.get("registration_count")).longValue());
    assertEquals("ALLOW".equals(reg.get("action")) ? 1L : 0L, ((Number) row.get("registration_approved")).longValue());
    assertEquals(0L, ((Number) row.get("payment_count")).longValue());

    byte[] xlsx = download("/v1/reports/business?from=" + day + "&to=" + day.plusDays(1) + "&granularity=day&format=xlsx");
    try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
      assertEquals(3.0, wb.getSheetAt(0).getRow(1).getCell(List.copyOf(row.keySet()).indexOf("transfer_count")).getNumericCellValue());
    }
    byte[] pdf = download("/v1/reports/business?from=" + day + "&to=" + day.plusDays(1) + "&format=pdf");
    assertEquals("%PDF", new String(pdf, 0, 4, StandardCharsets.US_ASCII));
    Exchange badFormat = as(officer(), "GET", "/v1/reports/business?from=" + day + "&to=" + day.plusDays(1) + "&format=doc", null);
    assertEquals(400, badFormat.status());
    Exchange tooMany = as(officer(), "GET", "/v1/reports/business?from=2000-01-01&to=2026-01-01&granularity=day", null);
    assertEquals(400, tooMany.status(), tooMany.body());
    Exchange badDate = as(officer(), "GET", "/v1/reports/business?from=2026-13-01&to=2026-01-01", null);
    assertEquals(400, badDate.status(), badDate.body());
  }

  @Test
  void largeValueReportRefusesABeneficiaryWithoutAValidBic() {
    LocalDate day = freshDay();
    String account = ApiTestSupport.id("acct");
    Map<String, Object> good = decide(account, "transfer", 75_000, "USD", "DBBLBDDH", "BD");
    Map<String, Object> badBic = decide(account, "transfer", 60_000, "USD", "DB1LBDDH", "BD");
    Map<String, Object> noBic = decide(account, "transfer", 90_000, "USD", null, "IN");
    decide(account, "transfer", 50_000, "USD", null, null);
    decide(account, "transfer", 10_000, "USD", null, null);
    Exchange r = as(officer(), "GET", "/v1/reports/large-value?from=" + day + "&to=" + day.plusDays(1), null);
    assertEquals(200, r.status(), r.body());
    List<Map<String, Object>> rows = ApiTestSupport.list(r.json().get("rows"));
    assertEquals(3, rows.size(), "500.00 USD is not over the threshold; 100.00 neither: " + r.body());
    assertEquals(good.get("decision_id"), rows.get(0).get("decision_id"));
    assertEquals("valid", rows.get(0).get("status"));
    Map<Object, Map<String, Object>> byId = new HashMap<>();
    for (Map<String, Object> row : rows) byId.put(row.get("decision_id"), row);
    assertEquals("invalid", byId.get(badBic.get("decision_id")).get("status"));
    assertTrue(((String) byId.get(badBic.get("decision_id")).get("problem")).contains("bank code"));
    assertEquals("invalid", byId.get(noBic.get("decision_id")).get("status"));
    assertEquals(2L, ((Number) r.json().get("invalid")).longValue());
    Exchange csv = as(officer(), "GET", "/v1/reports/large-value?from=" + day + "&to=" + day.plusDays(1) + "&format=csv", null);
    assertEquals(4, csv.body().strip().split("\r\n").length, csv.body());
  }

  @Test
  void crossBorderDashboardCountsByMonth() {
    LocalDate day = freshDay();
    String account = ApiTestSupport.id("acct");
    Map<String, Object> abroad = decide(account, "transfer", 30_000, "USD", "CHASUS33XXX", "US");
    decide(account, "transfer", 20_000, "USD", "DBBLBDDH", "BD");
    String month = YearMonth.from(day).toString();
    Exchange before = as(officer(), "GET", "/v1/reports/cross-border?from=" + month + "&to=" + month, null);
    assertEquals(200, before.status(), before.body());
    Map<String, Object> row = ApiTestSupport.list(before.json().get("rows")).get(0);
    assertEquals(month, row.get("month"));
    long crossBorder = ((Number) row.get("cross_border_transactions")).longValue();
    assertTrue(crossBorder >= 1, before.body());
    decide(account, "transfer", 40_000, "USD", null, "IN");
    Map<String, Object> after = ApiTestSupport.list(as(officer(), "GET", "/v1/reports/cross-border?from=" + month + "&to=" + month, null)
        .json().get("rows")).get(0);
    assertEquals(crossBorder + 1, ((Number) after.get("cross_border_transactions")).longValue());
    assertEquals(((Number) row.get("transactions")).longValue() + 1, ((Number) after.get("transactions")).longValue());
    assertNotNull(abroad.get("decision_id"));
  }

  @Test
  void theMonthlyBatchIsPreparedAndTheReminderSentOnce() throws Exception {
    String caseId = suspiciousCase();
    cases.close(caseId, CaseVerdict.CONFIRMED_FRAUD, "fraud_confirmed", Reviewer.SYSTEM, null, Map.of());
    YearMonth month = YearMonth.from(LocalDate.ofInstant(TestClock.now(), ZoneOffset.UTC));
    ReportsProperties.Schedule settings = new ReportsProperties.Schedule(false, 10, 3, 3_600_000);
    StrSchedule schedule = new StrSchedule(strs, dataSource, email, settings, TestClock.INSTANCE);

    TestClock.advance(Duration.between(TestClock.now(), month.plusMonths(1).atDay(1).atTime(6, 0).toInstant(ZoneOffset.UTC)));
    StrSchedule.Pass first = schedule.runOnce();
    assertEquals(month, first.month());
    assertTrue(first.prepared() >= 1, first.toString());
    assertFalse(first.reminded(), "the 1st is before the reminder window (from the 7th)");
    List<Map<String, Object>> ofCase = ApiTestSupport.list(as(officer(), "GET", "/v1/reports/str?case_id=" + caseId, null).json().get("data"));
    assertEquals(1, ofCase.size());
    assertEquals("system:str-schedule", ofCase.get(0).get("prepared_by"));
    assertEquals(0, schedule.runOnce().prepared(), "a second pass prepares nothing twice");

    int mailsBefore = SMTP.getReceivedMessages().length;
    TestClock.advance(Duration.ofDays(6));
    StrSchedule.Pass reminder = schedule.runOnce();
    assertTrue(reminder.reminded(), reminder.toString());
    assertTrue(SMTP.waitForIncomingEmail(10_000, mailsBefore + 1));
    MimeMessage m = SMTP.getReceivedMessages()[mailsBefore];
    assertTrue(m.getSubject().contains(month.toString()), m.getSubject());
    assertTrue(m.getSubject().contains(month.plusMonths(1).atDay(10).toString()), m.getSubject());
    assertFalse(schedule.runOnce().reminded(), "one reminder a month");
  }

  private byte[] download(String path) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET();
    b.headers(officer().headers());
    HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    return r.body();
  }
}
