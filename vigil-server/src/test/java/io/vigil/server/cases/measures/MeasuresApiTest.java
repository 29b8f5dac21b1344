package io.vigil.server.cases.measures;

import static io.vigil.server.support.CaseSeeds.assertError;
import static io.vigil.server.support.CaseSeeds.awaitCase;
import static io.vigil.server.support.CaseSeeds.timeline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import io.vigil.server.api.ServerTestBase;
import io.vigil.server.cases.CaseService;
import io.vigil.server.cases.CaseVerdict;
import io.vigil.server.cases.Reviewer;
import io.vigil.server.notify.EmailNotifier;
import io.vigil.server.security.Role;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.CaseSeeds;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators;
import io.vigil.server.support.TestSmtp;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The measures of the review loop and the daily interception review on a real server, with exact
 * numbers: four payments in CHF (answered REVIEW, each opening a case in the payments queue) and
 * four allowed USD payments; two cases closed by one reviewer (one legitimate, one fraud), the
 * other two decisions labelled through /v1/feedback (one legitimate, one fraud): 2 of 4 judged
 * interceptions legitimate. Then the daily e-mail, sent once per day by the scheduler through the
 * server's e-mail sender to a GreenMail SMTP server. Own server; sampling, the SLA sweep and the
 * production mail schedule are off so that nothing else changes the figures.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeasuresApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-measures-");
  private static final String COMPLIANCE = "compliance@example.test";
  /** How long the test waits for the e-mail worker, which sends on its own thread. */
  private static final Duration MAIL_WAIT_MAX = Duration.ofSeconds(20);
  private static final GreenMail SMTP = TestSmtp.start();

  @DynamicPropertySource
  static void ownServer(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    registry.add("vigil.reference.dir", () -> CaseSeeds.referenceWithoutChf(DATA_DIR).toString());
    registry.add("vigil.cases.sampling.allowed-payments", () -> "0");
    registry.add("vigil.cases.sla.enabled", () -> "false");
    registry.add("vigil.cases.measures.daily-review.enabled", () -> "false");
    registry.add("spring.mail.host", () -> "127.0.0.1");
    registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
    registry.add("vigil.notifications.mail.compliance", () -> COMPLIANCE);
    registry.add("vigil.notifications.mail.poll-interval", () -> "100ms");
    storeAsAsked(registry);
  }

  @AfterAll
  static void stopSmtp() {
    SMTP.stop();
  }

  @Autowired
  CaseService cases;
  @Autowired
  MeasuresService measures;
  @Autowired
  MeasuresRepository repository;
  @Autowired
  EmailNotifier email;

  /** Filled by the first test, read by the others (ordered). */
  private static Instant from;
  private static Instant to;
  private static final List<String> CASE_IDS = new ArrayList<>();
  private static final List<String> REVIEWS = new ArrayList<>();
  private static long handlingShort;
  private static long handlingLong;

  private static final String REVIEWER = "rev.ana";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Map<String, Object> measures(Instant f, Instant t) {
    ApiClient.Reply r = api.get("/v1/cases/measures?from=" + f + "&to=" + t);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object o) {
    return (List<Map<String, Object>>) o;
  }

  private static Map<String, Object> row(Object rows, String key, String value) {
    return list(rows).stream().filter(r -> value.equals(r.get(key))).findFirst().orElseThrow(() -> new AssertionError(value + " in " + rows));
  }

  private static long at(Map<String, Object> event) {
    return Instant.parse((String) event.get("at")).toEpochMilli();
  }

  /** The case's closed_at less its last assignment in the timeline. */
  private long handlingFromTimeline(String caseId) {
    List<Map<String, Object>> events = timeline(api, caseId);
    long assigned = events.stream().filter(e -> "assigned".equals(e.get("kind"))).mapToLong(MeasuresApiTest::at).max().orElseThrow();
    long closed = Instant.parse((String) CaseSeeds.caseOf(api, caseId).get("closed_at")).toEpochMilli();
    return closed - assigned;
  }

  private void label(String decisionId, String kind) {
    ApiClient.Reply r = api.post("/v1/feedback", Map.of("label_id", CaseSeeds.id("lbl"), "decision_id", decisionId, "kind", kind));
    assertTrue(r.status() == 200 || r.status() == 201, r.body());
  }

  @Test
  @Order(1)
  void falseInterceptionsReviewShareThroughputAndDeadlinesAreCountedExactly() {
    from = TestClock.now();
    List<String> accounts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String account = CaseSeeds.id("acct");
      accounts.add(account);
      REVIEWS.add(CaseSeeds.review(api, account));
      CaseSeeds.allowed(api, CaseSeeds.id("acct"));
    }
    for (String account : accounts) CASE_IDS.add((String) awaitCase(api, account).get("case_id"));
    to = TestClock.now().plusMillis(1);

    Reviewer ana = new Reviewer(REVIEWER, false);
    cases.assign(CASE_IDS.get(0), REVIEWER, ana, null);
    TestClock.advance(Duration.ofMinutes(7));
    cases.assign(CASE_IDS.get(1), REVIEWER, ana, null);
    TestClock.advance(Duration.ofMinutes(3));
    cases.close(CASE_IDS.get(0), CaseVerdict.LEGITIMATE, "customer_confirmed", ana, null, Map.of());
    cases.close(CASE_IDS.get(1), CaseVerdict.CONFIRMED_FRAUD, "stolen_card", ana, null, Map.of());
    cases.assign(CASE_IDS.get(2), "rev.ben", new Reviewer("rev.ben", false), null);
    label(REVIEWS.get(2), "legitimate");
    label(REVIEWS.get(3), "fraud");
    long h0 = handlingFromTimeline(CASE_IDS.get(0));
    long h1 = handlingFromTimeline(CASE_IDS.get(1));
    handlingShort = Math.min(h0, h1);
    handlingLong = Math.max(h0, h1);
    assertTrue(handlingLong >= Duration.ofMinutes(10).toMillis() && handlingShort >= Duration.ofMinutes(3).toMillis(), h0 + " " + h1);

    Map<String, Object> m = measures(from, to);
    assertEquals(from.toString(), m.get("from"));
    Map<String, Object> fi = map(m.get("false_interception"));
    Map<String, Object> overall = map(fi.get("overall"));
    assertEquals(Map.of("intercepted", 4, "judged", 4, "legitimate", 2, "rate", 0.5, "target", 0.05, "met", false), overall);
    Map<String, Object> rule = row(fi.get("by_rule"), "rule_id", "no_exchange_rate");
    assertEquals(4, rule.get("intercepted"));
    assertEquals(4, rule.get("judged"));
    assertEquals(2, rule.get("legitimate"));
    assertEquals(0.5, rule.get("rate"));
    assertEquals(false, rule.get("met"));
    assertEquals(List.of(Map.of("queue_id", "payments", "intercepted", 4, "judged", 4, "legitimate", 2, "rate", 0.5, "target", 0.05,
        "met", false)), fi.get("by_queue"));
    assertEquals(Map.of("decisions", 8, "reviewed", 4, "share", 0.5, "target", 0.05, "met", false), m.get("manual_review"));

    List<Map<String, Object>> reviewers = list(m.get("reviewers"));
    assertEquals(2, reviewers.size(), reviewers::toString);
    Map<String, Object> a = row(reviewers, "reviewer_id", REVIEWER);
    assertEquals(2, a.get("cases_closed"));
    // Nearest rank of two: the median is the shorter, the 90th percentile the longer.
    assertEquals(handlingShort, ((Number) a.get("handling_millis_median")).longValue());
    assertEquals(handlingLong, ((Number) a.get("handling_millis_p90")).longValue());
    assertEquals(0, a.get("cases_open_now"));
    Map<String, Object> b = row(reviewers, "reviewer_id", "rev.ben");
    assertEquals(0, b.get("cases_closed"));
    assertNull(b.get("handling_millis_median"));
    assertEquals(1, b.get("cases_open_now"));

    Map<String, Object> sla = map(m.get("sla"));
    assertEquals(2, sla.get("closed"));
    assertEquals(2, sla.get("closed_in_time"));
    assertEquals(1.0, sla.get("attainment"));
    assertEquals(List.of(Map.of("queue_id", "payments", "closed", 2, "closed_in_time", 2, "attainment", 1.0)), sla.get("by_queue"));
    assertEquals(0, sla.get("cases_breached"));
    assertEquals(0, sla.get("cases_open_past_due_now"));
    assertEquals(Map.of("confirmed_fraud", 1, "legitimate", 1, "inconclusive", 0), m.get("verdicts"));
    Map<String, Object> sampling = map(m.get("sampling"));
    assertEquals(0, sampling.get("sampled"));
    assertNull(sampling.get("fraud_share"));

    // A range that ends before the first decision holds nothing, and says so with nulls, not zeros.
    Map<String, Object> empty = measures(from.minusSeconds(3600), from);
    assertEquals(Map.of("decisions", 0, "reviewed", 0, "target", 0.05), withoutNulls(map(empty.get("manual_review"))));
    assertNull(map(map(empty.get("false_interception")).get("overall")).get("rate"));
  }

  private static Map<String, Object> withoutNulls(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>(m);
    out.values().removeIf(v -> v == null);
    return out;
  }

  @Test
  @Order(2)
  void theDailyReviewShowsTheDaysInterceptionsVerdictsWorstRulesAndOpenCases() {
    LocalDate day = LocalDate.ofInstant(from, ZoneOffset.UTC);
    assertEquals(day, LocalDate.ofInstant(to, ZoneOffset.UTC), "the seeded decisions are of one day");
    ApiClient.Reply r = api.get("/v1/cases/daily-review?date=" + day);
    assertEquals(200, r.status(), r.body());
    Map<String, Object> d = r.json();
    assertEquals(day.toString(), d.get("date"));
    assertEquals(Map.of("REVIEW", 4), d.get("intercepted_by_action"));
    assertEquals(4, row(d.get("intercepted_by_queue"), "queue_id", "payments").get("intercepted"));
    assertEquals(0.5, map(d.get("interceptions")).get("rate"));
    assertEquals(Map.of("confirmed_fraud", 1, "legitimate", 1, "inconclusive", 0), d.get("verdicts"));
    List<Map<String, Object>> worst = list(d.get("worst_rules"));
    assertTrue(worst.size() <= 10 && !worst.isEmpty(), worst::toString);
    assertEquals(0.5, row(worst, "rule_id", "no_exchange_rate").get("rate"));
    for (int i = 1; i < worst.size(); i++) {
      assertTrue(((Number) worst.get(i - 1).get("rate")).doubleValue() >= ((Number) worst.get(i).get("rate")).doubleValue(), worst::toString);
    }
    assertEquals(2, d.get("cases_still_open"));
    assertEquals(Set.of(CASE_IDS.get(2), CASE_IDS.get(3)), Set.copyOf(list(d.get("open_cases")).stream().map(c -> c.get("case_id")).toList()));

    // The day before holds nothing.
    Map<String, Object> before = api.get("/v1/cases/daily-review?date=" + day.minusDays(1)).json();
    assertEquals(Map.of(), before.get("intercepted_by_action"));
    assertEquals(0, before.get("cases_still_open"));
  }

  /** The texts of the e-mails with this subject at the SMTP server, once there is one (bounded wait); SMTP's line ends made \n. */
  private static List<String> awaitMails(String subject) throws Exception {
    long deadline = System.nanoTime() + MAIL_WAIT_MAX.toNanos();
    while (System.nanoTime() < deadline) {
      List<String> texts = new ArrayList<>();
      for (MimeMessage m : SMTP.getReceivedMessages()) {
        if (!subject.equals(m.getSubject())) continue;
        assertEquals(COMPLIANCE, m.getRecipients(Message.RecipientType.TO)[0].toString());
        texts.add(((String) m.getContent()).replace("\r\n", "\n"));
      }
      if (!texts.isEmpty()) return texts;
      Thread.sleep(50);
    }
    throw new AssertionError("no e-mail \"" + subject + "\" within " + MAIL_WAIT_MAX);
  }

  /** Moves the test clock forward to this instant (it never goes back). */
  private static void clockTo(Instant at) {
    long by = at.toEpochMilli() - TestClock.INSTANCE.millis();
    assertTrue(by > 0, "the clock is past " + at);
    TestClock.advance(Duration.ofMillis(by));
  }

  @Test
  @Order(3)
  void theDailyMailIsSentOnceADayFromItsHourAndAgainAfterAFailedHandOver() throws Exception {
    LocalDate day = LocalDate.ofInstant(from, ZoneOffset.UTC);
    Instant nextDay = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    clockTo(nextDay.plus(Duration.ofMinutes(90)));
    ReviewMailer mail = MeasuresConfiguration.mailer(email);
    DailyReviewScheduler at2 = new DailyReviewScheduler(measures, repository, mail, 2);
    assertNull(at2.runOnce(), "01:30 is before the hour");

    clockTo(nextDay.plus(Duration.ofMinutes(125)));
    assertEquals(day, at2.runOnce());
    assertNull(at2.runOnce(), "once a day");
    try (DailyReviewScheduler restarted = new DailyReviewScheduler(measures, repository, mail, 0)) {
      assertNull(restarted.runOnce(), "a restart does not send the day again");
    }
    at2.close();
    String subject = "Vigil daily interception review for " + day;
    String body = awaitMails(subject).get(0);
    assertTrue(body.startsWith("Vigil daily interception review for " + day + " (00:00 to 24:00 UTC)\n"), body);
    assertTrue(body.contains("\nIntercepted: 4\n  REVIEW: 4\n"), body);
    assertTrue(body.contains("\nBy queue (decisions in cases):\n  payments: 4\n"), body);
    assertTrue(body.contains("\nFound so far: 4 judged, 2 legitimate; false-interception rate 50.0 % (over the 5 % target)\n"), body);
    assertTrue(body.contains("\nCase verdicts: confirmed_fraud 1, legitimate 1, inconclusive 0\n"), body);
    assertTrue(body.contains("  no_exchange_rate: 50.0 % (over the 5 % target) (2 legitimate of 4 judged, 4 intercepted)\n"), body);
    assertTrue(body.contains("\nCases still open: 2\n"), body);
    assertTrue(body.contains(CASE_IDS.get(2)) && body.contains(CASE_IDS.get(3)), body);
    assertTrue(!body.contains(CASE_IDS.get(0)), "closed cases are not listed as open");

    // The next day: a mailer that fails gives the day back, and the next check sends it.
    clockTo(nextDay.plus(Duration.ofHours(27)));
    try (DailyReviewScheduler failing = new DailyReviewScheduler(measures, repository, (s, b) -> {
      throw new IllegalStateException("mail server down");
    }, 0)) {
      assertThrows(IllegalStateException.class, failing::runOnce);
    }
    try (DailyReviewScheduler again = new DailyReviewScheduler(measures, repository, mail, 0)) {
      assertEquals(day.plusDays(1), again.runOnce());
    }
    List<String> second = awaitMails("Vigil daily interception review for " + day.plusDays(1));
    assertEquals(1, second.size());
    assertTrue(second.get(0).contains("\nIntercepted: 0\n"), second.get(0));
    // The worker sends in order: with the second day's e-mail in, a second one of the first day would be too.
    assertEquals(1, awaitMails(subject).size(), "the first day once");

    // Days later, the two cases left open are past their due time (the sweep is off here: none breached).
    Map<String, Object> sla = map(measures(from, to).get("sla"));
    assertEquals(2, sla.get("cases_open_past_due_now"));
    assertEquals(0, sla.get("cases_breached"));
  }

  @Test
  @Order(4)
  void badRangesAndDatesAreRefusedNamingTheParameter() {
    Instant now = TestClock.now();
    assertError(api.get("/v1/cases/measures?from=yesterday"), 400, "invalid_request_error", "invalid_parameter", "from");
    assertError(api.get("/v1/cases/measures?to=2026-03-10"), 400, "invalid_request_error", "invalid_parameter", "to");
    assertError(api.get("/v1/cases/measures?from=" + "9".repeat(5_000)), 400, "invalid_request_error", "invalid_parameter", "from");
    assertError(api.get("/v1/cases/measures?from=" + now + "&to=" + now), 400, "invalid_request_error", "invalid_range", "to");
    assertError(api.get("/v1/cases/measures?from=" + now + "&to=" + now.minusSeconds(1)), 400, "invalid_request_error", "invalid_range",
        "to");
    assertError(api.get("/v1/cases/measures?from=" + now.minus(Duration.ofDays(94)) + "&to=" + now), 400, "invalid_request_error",
        "invalid_range", "from");
    assertEquals(200, api.get("/v1/cases/measures?from=" + now.minus(Duration.ofDays(93)) + "&to=" + now).status());
    assertError(api.get("/v1/cases/measures?from=" + now.plus(Duration.ofDays(1))), 400, "invalid_request_error", "invalid_range", "from");
    Map<String, Object> fromOnly = api.get("/v1/cases/measures?from=" + now.minus(Duration.ofDays(30))).json();
    assertEquals(now.minus(Duration.ofDays(23)).toString(), fromOnly.get("to"), "7 days from from");
    Map<String, Object> byDefault = api.get("/v1/cases/measures").json();
    assertEquals(Duration.ofDays(7).toMillis(), Instant.parse((String) byDefault.get("to")).toEpochMilli()
        - Instant.parse((String) byDefault.get("from")).toEpochMilli());
    String hostile = URLEncoder.encode("2026-03-10' OR '1'='1", StandardCharsets.UTF_8);
    for (String bad : List.of("2026-13-01", "2026-02-30", "20260310", "x", hostile, "1999-12-31",
        LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).toString())) {
      assertError(api.get("/v1/cases/daily-review?date=" + bad), 400, "invalid_request_error", "invalid_parameter", "date");
    }
    assertEquals(LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(1).toString(), api.get("/v1/cases/daily-review").json().get("date"));
  }

  @Test
  @Order(5)
  void anOperatorWithoutCasesReadIsRefused() {
    TestOperators.Signed approver = TestOperators.signIn(base, "ops.measures.approver", Set.of(Role.APPROVER));
    for (String path : List.of("/v1/cases/measures", "/v1/cases/daily-review")) {
      ApiClient.Reply r = send(path, approver.headers());
      assertError(r, 403, "permission_error", "permission_denied", "cases.read");
    }
    TestOperators.Signed analyst = TestOperators.signIn(base, "ops.measures.analyst", Set.of(Role.ANALYST));
    assertEquals(200, send("/v1/cases/measures", analyst.headers()).status());
  }

  private ApiClient.Reply send(String path, String[] headers) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).headers(headers).GET().build();
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return new ApiClient.Reply(response.statusCode(), response.body(), response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
