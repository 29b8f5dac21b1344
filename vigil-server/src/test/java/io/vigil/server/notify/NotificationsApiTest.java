package io.vigil.server.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.server.api.ServerTestBase;
import io.vigil.server.notify.WebhookReceivers.Received;
import io.vigil.server.security.Role;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators;
import io.vigil.server.support.TestOperators.Signed;
import io.vigil.server.support.TestSmtp;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * E-mail and webhooks against real parts: a GreenMail SMTP server receives the server's e-mail, a
 * closed port refuses it; JDK HTTP servers receive webhooks, and the test checks each signature with
 * its own HMAC from the secret the creation answered, then answers 500, 302 or nothing in time to
 * see the retries. The workers poll hourly here: the test drives them with {@code runDueOnce()} and
 * moves the test clock past the back-off.
 */
class NotificationsApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-notify-");
  private static final GreenMail SMTP = TestSmtp.start();
  private static final WebhookReceivers RECEIVERS = WebhookReceivers.start();

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    storeAsAsked(registry);
    registry.add("spring.mail.host", () -> "127.0.0.1");
    registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
    registry.add("vigil.notifications.mail.from", () -> "vigil@example.test");
    registry.add("vigil.notifications.mail.compliance", () -> "compliance@example.test");
    registry.add("vigil.notifications.mail.poll-interval", () -> "1h");
    registry.add("vigil.notifications.webhooks.poll-interval", () -> "1h");
    registry.add("vigil.notifications.webhooks.connect-timeout", () -> "400ms");
    registry.add("vigil.notifications.webhooks.request-timeout", () -> "400ms");
  }

  @Autowired
  private EmailNotifier email;
  @Autowired
  private WebhookNotifier webhooks;
  @Autowired
  private WebhookWorker worker;
  @Autowired
  private WebhookEndpoints endpoints;
  @Autowired
  private WebhookDeliveryStore deliveries;
  @Autowired
  private HikariDataSource dataSource;
  @Autowired
  private Clock clock;
  @Autowired
  private NotificationProperties properties;

  @AfterAll
  static void stopServers() {
    SMTP.stop();
    RECEIVERS.close();
  }

  /** Each test's endpoints go, so no test's event reaches another's receiver. */
  @AfterEach
  void deleteEndpoints() {
    for (WebhookEndpointStore.Row r : endpoints.store().all()) assertEquals(200, api.delete("/v1/webhooks/endpoints/" + r.endpointId()).status());
  }

  // ---- e-mail ----

  @Test
  void anEmailReachesTheSmtpServerAndIsRecordedSent() throws Exception {
    String id = email.send(List.of("compliance@example.test", "lead@example.test"), "Borderline case cas_1", "Case cas_1 needs a look.",
        "case.borderline");
    assertNotNull(id);
    email.runDueOnce();
    assertTrue(SMTP.waitForIncomingEmail(5_000, 2), "one message per recipient at the SMTP server");
    MimeMessage m = SMTP.getReceivedMessages()[0];
    assertEquals("Borderline case cas_1", m.getSubject());
    assertEquals("vigil@example.test", m.getFrom()[0].toString());
    assertTrue(GreenMailUtil.getBody(m).contains("Case cas_1 needs a look."), GreenMailUtil.getBody(m));
    EmailDeliveries.Row row = email.deliveries().find(id).orElseThrow();
    assertEquals(EmailDeliveries.Status.SENT, row.status());
    assertEquals(1, row.attempts());
    assertEquals(2, row.recipients());
    assertNotNull(row.sentAtMillis());
    assertEquals(List.of("compliance@example.test"), email.complianceAddresses());
    ApiClient.Reply health = api.get("/actuator/health");
    assertFalse(health.body().contains("\"mail\""), "the SMTP server is not part of Vigil's health: " + health.body());
  }

  @Test
  void withoutSmtpAnEmailIsRecordedSkippedAndBadInputIsRecordedNotThrown() {
    EmailNotifier off = new EmailNotifier(new EmailDeliveries(dataSource), null, clock, properties.mail());
    assertFalse(off.enabled());
    EmailDeliveries.Row skipped = off.deliveries().find(off.send(List.of("a@example.test"), "Daily review", "text", "daily_review"))
        .orElseThrow();
    assertEquals(EmailDeliveries.Status.SKIPPED, skipped.status());
    assertEquals(0, skipped.attempts());

    EmailDeliveries.Row badAddress = email.deliveries().find(email.send(List.of("not an address"), "S", "text", "case.borderline"))
        .orElseThrow();
    assertEquals(EmailDeliveries.Status.FAILED, badAddress.status());
    assertEquals("recipient 1 is not an e-mail address", badAddress.lastError());
    EmailDeliveries.Row noOne = email.deliveries().find(email.send(List.of(), "S", "text", "case.borderline")).orElseThrow();
    assertEquals(EmailDeliveries.Status.SKIPPED, noOne.status());
    EmailDeliveries.Row badKind = email.deliveries().find(email.send(List.of("a@example.test"), "S", "text", "Bad Kind!")).orElseThrow();
    assertEquals("unknown", badKind.kind());
    assertEquals(EmailDeliveries.Status.FAILED, badKind.status());
    assertNotNull(email.send(null, null, null, null), "nothing thrown into the caller");
  }

  @Test
  void aRefusedSmtpConnectionIsRetriedAfterTheBackoffThenFails() throws Exception {
    JavaMailSenderImpl closed = new JavaMailSenderImpl();
    closed.setHost("127.0.0.1");
    closed.setPort(closedPort());
    closed.getJavaMailProperties().put("mail.smtp.connectiontimeout", "1000");
    NotificationProperties.Mail twoTries = new NotificationProperties.Mail("vigil@example.test", List.of(), List.of(), 2,
        Duration.ofHours(1), 10);
    EmailDeliveries store = new EmailDeliveries(dataSource);
    try (EmailWorker w = new EmailWorker(closed, store, clock, twoTries)) {
      EmailNotifier notifier = new EmailNotifier(store, w, clock, twoTries);
      String id = notifier.send(List.of("a@example.test"), "Case opened", "text", "case.opened");
      notifier.runDueOnce();
      EmailDeliveries.Row first = store.find(id).orElseThrow();
      assertEquals(EmailDeliveries.Status.PENDING, first.status());
      assertEquals(1, first.attempts());
      assertEquals("MailSendException", first.lastError());
      assertEquals(0, notifier.runDueOnce(), "not due before the back-off");
      TestClock.advance(Backoff.after(1).plusSeconds(1));
      assertEquals(1, notifier.runDueOnce());
      EmailDeliveries.Row last = store.find(id).orElseThrow();
      assertEquals(EmailDeliveries.Status.FAILED, last.status());
      assertEquals(2, last.attempts());
    }
  }

  // ---- webhooks ----

  @Test
  void aDeliveryCarriesAStandardWebhooksSignatureOfTheSecretShownOnce() throws Exception {
    BlockingQueue<Received> got = RECEIVERS.at("/signed", () -> 200, 0);
    Map<String, Object> created = create(RECEIVERS.url("/signed"), List.of("case.opened"));
    String secret = (String) created.get("secret");
    String endpointId = (String) created.get("id");
    assertTrue(secret.startsWith("whsec_"), secret);
    assertEquals(32, Base64.getDecoder().decode(secret.substring(6)).length);
    ApiClient.Reply read = api.get("/v1/webhooks/endpoints/" + endpointId);
    assertEquals(200, read.status(), read.body());
    assertFalse(read.body().contains(secret.substring(6)), "the secret is shown once");
    assertFalse(read.body().contains("secret\""), read.body());

    assertEquals(0, webhooks.publish(WebhookEventTypes.CASE_CLOSED, Map.of("case_id", "cas_x")), "not subscribed");
    assertEquals(1, webhooks.publish(WebhookEventTypes.CASE_OPENED, Map.of("case_id", "cas_1", "priority", 2)));
    worker.runDueOnce();
    Received r = got.poll(5, TimeUnit.SECONDS);
    assertNotNull(r, "the receiver got the event");
    assertSignedBy(r, secret);
    assertTrue(r.header("webhook-id").startsWith("msg_"), r.header("webhook-id"));
    assertEquals(clock.millis() / 1000, Long.parseLong(r.header("webhook-timestamp")), 5.0);
    Map<String, Object> body = io.vigil.server.api.Json.readMap(r.body());
    assertEquals("case.opened", body.get("type"));
    assertEquals(Map.of("case_id", "cas_1", "priority", 2), body.get("data"));
    assertNotNull(body.get("timestamp"));
    Map<String, Object> delivery = onlyDelivery(endpointId);
    assertEquals(r.header("webhook-id"), delivery.get("id"));
    assertEquals("delivered", delivery.get("status"));
    assertEquals(1, delivery.get("attempts"));
    assertEquals(200, delivery.get("last_status_code"));

    ApiClient.Reply rotated = api.post("/v1/webhooks/endpoints/" + endpointId + "/rotate-secret", Map.of("overlap_seconds", 600));
    assertEquals(200, rotated.status(), rotated.body());
    String newSecret = (String) rotated.json().get("secret");
    assertNotEquals(secret, newSecret);
    webhooks.publish(WebhookEventTypes.CASE_OPENED, Map.of("case_id", "cas_2"));
    worker.runDueOnce();
    Received during = got.poll(5, TimeUnit.SECONDS);
    assertNotNull(during);
    assertSignedBy(during, newSecret);
    assertSignedBy(during, secret);
    assertEquals(2, during.header("webhook-signature").split(" ").length, "both secrets sign during the overlap");

    ApiClient.Reply audit = api.get("/v1/audit?entity_type=endpoint&entity_id=" + endpointId);
    assertEquals(200, audit.status(), audit.body());
    assertTrue(((List<?>) audit.json().get("data")).size() >= 3, "created, read and rotated: " + audit.body());
    assertFalse(audit.body().contains(secret.substring(6)), "no secret in the audit trail");
    assertFalse(audit.body().contains(newSecret.substring(6)), "no secret in the audit trail");
    assertTrue(audit.body().contains(RECEIVERS.url("/signed")), audit.body());
  }

  @Test
  void aServerErrorIsRetriedAfterTheBackoffEvenByAFreshWorker() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    BlockingQueue<Received> got = RECEIVERS.at("/flaky", () -> calls.incrementAndGet() == 1 ? 500 : 200, 0);
    String endpointId = (String) create(RECEIVERS.url("/flaky"), List.of("*")).get("id");
    assertEquals(1, webhooks.publish(WebhookEventTypes.CASE_SLA_BREACHED, Map.of("case_id", "cas_3")));
    worker.runDueOnce();
    Map<String, Object> first = onlyDelivery(endpointId);
    assertEquals("pending", first.get("status"));
    assertEquals(1, first.get("attempts"));
    assertEquals(500, first.get("last_status_code"));
    assertEquals("status 500", first.get("last_error"));
    assertEquals(0, worker.runDueOnce(), "not due before the back-off of 5 s");
    TestClock.advance(Backoff.after(1).plusSeconds(1));
    // A worker made anew (as after a restart) finds the pending delivery in the table.
    try (WebhookWorker fresh = new WebhookWorker(deliveries, endpoints, clock, properties.webhooks())) {
      assertEquals(1, fresh.runDueOnce());
    }
    Map<String, Object> second = onlyDelivery(endpointId);
    assertEquals("delivered", second.get("status"));
    assertEquals(2, second.get("attempts"));
    assertNotNull(second.get("delivered_at"));
    Received a = got.poll(5, TimeUnit.SECONDS);
    Received b = got.poll(5, TimeUnit.SECONDS);
    assertNotNull(b);
    assertEquals(a.header("webhook-id"), b.header("webhook-id"), "the same webhook-id on every attempt");
  }

  @Test
  void aSlowEndpointTimesOutAndARedirectIsNotFollowed() throws Exception {
    RECEIVERS.at("/slow", () -> 200, 1_500);
    BlockingQueue<Received> moved = RECEIVERS.at("/moved", () -> 302, 0);
    String slow = (String) create(RECEIVERS.url("/slow"), List.of("case.closed")).get("id");
    String redirect = (String) create(RECEIVERS.url("/moved"), List.of("case.closed")).get("id");
    assertEquals(2, webhooks.publish(WebhookEventTypes.CASE_CLOSED, Map.of("case_id", "cas_4", "verdict", "legitimate")));
    worker.runDueOnce(); // the 1.5 s answer is cut at the 400 ms timeout (no timing assertion here: "timeout" below says so)
    Map<String, Object> timedOut = onlyDelivery(slow);
    assertEquals("pending", timedOut.get("status"));
    assertEquals("timeout", timedOut.get("last_error"));
    assertNull(timedOut.get("last_status_code"));
    Map<String, Object> redirected = onlyDelivery(redirect);
    assertEquals("pending", redirected.get("status"));
    assertEquals(302, redirected.get("last_status_code"));
    assertEquals("redirect not followed (status 302)", redirected.get("last_error"));
    assertEquals(1, moved.size(), "one request, no follow-up to the Location");
  }

  @Test
  void afterTheLastAttemptADeliveryFailsAndARetryByHandSendsItAgain() throws Exception {
    AtomicInteger status = new AtomicInteger(503);
    RECEIVERS.at("/down", status::get, 0);
    String endpointId = (String) create(RECEIVERS.url("/down"), List.of("decision.final_outcome")).get("id");
    webhooks.publish(WebhookEventTypes.DECISION_FINAL_OUTCOME, Map.of("decision_id", "dec_1", "outcome", "released"));
    int attemptsMax = properties.webhooks().attemptsMax();
    for (int attempt = 1; attempt <= attemptsMax; attempt++) {
      // The round is this call's, or the worker's own (woken by the event) that this call waits for.
      worker.runDueOnce();
      // Read from the table: the clock moves hours here, and each API call would sign the test's operator in again.
      assertEquals(attempt, deliveries.newest(endpointId, null, 2).get(0).attempts());
      TestClock.advance(Backoff.after(attempt).plusSeconds(1));
    }
    assertEquals(0, worker.runDueOnce());
    Map<String, Object> failed = onlyDelivery(endpointId);
    assertEquals("failed", failed.get("status"));
    assertEquals(attemptsMax, failed.get("attempts"));
    ApiClient.Reply listed = api.get("/v1/webhooks/deliveries?status=failed&endpoint_id=" + endpointId + "&limit=5");
    assertEquals(1, ((List<?>) listed.json().get("data")).size(), listed.body());

    status.set(204);
    ApiClient.Reply retried = api.post("/v1/webhooks/deliveries/" + failed.get("id") + "/retry", "{}");
    assertEquals(200, retried.status(), retried.body());
    assertEquals("pending", retried.json().get("status"));
    worker.runDueOnce();
    assertEquals("delivered", onlyDelivery(endpointId).get("status"));
    ApiClient.Reply again = api.post("/v1/webhooks/deliveries/" + failed.get("id") + "/retry", "{}");
    assertEquals(409, again.status(), again.body());
    assertEquals("webhook_delivery_not_retryable", again.error().get("code"));
  }

  @Test
  void anEndpointWithTooManyPendingDeliveriesGetsTheNextEventRecordedFailed() {
    String endpointId = (String) create(RECEIVERS.url("/never-sent"), List.of("case.opened")).get("id");
    WebhookWorker idle = new WebhookWorker(deliveries, endpoints, clock, properties.webhooks());
    idle.close(); // its wake-ups are refused: nothing is sent
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    WebhookNotifier limited = new WebhookNotifier(endpoints.store(), deliveries, idle, clock, 1, meters);
    assertEquals(1, limited.publish(WebhookEventTypes.CASE_OPENED, Map.of("case_id", "cas_5")));
    assertEquals(0, limited.publish(WebhookEventTypes.CASE_OPENED, Map.of("case_id", "cas_6")));
    assertEquals(1.0, meters.counter("vigil.webhooks.deliveries.refused").count());
    // Both rows carry the same test-clock time, so "newest first" may list them either way: find each by its status.
    List<WebhookDeliveryStore.Row> rows = deliveries.newest(endpointId, null, 10);
    assertEquals(2, rows.size());
    WebhookDeliveryStore.Row refused = rows.stream().filter(r -> r.status() == WebhookDeliveryStore.Status.FAILED).findFirst()
        .orElseThrow(() -> new AssertionError("no refused delivery in " + rows));
    assertEquals(WebhookNotifier.PENDING_LIMIT, refused.lastError());
    assertEquals(0, refused.attempts());
    assertEquals(1, rows.stream().filter(r -> r.status() == WebhookDeliveryStore.Status.PENDING).count(), rows::toString);
    assertThrows(IllegalArgumentException.class, () -> webhooks.publish("case.deleted", Map.of()));
  }

  @Test
  void endpointsAreChangedDisabledAndDeleted() {
    String endpointId = (String) create("https://hooks.example.test/vigil", List.of("case.opened", "case.closed")).get("id");
    ApiClient.Reply changed = api.put("/v1/webhooks/endpoints/" + endpointId,
        Map.of("enabled", false, "description", "payments team", "event_types", List.of("*")));
    assertEquals(200, changed.status(), changed.body());
    assertEquals(false, changed.json().get("enabled"));
    assertEquals(List.of("*"), changed.json().get("event_types"));
    assertEquals("payments team", changed.json().get("description"));
    assertEquals(0, webhooks.publish(WebhookEventTypes.CASE_OPENED, Map.of("case_id", "cas_7")), "a disabled endpoint gets nothing");
    ApiClient.Reply list = api.get("/v1/webhooks/endpoints");
    assertTrue(list.body().contains(endpointId), list.body());
    assertEquals(200, api.delete("/v1/webhooks/endpoints/" + endpointId).status());
    ApiClient.Reply gone = api.get("/v1/webhooks/endpoints/" + endpointId);
    assertEquals(404, gone.status());
    assertEquals("webhook_endpoint_not_found", gone.error().get("code"));
  }

  @Test
  void hostileInputIsRefusedNamingTheField() {
    String ok = RECEIVERS.url("/x");
    List<String> thousand = new ArrayList<>(Collections.nCopies(1000, "case.opened"));
    refused(Map.of("url", "not a url", "event_types", List.of("*")), "invalid_url", "url");
    refused(Map.of("url", "javascript:alert(1)", "event_types", List.of("*")), "invalid_url", "url");
    refused(Map.of("url", "ftp://files.example.test/x", "event_types", List.of("*")), "invalid_url", "url");
    refused(Map.of("url", "https://user:pw@hooks.example.test/", "event_types", List.of("*")), "invalid_url", "url");
    refused(Map.of("url", "/relative/path", "event_types", List.of("*")), "invalid_url", "url");
    refused(Map.of("url", "https://hooks.example.test/" + "a".repeat(2100), "event_types", List.of("*")), "value_too_long", "url");
    refused(Map.of("url", ok, "description", "d".repeat(257), "event_types", List.of("*")), "value_too_long", "description");
    refused(Map.of("url", ok, "event_types", List.of("case.deleted")), "invalid_value", "event_types[0]");
    refused(Map.of("url", ok, "event_types", thousand), "too_many_items", "event_types");
    refused(Map.of("url", ok, "event_types", List.of()), "missing_field", "event_types");
    refused(Map.of("url", ok, "event_types", "case.opened"), "wrong_type", "event_types");
    refused(Map.of("url", ok), "missing_field", "event_types");
    refused(Map.of("url", ok, "event_types", List.of("*"), "secret", "whsec_mine"), "unknown_field", "secret");
    refused(Map.of("url", 42, "event_types", List.of("*")), "wrong_type", "url");
    ApiClient.Reply badId = api.get("/v1/webhooks/endpoints/whe_'%20OR%201=1");
    assertEquals(400, badId.status(), badId.body());
    assertEquals("endpoint_id", badId.error().get("param"));
    ApiClient.Reply badLimit = api.get("/v1/webhooks/deliveries?limit=100000");
    assertEquals("limit", badLimit.error().get("param"), badLimit.body());
    ApiClient.Reply badStatus = api.get("/v1/webhooks/deliveries?status=lost");
    assertEquals("status", badStatus.error().get("param"), badStatus.body());
    assertEquals(0, endpoints.store().all().size(), "nothing was stored");
  }

  @Test
  void aViewerMayNotManageWebhooks() {
    Signed viewer = TestOperators.signInSteppedUp(base, TestOperators.newUsername("viewer"), Set.of(Role.VIEWER));
    for (String[] route : new String[][] {{"GET", "/v1/webhooks/endpoints"}, {"GET", "/v1/webhooks/deliveries"},
        {"POST", "/v1/webhooks/endpoints"}}) {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + route[1])).headers(viewer.headers())
          .header("Content-Type", "application/json");
      b.method(route[0], route[0].equals("GET") ? HttpRequest.BodyPublishers.noBody()
          : HttpRequest.BodyPublishers.ofString("{\"url\":\"https://x.example.test\",\"event_types\":[\"*\"]}"));
      ApiClient.Reply r = api.sendAsIs(b);
      assertEquals(403, r.status(), route[1] + " " + r.body());
      assertEquals("permission_denied", r.error().get("code"));
    }
    assertEquals(0, endpoints.store().all().size());
  }

  @Test
  void anAdministratorNeedsAFreshStepUpToCreateAnEndpointOrChangeItsUrl() {
    String endpointId = (String) create("https://hooks.example.test/a", List.of("*")).get("id");
    Signed admin = TestOperators.signIn(base, TestOperators.newUsername("admin"), Set.of(Role.ADMINISTRATOR));
    String body = "{\"url\":\"https://hooks.example.test/b\",\"event_types\":[\"*\"]}";
    ApiClient.Reply created = as(admin, "POST", "/v1/webhooks/endpoints", body);
    assertEquals(403, created.status(), created.body());
    assertEquals("step_up_required", created.error().get("code"));
    ApiClient.Reply moved = as(admin, "PUT", "/v1/webhooks/endpoints/" + endpointId, "{\"url\":\"https://elsewhere.example.test/\"}");
    assertEquals("step_up_required", moved.error().get("code"), moved.body());
    ApiClient.Reply rotated = as(admin, "POST", "/v1/webhooks/endpoints/" + endpointId + "/rotate-secret", "{}");
    assertEquals("step_up_required", rotated.error().get("code"), rotated.body());
    ApiClient.Reply described = as(admin, "PUT", "/v1/webhooks/endpoints/" + endpointId, "{\"description\":\"renamed\"}");
    assertEquals(200, described.status(), described.body());
    assertEquals("https://hooks.example.test/a", described.json().get("url"));
    assertEquals(1, endpoints.store().all().size());
  }

  private ApiClient.Reply as(Signed operator, String method, String path, String json) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).headers(operator.headers())
        .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
    return api.sendAsIs(b);
  }

  private Map<String, Object> create(String url, List<String> types) {
    return WebhookReceivers.register(api, url, "test receiver", types);
  }

  private void refused(Map<String, Object> body, String code, String param) {
    ApiClient.Reply r = api.post("/v1/webhooks/endpoints", body);
    assertEquals(400, r.status(), r.body());
    assertEquals(code, r.error().get("code"), r.body());
    assertEquals(param, r.error().get("param"), r.body());
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> onlyDelivery(String endpointId) {
    ApiClient.Reply r = api.get("/v1/webhooks/deliveries?endpoint_id=" + endpointId);
    assertEquals(200, r.status(), r.body());
    List<Map<String, Object>> data = (List<Map<String, Object>>) r.json().get("data");
    assertEquals(1, data.size(), r.body());
    return data.get(0);
  }

  /** Checks the signature header with an HMAC computed here from the secret, as a receiver would. */
  private static void assertSignedBy(Received r, String secret) throws Exception {
    String expected = WebhookReceivers.signature(r, secret);
    List<String> given = List.of(r.header("webhook-signature").split(" "));
    assertTrue(given.contains(expected), "signature " + given + " is not " + expected);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
