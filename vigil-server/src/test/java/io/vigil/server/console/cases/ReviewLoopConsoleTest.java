package io.vigil.server.console.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vigil.engine.label.Verdict;
import io.vigil.server.api.Json;
import io.vigil.server.api.ServerTestBase;
import io.vigil.server.cases.sla.SlaSweep;
import io.vigil.server.cases.sla.SlaSweepDriver;
import io.vigil.server.console.ConsoleBrowser;
import io.vigil.server.decision.DecisionPipeline;
import io.vigil.server.security.Role;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators;
import io.vigil.server.support.TestSmtp;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The review loop end to end, every part real: a held payment and a REVIEW decision of one account
 * become one case in the payments queue's inbox; a reviewer signed in in a headless Chromium takes
 * it with Take next, comments and closes it with the verdict form as confirmed fraud, denying the
 * hold. Then the test checks what everybody else sees: the {@code fraud} labels through the feedback
 * API and in the live engine's label store (where training reads them), the held payment denied,
 * the signed webhooks {@code case.closed} and {@code decision.final_outcome} at a JDK HTTP server
 * (each signature checked here with the endpoint's secret), and the compliance e-mail at a GreenMail
 * SMTP server.
 */
class ReviewLoopConsoleTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-console-review-loop-");
  private static final String COMPLIANCE = "compliance@example.test";
  /** How long the test waits for what runs on the server's own threads (opener, webhook and e-mail workers). */
  private static final Duration WAIT_MAX = Duration.ofSeconds(20);
  private static final long POLL_MILLIS = 50;
  private static final GreenMail SMTP = TestSmtp.start();
  private static final Receiver RECEIVER = new Receiver();
  private static ConsoleBrowser browser;

  @Autowired
  private DecisionPipeline pipeline;
  @Autowired
  private SlaSweep slaSweep;

  /**
   * A server of its own (Take next must find this test's case only; the e-mail and webhooks go to
   * this test's servers), with the notification workers looking for work every 100 ms.
   */
  @DynamicPropertySource
  static void ownServer(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    storeAsAsked(registry);
    registry.add("spring.mail.host", () -> "127.0.0.1");
    registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
    registry.add("vigil.notifications.mail.from", () -> "vigil@example.test");
    registry.add("vigil.notifications.mail.compliance", () -> COMPLIANCE);
    registry.add("vigil.notifications.mail.poll-interval", () -> "100ms");
    registry.add("vigil.notifications.webhooks.poll-interval", () -> "100ms");
  }

  @AfterAll
  static void stopServers() {
    if (browser != null) browser.close();
    browser = null;
    SMTP.stop();
    RECEIVER.close();
  }

  @Test
  void aHeldPaymentAndAReviewOfOneAccountAreJudgedFraudInTheBrowserAndEveryoneHearsOfIt() throws Exception {
    // The payment system's webhook endpoint, registered by an administrator who proved their second factor.
    TestOperators.Signed admin = TestOperators.signInSteppedUp(base, TestOperators.newUsername("admin"), Set.of(Role.ADMINISTRATOR));
    TestOperators.Exchange endpoint = TestOperators.post(base, "/v1/webhooks/endpoints", Map.of("url", RECEIVER.url(),
        "description", "payment system", "event_types", List.of("case.opened", "case.closed", "decision.final_outcome")),
        admin.headers());
    assertThat(endpoint.status()).as(endpoint.body()).isEqualTo(201);
    String secret = (String) endpoint.json().get("secret");

    // A REVIEW (CZK has no exchange rate in the sample rates), then a held payment of the same account.
    String account = CaseFixtures.account("loop");
    TestOperators.Signed reviewer = TestOperators.signIn(base, TestOperators.newUsername("reviewer"), Set.of(Role.REVIEWER));
    Map<String, Object> review = CaseFixtures.reviewPayment(api, account);
    String reviewId = (String) review.get("decision_id");
    String caseId = (String) CaseFixtures.awaitCase(base, reviewer, account).get("case_id");
    String heldEvent = "evt_held_" + UUID.randomUUID();
    Map<String, Object> held = decide(heldEvent, account, 150_000_00L, "USD");
    assertThat(held.get("action")).as(held.toString()).isEqualTo("HOLD");
    assertThat(held.get("reasons").toString()).contains("hold.two_approvers");
    String heldId = (String) held.get("decision_id");
    Map<String, Object> grouped = await("the held payment joins the account's case", () -> {
      Map<String, Object> c = TestOperators.get(base, "/v1/cases/" + caseId, reviewer.headers()).json();
      return decisionIds(c).contains(heldId) ? Optional.of(c) : Optional.empty();
    });
    assertThat(decisionIds(grouped)).containsExactlyInAnyOrder(reviewId, heldId);
    assertThat(list(TestOperators.get(base, "/v1/cases?account_id=" + account, reviewer.headers()).json().get("data")))
        .as("one case for the account").hasSize(1);
    assertThat(grouped.get("queue_id")).isEqualTo("payments");

    // The reviewer finds it in the payments queue's inbox, takes it with Take next and comments.
    ConsoleBrowser b = browser().signedInAs(reviewer).open("/console/account");
    b.click(By.linkText("Cases"));
    b.click(By.id("tab-payments"));
    WebElement row = b.visible(By.id("case-row-" + caseId));
    assertThat(row.getText()).contains(caseId, account, "Open");
    assertThat(b.findAll(By.cssSelector("#main tbody tr[id^='case-row-']"))).as("the only case of the queue").hasSize(1);
    b.click(By.id("take-next-button"));
    b.waitUntil(d -> b.path().equals("/console/cases/" + caseId));
    b.textContains(By.id("case-assignee"), reviewer.username());
    assertThat(b.find(By.id("case-decision-" + heldId)).getText()).contains("150,000.00 USD", "HOLD", "hold.two_approvers");
    assertThat(b.find(By.id("case-decision-" + reviewId)).getText()).contains("500.00 CZK", "REVIEW");
    b.type(By.id("comment-text"), "The customer did not make either payment: card reported stolen.");
    b.click(By.id("comment-button"));
    b.textContains(By.id("case-timeline"), "card reported stolen");

    // The verdict form: confirmed fraud, deny the held payment.
    assertThat(new Select(b.find(By.id("verdict-hold"))).getFirstSelectedOption().getAttribute("value"))
        .as("the form leaves the held payment to the verdict's own default unless chosen").isEmpty();
    b.click(By.id("verdict-fraud"));
    b.type(By.id("verdict-reason"), "stolen_card");
    new Select(b.find(By.id("verdict-hold"))).selectByValue("deny");
    b.script("document.getElementById('verdict-title').scrollIntoView()");
    b.screenshot("case-verdict");
    b.click(By.id("verdict-button"));
    b.textContains(By.id("case-status"), "Closed");
    assertThat(b.find(By.id("case-verdict")).getText()).isEqualTo("confirmed_fraud");
    assertThat(b.findAll(By.id("verdict-form"))).as("a closed case has no verdict form").isEmpty();
    assertThat(b.findAll(By.cssSelector("#case-timeline > li")).stream().map(e -> e.getAttribute("data-kind")).toList())
        .contains("commented", "closed", "label_recorded", "hold_denied");
    assertThat(b.consoleErrors()).isEmpty();

    // The REVIEW's own page shows its final outcome and the case that decided it, one click from the case.
    b.click(By.cssSelector("#case-decision-" + reviewId + " a"));
    b.waitUntil(d -> b.path().equals("/console/decisions/" + reviewId));
    assertThat(b.find(By.id("final-action")).getText()).isEqualTo("DENY");
    assertThat(b.find(By.id("decision-case-" + caseId)).getText()).contains(caseId, "review", "closed", "confirmed_fraud", "stolen_card");
    b.click(By.cssSelector("#decision-case-" + caseId + " a"));
    b.waitUntil(d -> b.path().equals("/console/cases/" + caseId));

    // The labels reach the model's training data: through the feedback API and in the engine's label store.
    for (String decisionId : List.of(reviewId, heldId)) {
      List<Map<String, Object>> labels = list(api.get("/v1/feedback?decision_id=" + decisionId).json().get("data"));
      assertThat(labels).as(decisionId).hasSize(1);
      assertThat(labels.get(0).get("kind")).isEqualTo("fraud");
    }
    long now = TestClock.now().toEpochMilli();
    assertThat(pipeline.engine().labels().verdict(heldEvent, now)).isEqualTo(Verdict.FRAUD);
    assertThat(pipeline.engine().labels().verdict((String) review.get("event_id"), now)).isEqualTo(Verdict.FRAUD);

    // The held payment is denied.
    Map<String, Object> decision = api.get("/v1/decisions/" + heldId).json();
    assertThat(decision.get("final_action")).isEqualTo("DENY");
    assertThat(decision.get("settled_by")).isEqualTo("hold_rejection");
    Map<String, Object> hold = api.get("/v1/decisions/" + heldId + "/hold").json();
    assertThat(hold.get("status")).isEqualTo("rejected");
    assertThat(map(hold.get("rejection")).get("rejected_by")).isEqualTo(reviewer.username());

    // The payment system hears of it through signed webhooks.
    Received opened = RECEIVER.await("case.opened", caseId);
    assertThat(map(opened.payload().get("data")).get("decision_id")).isEqualTo(reviewId);
    Received closed = RECEIVER.await("case.closed", caseId);
    Map<String, Object> closedData = map(closed.payload().get("data"));
    assertThat(closedData.get("status")).isEqualTo("closed");
    assertThat(closedData.get("verdict")).isEqualTo("confirmed_fraud");
    assertThat(closedData.get("reason_code")).isEqualTo("stolen_card");
    assertThat(closedData.get("account_id")).isEqualTo(account);
    assertThat(list(closedData.get("decision_ids"))).containsExactlyInAnyOrder(reviewId, heldId);
    Received outcome = RECEIVER.awaitOutcome(heldId);
    Map<String, Object> outcomeData = map(outcome.payload().get("data"));
    assertThat(outcomeData.get("case_id")).isEqualTo(caseId);
    assertThat(outcomeData.get("final_action")).isEqualTo("DENY");
    assertThat(outcomeData.get("settled_by")).isEqualTo("hold_rejection");
    assertThat(outcomeData.get("hold_status")).isEqualTo("rejected");
    assertThat(outcomeData.get("verdict")).isEqualTo("confirmed_fraud");
    // The REVIEW waited for the verdict: it is denied by it, and the payment system hears so too.
    Map<String, Object> reviewed = api.get("/v1/decisions/" + reviewId).json();
    assertThat(reviewed.get("final_action")).isEqualTo("DENY");
    assertThat(reviewed.get("settled_by")).isEqualTo("review_verdict");
    Received reviewOutcome = RECEIVER.awaitOutcome(reviewId);
    assertThat(map(reviewOutcome.payload().get("data"))).containsEntry("final_action", "DENY").containsEntry("case_id", caseId)
        .containsEntry("settled_by", "review_verdict").containsEntry("verdict", "confirmed_fraud");
    for (Received r : List.of(opened, closed, outcome, reviewOutcome)) {
      assertSignedBy(r, secret);
      assertThat(Long.parseLong(r.header("webhook-timestamp"))).as("signed on the server's clock")
          .isCloseTo(TestClock.now().getEpochSecond(), within(WAIT_MAX.toSeconds()));
    }
    assertSignedByNot(closed, "whsec_" + Base64.getEncoder().encodeToString(new byte[32]));

    // Compliance hears of it by e-mail: the subject names the case, the body no account.
    MimeMessage mail = await("the confirmed-fraud e-mail at the SMTP server", () -> {
      for (MimeMessage m : SMTP.getReceivedMessages()) {
        if (subject(m).equals("Vigil case " + caseId + " closed as confirmed fraud")) return Optional.of(m);
      }
      return Optional.empty();
    });
    assertThat(mail.getRecipients(Message.RecipientType.TO)[0].toString()).isEqualTo(COMPLIANCE);
    assertThat(mail.getFrom()[0].toString()).isEqualTo("vigil@example.test");
    String body = GreenMailUtil.getBody(mail);
    assertThat(body).contains("Case: " + caseId, "stolen_card", "suspicious transaction report").doesNotContain(account);
  }

  @Test
  void aCasePastItsDeadlineIsEscalatedAndThePaymentSystemAndComplianceHearOfIt() throws Exception {
    TestOperators.Signed admin = TestOperators.signInSteppedUp(base, TestOperators.newUsername("admin"), Set.of(Role.ADMINISTRATOR));
    TestOperators.Exchange endpoint = TestOperators.post(base, "/v1/webhooks/endpoints", Map.of("url", RECEIVER.url(),
        "description", "deadlines", "event_types", List.of("case.sla_breached")), admin.headers());
    assertThat(endpoint.status()).as(endpoint.body()).isEqualTo(201);
    String secret = (String) endpoint.json().get("secret");
    String account = CaseFixtures.account("late");
    TestOperators.Signed reader = TestOperators.signIn(base, TestOperators.newUsername("reader"), Set.of(Role.ANALYST));
    CaseFixtures.reviewPayment(api, account);
    String caseId = (String) CaseFixtures.awaitCase(base, reader, account).get("case_id");

    TestClock.advance(Duration.ofHours(25)); // past the payments queue's 24 h deadline
    SlaSweepDriver.runOnce(slaSweep);

    Received breached = RECEIVER.await("case.sla_breached", caseId);
    assertSignedBy(breached, secret);
    assertThat(map(breached.payload().get("data"))).containsEntry("queue_id", "payments").containsEntry("account_id", account);
    MimeMessage mail = await("the deadline e-mail at the SMTP server", () -> {
      for (MimeMessage m : SMTP.getReceivedMessages()) {
        if (subject(m).equals("Vigil case " + caseId + " is past its deadline")) return Optional.of(m);
      }
      return Optional.empty();
    });
    assertThat(mail.getRecipients(Message.RecipientType.TO)[0].toString()).isEqualTo(COMPLIANCE);
    assertThat(GreenMailUtil.getBody(mail)).contains("Case: " + caseId).doesNotContain(account);
    Map<String, Object> escalated = api.get("/v1/cases/" + caseId).json();
    assertThat(escalated.get("status")).isEqualTo("escalated");
    assertThat(escalated.get("queue_id")).isEqualTo("compliance");
  }

  private ConsoleBrowser browser() {
    if (browser == null) browser = new ConsoleBrowser(base);
    browser.driver().manage().deleteAllCookies();
    return browser;
  }

  /** A payment of this account, decided through the API as the payment system sends it. */
  private Map<String, Object> decide(String eventId, String account, long amountMinor, String currency) {
    Map<String, Object> body = new HashMap<>();
    body.put("event_id", eventId);
    body.put("type", "payment");
    body.put("occurred_at", TestClock.daytime().toString());
    body.put("account_id", account);
    body.put("amount", amountMinor);
    body.put("currency", currency);
    body.put("auth", Map.of("method", "password", "assurance_level", 1));
    ApiClient.Reply r = api.post("/v1/decisions", body);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private static List<String> decisionIds(Map<String, Object> c) {
    return list(c.get("decisions")).stream().map(d -> (String) map(d).get("decision_id")).toList();
  }

  /** Waits (bounded) until the supplier has a value: the server's workers run on their own threads. */
  private static <T> T await(String what, Supplier<Optional<T>> found) {
    long deadline = System.nanoTime() + WAIT_MAX.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<T> v = found.get();
      if (v.isPresent()) return v.get();
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError(what + ": not within " + WAIT_MAX);
  }

  private static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Checks the Standard Webhooks signature as a receiver does: HMAC-SHA256 over id.timestamp.body with the secret. */
  private static void assertSignedBy(Received r, String secret) throws GeneralSecurityException {
    assertThat(List.of(r.header("webhook-signature").split(" "))).as(r.payload().get("type") + " signed with the endpoint's secret")
        .contains(signature(r, secret));
  }

  private static void assertSignedByNot(Received r, String secret) throws GeneralSecurityException {
    assertThat(List.of(r.header("webhook-signature").split(" "))).doesNotContain(signature(r, secret));
  }

  private static String signature(Received r, String secret) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
    String signed = r.header("webhook-id") + "." + r.header("webhook-timestamp") + "." + r.body();
    return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> list(Object o) {
    return (List<T>) o;
  }

  /** One webhook request as received: its headers (first value of each, lower-case names), its raw body and the body parsed. */
  record Received(Map<String, String> headers, String body, Map<String, Object> payload) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** The payment system's webhook receiver: a JDK HTTP server on 127.0.0.1 that keeps every request and answers 204. */
  static final class Receiver implements AutoCloseable {
    private final HttpServer server;
    private final List<Received> got = new CopyOnWriteArrayList<>();

    Receiver() {
      try {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      server.createContext("/vigil-events", this::answer);
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/vigil-events";
    }

    private void answer(HttpExchange exchange) throws IOException {
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Map<String, String> headers = new LinkedHashMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
      got.add(new Received(headers, body, Json.readMap(body)));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    }

    /** The decision.final_outcome event of this decision (bounded wait). */
    Received awaitOutcome(String decisionId) {
      Predicate<Received> match = r -> "decision.final_outcome".equals(r.payload().get("type"))
          && decisionId.equals(map(r.payload().get("data")).get("decision_id"));
      return ReviewLoopConsoleTest.await("webhook decision.final_outcome for " + decisionId + " (got " + types() + ")",
          () -> got.stream().filter(match).findFirst());
    }

    /** The event of this type about this case (bounded wait). */
    Received await(String type, String caseId) {
      Predicate<Received> match = r -> type.equals(r.payload().get("type")) && caseId.equals(map(r.payload().get("data")).get("case_id"));
      return ReviewLoopConsoleTest.await("webhook " + type + " for " + caseId + " (got " + types() + ")",
          () -> got.stream().filter(match).findFirst());
    }

    private List<Object> types() {
      List<Object> out = new ArrayList<>();
      for (Received r : got) out.add(r.payload().get("type"));
      return out;
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
