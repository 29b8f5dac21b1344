package io.vigil.server.console.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.api.ApiTestSupport;
import io.vigil.server.cases.CaseOrigin;
import io.vigil.server.cases.CaseService;
import io.vigil.server.cases.CaseTrigger;
import io.vigil.server.console.ConsoleBrowser;
import io.vigil.server.console.ConsoleServerBase;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.security.Role;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The Reports page in headless Chromium: a compliance officer prepares a case's STR, sees that it
 * passes every check, signs and files it with a step-up and finds it in the register; an STR with a
 * code outside the FIU's lookup set shows its reasons and offers no filing to a supervisor; the
 * cross-border dashboard counts the month's cross-border transfer.
 */
class ReportsConsoleTest extends ConsoleServerBase {
  @Autowired
  JournalRepository journal;
  @Autowired
  CaseService cases;

  private String caseWithTransfers() {
    String account = ApiTestSupport.id("acct");
    String caseId = null;
    for (String[] beneficiary : List.of(new String[] {"DBBLBDDH", "BD"}, new String[] {"CHASUS33XXX", "US"})) {
      Map<String, Object> body = new HashMap<>();
      body.put("event_id", ApiTestSupport.id("evt"));
      body.put("type", "transfer");
      body.put("occurred_at", TestClock.now().toString());
      body.put("account_id", account);
      body.put("account_country", "BD");
      body.put("amount", 42_000);
      body.put("currency", "USD");
      body.put("counterparty_id", ApiTestSupport.id("cp"));
      body.put("attributes", Map.of("beneficiary_bic", beneficiary[0], "beneficiary_country", beneficiary[1],
          "beneficiary_account", ApiTestSupport.id("ben")));
      ApiClient.Reply r = api.post("/v1/decisions", body);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      CaseTrigger t = CaseTrigger.of(journal.findByDecisionId((String) r.json().get("decision_id")).orElseThrow(), CaseOrigin.ALERT);
      caseId = cases.openOrJoin(t, "test").record().caseId();
    }
    return caseId;
  }

  @Test
  void anOfficerPreparesValidatesAndFilesACasesStr() {
    String caseId = caseWithTransfers();
    TestOperators.Signed officer = TestOperators.signIn(base, TestOperators.newUsername("co"), Set.of(Role.COMPLIANCE_OFFICER));
    ConsoleBrowser b = browser().signedInAs(officer).open("/console/dashboard");
    b.click(By.linkText("Reports"));
    b.type(By.id("str-case-id"), caseId).click(By.id("str-prepare-button"));
    b.visible(By.id("report"));
    assertThat(b.find(By.id("report-status")).getText()).isEqualTo("prepared");
    assertThat(b.find(By.id("report-valid")).getText()).isEqualTo("Passes every check.");
    assertThat(b.find(By.id("report-download")).getAttribute("href")).contains("/v1/reports/str/rpt_").endsWith("/xml");
    String reportId = b.find(By.id("report")).getAttribute("data-report-id");
    b.screenshot("reports-prepared");

    b.click(By.id("report-file"));
    b.driver().switchTo().alert().accept();
    b.visible(By.id("step-up-code"));
    b.type(By.id("step-up-code"), officer.nextCode()).click(By.id("step-up-confirm"));
    b.textContains(By.id("report-status"), "filed");
    assertThat(b.find(By.id("report-digest")).getText()).hasSize(64);
    assertThat(b.find(By.id("register-verify")).getText()).contains("intact");
    assertThat(b.find(By.cssSelector("#register-rows tr[data-report-id='" + reportId + "']")).getText())
        .contains(officer.username(), "STR", caseId);
    assertThat(b.findAll(By.id("report-file"))).as("a filed report is not filed again").isEmpty();

    String month = YearMonth.from(TestClock.now().atZone(ZoneOffset.UTC)).toString();
    String crossBorder = b.find(By.cssSelector("#cross-border-table tr[data-month='" + month + "'] .cross-border-count")).getText();
    assertThat(Long.parseLong(crossBorder)).as("the transfer to a US beneficiary").isGreaterThanOrEqualTo(1);
    assertThat(b.find(By.id("business-xlsx")).getAttribute("href")).contains("/v1/reports/business", "format=xlsx");
    b.screenshot("reports-filed");
    assertThat(b.consoleErrors()).isEmpty();
  }

  @Test
  void anInvalidReportShowsItsReasonsAndASupervisorMayNotFile() {
    String caseId = caseWithTransfers();
    TestOperators.Signed officer = TestOperators.signIn(base, TestOperators.newUsername("co"), Set.of(Role.COMPLIANCE_OFFICER));
    ConsoleBrowser b = browser().signedInAs(officer).open("/console/reports");
    b.type(By.id("str-case-id"), caseId);
    b.find(By.id("str-report-code")).clear();
    b.type(By.id("str-report-code"), "ZZZ").click(By.id("str-prepare-button"));
    b.visible(By.id("report-problems"));
    assertThat(b.find(By.id("report-problems")).getText()).contains("report/report_code", "ZZZ", "unknown_code");
    String reportId = b.find(By.id("report")).getAttribute("data-report-id");

    TestOperators.Signed supervisor = TestOperators.signIn(base, TestOperators.newUsername("sup"), Set.of(Role.SUPERVISOR));
    b = browser().signedInAs(supervisor).open("/console/reports?report_id=" + reportId);
    b.visible(By.id("report"));
    assertThat(b.findAll(By.id("report-file"))).as("no reports.file, no filing").isEmpty();
    assertThat(b.findAll(By.id("str-prepare"))).isEmpty();
    TestOperators.Signed reviewer = TestOperators.signIn(base, TestOperators.newUsername("rev"), Set.of(Role.REVIEWER));
    b = browser().signedInAs(reviewer).open("/console/dashboard");
    assertThat(b.findAll(By.linkText("Reports"))).as("the navigation hides what a role may not open").isEmpty();
    assertThat(b.consoleErrors()).isEmpty();
  }
}
