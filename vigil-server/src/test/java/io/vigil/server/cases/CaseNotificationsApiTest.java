package io.vigil.server.cases;

import static io.vigil.server.api.ApiTestSupport.list;
import static io.vigil.server.api.ApiTestSupport.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import io.vigil.server.api.Json;
import io.vigil.server.api.ServerTestBase;
import io.vigil.server.cases.sla.SlaSweep;
import io.vigil.server.cases.sla.SlaSweepDriver;
import io.vigil.server.notify.WebhookReceivers;
import io.vigil.server.notify.WebhookReceivers.Received;
import io.vigil.server.security.Role;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.CaseSeeds;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators;
import io.vigil.server.support.TestOperators.Signed;
import io.vigil.server.support.TestSmtp;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Who hears of a case, against real parts: a GreenMail SMTP server receives the server's e-mail and a
 * JDK HTTP server its webhooks, each signature checked with the endpoint's secret. A case nearing its
 * deadline is warned once, by the {@code case.sla_warning} webhook and by e-mail to the reviewer
 * addresses naming the assignee, however often the sweep runs. Each borderline path (a case opened
 * in the compliance queue, escalated into it, closed inconclusive) e-mails compliance; a legitimate
 * close and a close as duplicate e-mail nobody. Own server: the tests move the clock by a day, and
 * the SLA sweep's own timer is slowed to an hour so that only the test's passes run.
 */
class CaseNotificationsApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-case-notify-");
  private static final String COMPLIANCE = "compliance@example.test";
  private static final String REVIEWERS = "reviewers@example.test";
  private static final long HOUR_MILLIS = 3_600_000L;
  /** How long a test waits for what runs on the server's own threads (opener, webhook and e-mail workers). */
  private static final Duration WAIT_MAX = Duration.ofSeconds(20);
  private static final long POLL_MILLIS = 50;
  /** A payment of at least this much (minor units) goes to the compliance queue in the test of that path. */
  private static final long COMPLIANCE_AMOUNT_MINOR = 654_321_00L;
  private static final GreenMail SMTP = TestSmtp.start();
  private static final WebhookReceivers RECEIVERS = WebhookReceivers.start();

  @DynamicPropertySource
  static void ownServer(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    registry.add("vigil.reference.dir", () -> CaseSeeds.referenceWithoutChf(DATA_DIR).toString());
    registry.add("vigil.cases.sla.sweep-interval-seconds", () -> "3600");
    registry.add("vigil.cases.sampling.allowed-payments", () -> "0");
    registry.add("spring.mail.host", () -> "127.0.0.1");
    registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
    registry.add("vigil.notifications.mail.from", () -> "vigil@example.test");
    registry.add("vigil.notifications.mail.compliance", () -> COMPLIANCE);
    registry.add("vigil.notifications.mail.reviewers", () -> REVIEWERS);
    registry.add("vigil.notifications.mail.poll-interval", () -> "100ms");
    registry.add("vigil.notifications.webhooks.poll-interval", () -> "100ms");
    storeAsAsked(registry);
  }

  @Autowired
  SlaSweep sweep;

  @AfterAll
  static void stopServers() {
    SMTP.stop();
    RECEIVERS.close();
  }

  // ---- the deadline warning

  @Test
  void aCaseNearingItsDeadlineIsWarnedOnceBySignedWebhookAndByEmailNamingTheAssignee() throws Exception {
    BlockingQueue<Received> got = RECEIVERS.at("/warnings", () -> 204, 0);
    Map<String, Object> endpoint = createEndpoint(RECEIVERS.url("/warnings"), List.of("case.sla_warning"));
    String secret = (String) endpoint.get("secret");
    String account = CaseSeeds.id("acct");
    Map<String, Object> c = openReviewCase(account);
    String caseId = (String) c.get("case_id");
    assertEquals("payments", c.get("queue_id"), "deadline 24 h, warning 4 h before");
    Signed reviewer = reviewer();
    TestOperators.Exchange taken = TestOperators.post(base, "/v1/cases/" + caseId + "/assignment",
        Map.of("assignee_id", reviewer.username()), reviewer.headers());
    assertEquals(200, taken.status(), taken.body());
    long due = Instant.parse((String) c.get("due_at")).toEpochMilli();

    SlaSweepDriver.runOnce(sweep);
    assertEquals(0, warningDeliveries(endpoint, caseId), "nothing before the warning time");
    clockPast(due - 4 * HOUR_MILLIS);
    SlaSweepDriver.runOnce(sweep);
    SlaSweepDriver.runOnce(sweep);

    Received delivery = awaitDelivery(got, "case.sla_warning", caseId);
    List<String> signatures = List.of(delivery.header("webhook-signature").split(" "));
    assertTrue(signatures.contains(WebhookReceivers.signature(delivery, secret)), "signed with the endpoint's secret: " + signatures);
    String otherSecret = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
    assertFalse(signatures.contains(WebhookReceivers.signature(delivery, otherSecret)), "not with another secret");
    assertTrue(delivery.header("webhook-id").startsWith("msg_"), delivery.header("webhook-id"));
    Map<String, Object> data = map(Json.readMap(delivery.body()).get("data"));
    assertEquals(Set.of("case_id", "account_id", "queue_id", "status", "priority", "origin", "due_at", "verdict", "reason_code"),
        data.keySet(), "the case, as case.sla_breached carries it");
    assertEquals(account, data.get("account_id"));
    assertEquals("payments", data.get("queue_id"));
    assertEquals("in_progress", data.get("status"));
    assertEquals(c.get("due_at"), data.get("due_at"));
    assertNull(data.get("verdict"));
    MimeMessage mail = awaitMail("Vigil case " + caseId + " is due soon");
    assertEquals(List.of(REVIEWERS), to(mail), "the reviewer addresses, not compliance");
    String body = text(mail);
    assertTrue(body.contains("Case: " + caseId + "\n"), body);
    assertTrue(body.contains("The case is due at " + c.get("due_at") + "; it is assigned to " + reviewer.username() + "."), body);
    assertFalse(body.contains(account), "no account in an e-mail: " + body);

    // Past the due time: the breach, whose e-mail is sent after any second warning would have been.
    clockPast(due);
    SlaSweepDriver.runOnce(sweep);
    SlaSweepDriver.runOnce(sweep);
    awaitMail("Vigil case " + caseId + " is past its deadline");
    assertEquals(1, mails("Vigil case " + caseId + " is due soon").size(), "one warning e-mail, one recipient");
    assertEquals(1, warningDeliveries(endpoint, caseId), "one warning delivery");
    assertEquals(1, CaseSeeds.count(CaseSeeds.timeline(api, caseId), "sla_warning"));
  }

  /** The first request of this type about this case at the receiver (bounded wait); others are passed over. */
  private static Received awaitDelivery(BlockingQueue<Received> got, String type, String caseId) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT_MAX.toNanos();
    List<Object> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      Received r = got.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
      if (r == null) continue;
      Map<String, Object> body = Json.readMap(r.body());
      seen.add(body.get("type"));
      if (type.equals(body.get("type")) && caseId.equals(map(body.get("data")).get("case_id"))) return r;
    }
    throw new AssertionError(type + " for " + caseId + " not received within " + WAIT_MAX + "; got " + seen);
  }

  /** Warning deliveries about this case in the endpoint's delivery log (written as the sweep publishes, before sending). */
  private long warningDeliveries(Map<String, Object> endpoint, String caseId) {
    ApiClient.Reply r = api.get("/v1/webhooks/deliveries?endpoint_id=" + endpoint.get("id") + "&limit=200");
    assertEquals(200, r.status(), r.body());
    return list(r.json().get("data")).stream()
        .filter(d -> "case.sla_warning".equals(d.get("event_type")))
        .filter(d -> caseId.equals(map(map(d.get("payload")).get("data")).get("case_id"))).count();
  }

  // ---- borderline cases

  @Test
  void aCaseClosedInconclusiveIsEmailedToCompliance() {
    String caseId = (String) openReviewCase(CaseSeeds.id("acct")).get("case_id");
    close(reviewer(), caseId, "inconclusive", "not_enough_information");
    MimeMessage mail = awaitMail("Vigil case " + caseId + " closed inconclusive");
    assertEquals(List.of(COMPLIANCE), to(mail));
    String body = text(mail);
    assertTrue(body.contains("not_enough_information") && body.contains("Case: " + caseId + "\n"), body);
  }

  @Test
  void aCaseEscalatedIntoTheComplianceQueueIsEmailedToCompliance() {
    String caseId = (String) openReviewCase(CaseSeeds.id("acct")).get("case_id");
    Signed reviewer = reviewer();
    TestOperators.Exchange escalated = TestOperators.post(base, "/v1/cases/" + caseId + "/escalation",
        Map.of("reason", "unusual pattern for this merchant"), reviewer.headers());
    assertEquals(200, escalated.status(), escalated.body());
    assertEquals("compliance", escalated.json().get("queue_id"), "payments escalates to compliance");
    MimeMessage mail = awaitMail("Vigil case " + caseId + " escalated to compliance");
    assertEquals(List.of(COMPLIANCE), to(mail));
    assertTrue(text(mail).contains("unusual pattern for this merchant"), text(mail));
  }

  @Test
  void aCaseOpenedInTheComplianceQueueIsEmailedToCompliance() {
    Map<String, Object> queue = api.get("/v1/case-queues/compliance").json();
    List<Map<String, Object>> seeded = list(queue.get("routing"));
    List<Map<String, Object>> routing = new ArrayList<>(seeded);
    routing.add(Map.of("event_types", List.of("payment"), "amount_minor_min", COMPLIANCE_AMOUNT_MINOR));
    assertEquals(200, api.put("/v1/case-queues/compliance", Map.of("routing", routing)).status());
    try {
      String account = CaseSeeds.id("acct");
      Map<String, Object> d = CaseSeeds.pay(api, account, COMPLIANCE_AMOUNT_MINOR, "CHF");
      assertTrue(List.of("REVIEW", "HOLD").contains(d.get("action")), d::toString);
      Map<String, Object> c = CaseSeeds.awaitCase(api, account);
      assertEquals("compliance", c.get("queue_id"), c::toString);
      String caseId = (String) c.get("case_id");
      MimeMessage mail = awaitMail("Vigil case " + caseId + " for compliance");
      assertEquals(List.of(COMPLIANCE), to(mail));
      assertFalse(text(mail).contains(account), text(mail));
    } finally {
      assertEquals(200, api.put("/v1/case-queues/compliance", Map.of("routing", seeded)).status());
    }
  }

  @Test
  void aLegitimateCloseAndACloseAsDuplicateEmailNobody() {
    String legitimate = (String) openReviewCase(CaseSeeds.id("acct")).get("case_id");
    String duplicate = (String) openReviewCase(CaseSeeds.id("acct")).get("case_id");
    String borderline = (String) openReviewCase(CaseSeeds.id("acct")).get("case_id");
    Signed reviewer = reviewer();
    close(reviewer, legitimate, "legitimate", "customer_confirmed");
    close(reviewer, duplicate, "inconclusive", "duplicate");
    // The e-mail worker sends in order on one thread: once this later e-mail is in, an earlier one would be too.
    close(reviewer, borderline, "inconclusive", "not_enough_information");
    awaitMail("Vigil case " + borderline + " closed inconclusive");
    for (String quiet : List.of(legitimate, duplicate)) {
      List<String> subjects = mailsAbout(quiet);
      assertEquals(List.of(), subjects, quiet + " e-mailed nobody");
    }
  }

  // ---- helpers

  /** A REVIEW payment (CHF, which has no exchange rate here) of a new account, and the case it opened. */
  private Map<String, Object> openReviewCase(String account) {
    CaseSeeds.review(api, account);
    return CaseSeeds.awaitCase(api, account);
  }

  /** A new reviewer, signed in and stepped up (the seeded queues have no members: every reviewer works them). */
  private Signed reviewer() {
    return TestOperators.signInSteppedUp(base, TestOperators.newUsername("rev"), Set.of(Role.REVIEWER));
  }

  private void close(Signed reviewer, String caseId, String verdict, String reasonCode) {
    TestOperators.Exchange closed = TestOperators.post(base, "/v1/cases/" + caseId + "/verdict",
        Map.of("verdict", verdict, "reason_code", reasonCode), reviewer.headers());
    assertEquals(200, closed.status(), closed.body());
  }

  private Map<String, Object> createEndpoint(String url, List<String> types) {
    return WebhookReceivers.register(api, url, "payment system", types);
  }

  /** Moves the test clock to atMillis plus a minute (it only goes forward). */
  private static void clockPast(long atMillis) {
    long by = atMillis + 60_000L - TestClock.INSTANCE.millis();
    assertTrue(by > 0, "the clock is past " + Instant.ofEpochMilli(atMillis) + " already");
    TestClock.advance(Duration.ofMillis(by));
  }

  /** The first message with this subject at the SMTP server (bounded wait). */
  private static MimeMessage awaitMail(String subject) {
    long deadline = System.nanoTime() + WAIT_MAX.toNanos();
    while (System.nanoTime() < deadline) {
      List<MimeMessage> found = mails(subject);
      if (!found.isEmpty()) return found.get(0);
      sleep();
    }
    throw new AssertionError("no e-mail \"" + subject + "\" within " + WAIT_MAX);
  }

  private static List<MimeMessage> mails(String subject) {
    return Arrays.stream(SMTP.getReceivedMessages()).filter(m -> subject.equals(subject(m))).toList();
  }

  private static List<String> mailsAbout(String caseId) {
    return Arrays.stream(SMTP.getReceivedMessages()).map(CaseNotificationsApiTest::subject).filter(s -> s.contains(caseId)).toList();
  }

  private static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> to(MimeMessage m) {
    try {
      return Arrays.stream(m.getRecipients(Message.RecipientType.TO)).map(Address::toString).toList();
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The decoded text of the e-mail, with the SMTP line ends turned back into \n. */
  private static String text(MimeMessage m) {
    try {
      return ((String) m.getContent()).replace("\r\n", "\n");
    } catch (IOException | MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
