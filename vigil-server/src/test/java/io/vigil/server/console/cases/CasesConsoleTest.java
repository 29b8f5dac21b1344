package io.vigil.server.console.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.api.ServerTestBase;
import io.vigil.server.console.ConsoleBrowser;
import io.vigil.server.security.Role;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The cases screens in a real browser against a real server: a REVIEW decision's case waits in the
 * payments queue's tab, is taken with Take next, commented, given a file and moved to waiting for the
 * customer, all through the public API the page calls; a supervisor reassigns cases in bulk and sees
 * each row's result; overdue cases say so in words; the dashboard's review panel counts them. The
 * tests run in order: Take next must find only the first test's case waiting.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CasesConsoleTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-console-cases-");
  private static final String XSS = "<img src=x onerror=alert(1)>";
  private static ConsoleBrowser browser;

  /**
   * A server of its own: Take next takes the most urgent case waiting in the queue, and the review
   * panel counts every open case, so another console test's cases must not be there.
   */
  @DynamicPropertySource
  static void ownServer(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    storeAsAsked(registry);
    // No deadline sweep: the overdue cases must stay in payments, unescalated, while the test counts them.
    registry.add("vigil.cases.sla.enabled", () -> "false");
  }

  private ConsoleBrowser browser() {
    if (browser == null) browser = new ConsoleBrowser(base);
    browser.driver().manage().deleteAllCookies();
    return browser;
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) browser.close();
    browser = null;
  }

  @Test
  @Order(1)
  void aReviewDecisionsCaseIsTakenCommentedGivenAFileAndSetWaitingForTheCustomer() throws IOException {
    String account = CaseFixtures.account("take");
    String decisionId = (String) CaseFixtures.reviewPayment(api, account).get("decision_id");
    TestOperators.Signed reviewer = TestOperators.signIn(base, TestOperators.newUsername("reviewer"), Set.of(Role.REVIEWER));
    String caseId = (String) CaseFixtures.awaitCase(base, reviewer, account).get("case_id");

    ConsoleBrowser b = browser().signedInAs(reviewer).open("/console/account");
    b.click(By.linkText("Cases"));
    b.click(By.id("tab-payments"));
    assertThat(b.path()).startsWith("/console/cases?queue=payments");
    WebElement row = b.visible(By.id("case-row-" + caseId));
    assertThat(row.getText()).contains(caseId, account, "review", "Open", "—", "left");
    assertThat(row.findElement(By.linkText(caseId)).getAttribute("href")).endsWith("/console/cases/" + caseId);
    assertThat(b.findAll(By.id("bulk"))).as("bulk actions are a supervisor's").isEmpty();

    b.click(By.id("take-next-button"));
    b.waitUntil(d -> b.path().equals("/console/cases/" + caseId));
    b.textContains(By.id("case-assignee"), reviewer.username());
    assertThat(b.find(By.id("case-status")).getText()).isEqualTo("In progress");
    assertThat(b.find(By.id("case-queue")).getText()).isEqualTo("Payments");
    WebElement decision = b.find(By.id("case-decision-" + decisionId));
    assertThat(decision.getText()).contains("payment", "500.00 CZK", "REVIEW", "no_exchange_rate", "No exchange rate for CZK");
    assertThat(decision.findElement(By.linkText(decisionId)).getAttribute("href")).endsWith("/console/decisions/" + decisionId);
    assertThat(b.find(By.id("case-entities")).findElement(By.linkText(account)).getAttribute("href"))
        .endsWith("/console/accounts/" + account);
    assertThat(b.find(By.id("case-timeline")).getText()).contains("Opened in queue payments",
        "Assigned to " + reviewer.username() + " (took it with Take next)");

    // A comment, markup kept as text and its lines as lines.
    b.type(By.id("comment-text"), "Called the customer.\n" + XSS);
    b.click(By.id("comment-button"));
    b.textContains(By.id("case-timeline"), "Called the customer.");
    WebElement comment = b.find(By.cssSelector("#case-timeline li[data-kind='commented'] .comment"));
    assertThat(comment.getText()).isEqualTo("Called the customer.\n" + XSS);
    assertThat(b.findAll(By.cssSelector("#case-timeline img"))).as("markup stays text").isEmpty();

    // A file of a type the case does not take: the API's words next to the file field.
    Path dir = Files.createTempDirectory("vigil-case-files-");
    Path binary = Files.write(dir.resolve("payload.bin"), new byte[] {0, 1, 2, 3});
    b.find(By.id("upload-file")).sendKeys(binary.toString());
    b.click(By.id("upload-button"));
    WebElement fileError = b.visible(By.cssSelector("#upload-form .field-error[data-for='file']"));
    assertThat(fileError.getText()).contains("unsupported_file_type");
    assertThat(b.find(By.id("upload-file")).getAttribute("aria-invalid")).isEqualTo("true");

    // A text file: listed with a download link that answers the file.
    String statement = "Statement of the customer, 2026-03-10.\n";
    Path text = Files.writeString(dir.resolve("statement.txt"), statement);
    b.find(By.id("upload-file")).sendKeys(text.toString());
    b.click(By.id("upload-button"));
    WebElement link = b.visible(By.linkText("statement.txt"));
    String href = link.getAttribute("href");
    assertThat(href).contains("/v1/cases/" + caseId + "/attachments/");
    TestOperators.Exchange download = TestOperators.get(base, href.substring(base.length()), reviewer.headers());
    assertThat(download.status()).isEqualTo(200);
    assertThat(download.body()).isEqualTo(statement);
    assertThat(b.find(By.id("case-attachments")).getText()).contains("text/plain", statement.length() + " bytes");

    // Waiting for the customer.
    new Select(b.find(By.id("new-status"))).selectByValue("waiting_for_customer");
    b.click(By.id("status-button"));
    b.textContains(By.id("case-status"), "Waiting for customer");
    List<WebElement> entries = b.findAll(By.cssSelector("#case-timeline > li"));
    assertThat(entries.get(entries.size() - 1).getText()).as("newest last").contains("Status set to waiting for customer");
    assertThat(entries.stream().map(e -> e.getAttribute("data-kind")).toList())
        .containsSubsequence("opened", "assigned", "commented", "attachment_added", "status_changed");
    b.script("window.scrollTo(0, 0)");
    b.screenshot("case");
    assertThat(b.consoleErrors()).isEmpty();

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> timeline = (List<Map<String, Object>>) TestOperators.get(base, "/v1/cases/" + caseId + "/timeline",
        reviewer.headers()).json().get("data");
    assertThat(timeline.stream().map(e -> (String) e.get("kind")).collect(Collectors.toList()))
        .containsExactly("opened", "assigned", "commented", "attachment_added", "status_changed");
    assertThat(timeline.get(1).get("actor")).isEqualTo(reviewer.username());

    // Nothing else waits in the queue: Take next says so.
    b.open("/console/cases?queue=payments");
    b.click(By.id("take-next-button"));
    b.textContains(By.id("take-next-error"), "No case is waiting in this queue");
    assertThat(b.path()).startsWith("/console/cases?queue=payments");
  }

  @Test
  @Order(2)
  void aSupervisorReassignsSelectedCasesAndSeesEachRowsResultOverdueCasesSaySo() {
    TestOperators.Signed supervisor = TestOperators.signIn(base, TestOperators.newUsername("sup"), Set.of(Role.SUPERVISOR));
    TestOperators.Signed other = TestOperators.signIn(base, TestOperators.newUsername("other"), Set.of(Role.REVIEWER));
    // A one-minute deadline for the payments queue, so that two minutes on the cases are overdue.
    assertThat(put("/v1/case-queues/payments", "{\"deadline_minutes\": 1, \"warning_minutes\": 0}", supervisor)).isEqualTo(200);
    String[] cases = new String[3];
    try {
      for (int i = 0; i < cases.length; i++) {
        String account = CaseFixtures.account("bulk" + i);
        CaseFixtures.reviewPayment(api, account);
        cases[i] = (String) CaseFixtures.awaitCase(base, supervisor, account).get("case_id");
      }
    } finally {
      assertThat(put("/v1/case-queues/payments", "{\"deadline_minutes\": 1440, \"warning_minutes\": 240}", supervisor)).isEqualTo(200);
    }
    TestClock.advance(Duration.ofMinutes(2));
    // The third is closed (a duplicate of the first): reassigning it is refused, the others are not held back by it.
    assertThat(TestOperators.post(base, "/v1/cases/bulk", Map.of("case_ids", List.of(cases[2]), "action", "close_duplicate",
        "duplicate_of", cases[0]), supervisor.headers()).status()).isEqualTo(200);

    ConsoleBrowser b = browser().signedInAs(supervisor).open("/console/cases?queue=payments&status=all");
    WebElement first = b.visible(By.id("case-row-" + cases[0]));
    assertThat(first.getText()).contains("overdue by");
    assertThat(first.getAttribute("class")).contains("overdue");
    assertThat(b.find(By.id("case-row-" + cases[2])).getText()).contains("Closed", "closed").doesNotContain("overdue");

    b.click(By.id("bulk-apply"));
    b.textContains(By.cssSelector("#bulk [data-form-error]"), "Select one or more cases first");
    for (String id : cases) b.find(By.cssSelector("#case-row-" + id + " input.case-select")).click();
    assertThat(b.find(By.cssSelector("#bulk [data-form-error]")).getText()).as("a new selection clears the error").isEmpty();
    b.type(By.id("bulk-assignee"), other.username());
    b.click(By.id("bulk-apply"));
    b.textContains(By.id("bulk-summary"), "2 of 3 cases done.");
    b.script("window.scrollTo(0, 0)");
    b.screenshot("cases-inbox");
    assertThat(b.find(By.id("bulk-result-" + cases[0])).getText()).isEqualTo("Done");
    assertThat(b.find(By.id("bulk-result-" + cases[1])).getText()).isEqualTo("Done");
    assertThat(b.find(By.id("bulk-result-" + cases[2])).getText()).startsWith("Refused: ");
    assertThat(b.find(By.cssSelector("#case-row-" + cases[0] + " .case-assignee")).getText()).isEqualTo(other.username());
    for (int i = 0; i < 2; i++) {
      Map<String, Object> c = TestOperators.get(base, "/v1/cases/" + cases[i], supervisor.headers()).json();
      assertThat(c.get("assignee_id")).isEqualTo(other.username());
    }
    assertThat(TestOperators.get(base, "/v1/cases/" + cases[2], supervisor.headers()).json().get("assignee_id")).isNull();

    b.open("/console/cases?queue=mine");
    assertThat(b.findAll(By.id("case-row-" + cases[0]))).as("the supervisor's own cases: none of these").isEmpty();

    // The dashboard's review panel: the open cases of payments (the first test's too), two of them past due.
    @SuppressWarnings("unchecked")
    int open = ((List<Object>) TestOperators.get(base, "/v1/cases?queue_id=payments&status=active&limit=100",
        supervisor.headers()).json().get("data")).size();
    assertThat(open).isGreaterThanOrEqualTo(2);
    b.open("/console/dashboard");
    WebElement payments = b.visible(By.id("review-queue-payments"));
    assertThat(payments.findElement(By.cssSelector(".review-open")).getText()).isEqualTo(String.valueOf(open));
    assertThat(payments.findElement(By.cssSelector(".review-past-due")).getText()).isEqualTo("2 past due");
    assertThat(b.find(By.cssSelector("#stat-past-due .value")).getText()).isEqualTo("2");
    // Its measures of the last 7 days: the four REVIEW decisions all went to cases, the closed duplicate is no finding.
    Map<String, Object> measures = TestOperators.get(base, "/v1/cases/measures", supervisor.headers()).json();
    Map<String, Object> review = map(measures.get("manual_review"));
    assertThat(review.get("decisions")).isEqualTo(4);
    assertThat(review.get("reviewed")).isEqualTo(4);
    WebElement share = b.find(By.id("measure-review-share"));
    assertThat(share.findElement(By.cssSelector(".value")).getText()).isEqualTo("100.0 %");
    assertThat(share.findElement(By.cssSelector(".measure-status")).getText()).as("in words, not colour alone").isEqualTo("Over the target");
    assertThat(share.getText()).contains("target ≤ 5 %", "4 of 4 decisions went to a case");
    assertThat(share.getAttribute("class")).contains("breach");
    Map<String, Object> overall = map(map(measures.get("false_interception")).get("overall"));
    assertThat(overall.get("judged")).isEqualTo(0);
    WebElement fi = b.find(By.id("measure-false-interception"));
    assertThat(fi.findElement(By.cssSelector(".value")).getText()).isEqualTo("–");
    assertThat(fi.getText()).contains("Nothing to measure yet", overall.get("intercepted") + " intercepted; none has a verdict or label yet");
    Map<String, Object> sla = map(measures.get("sla"));
    assertThat(sla.get("closed")).isEqualTo(1);
    assertThat(sla.get("closed_in_time")).isEqualTo(0);
    WebElement attainment = b.find(By.id("measure-sla"));
    assertThat(attainment.findElement(By.cssSelector(".value")).getText()).isEqualTo("0.0 %");
    assertThat(attainment.getText()).contains("0 of 1 cases opened in the last 7 days and closed were closed by their due time");
    assertThat(sla.get("cases_open_past_due_now")).isEqualTo(2);
    WebElement breached = b.find(By.id("measure-breached"));
    assertThat(breached.findElement(By.cssSelector(".value")).getText()).isEqualTo(String.valueOf(sla.get("cases_breached")));
    assertThat(breached.getText()).contains("Open and past due now: 2.");
    assertThat(b.consoleErrors()).isEmpty();

    // The reassigned reviewer sees them under Mine; a reviewer sees no bulk actions.
    b.signedInAs(other).open("/console/cases?queue=mine");
    b.visible(By.id("case-row-" + cases[0]));
    assertThat(b.findAll(By.id("case-row-" + cases[1]))).hasSize(1);
    assertThat(b.findAll(By.id("bulk"))).isEmpty();
    assertThat(b.findAll(By.cssSelector("input.case-select"))).isEmpty();
  }

  @Test
  @Order(3)
  void aCaseThatDoesNotExistIsNotFoundAndAnAnalystSeesNoWorkForms() {
    String account = CaseFixtures.account("read");
    CaseFixtures.reviewPayment(api, account);
    TestOperators.Signed analyst = TestOperators.signIn(base, TestOperators.newUsername("analyst"), Set.of(Role.ANALYST));
    String caseId = (String) CaseFixtures.awaitCase(base, analyst, account).get("case_id");
    ConsoleBrowser b = browser().signedInAs(analyst).open("/console/cases/case_none");
    assertThat(b.find(By.id("case-missing")).getText()).isEqualTo("No case with this id");
    b.open("/console/cases/" + caseId);
    b.visible(By.id("case-facts"));
    assertThat(b.findAll(By.cssSelector("#main form"))).as("cases.read only: nothing to change").isEmpty();
    b.open("/console/cases");
    assertThat(b.findAll(By.id("take-next"))).isEmpty();
    b.open("/console/cases?queue=nonexistent");
    assertThat(b.find(By.id("filter-problem")).getText()).isEqualTo("There is no queue nonexistent.");
    TestOperators.Signed viewer = TestOperators.signIn(base, TestOperators.newUsername("viewer"), Set.of(Role.VIEWER));
    b.signedInAs(viewer).open("/console/cases");
    assertThat(b.find(By.id("refusal")).getText()).contains("cases.read");
    b.open("/console/dashboard");
    assertThat(b.findAll(By.id("review-panel"))).as("the review panel needs cases.read").isEmpty();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  /** A PUT with a JSON body in this operator's session; its status. */
  private int put(String path, String json, TestOperators.Signed as) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").headers(as.headers())
        .PUT(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      return r.statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
