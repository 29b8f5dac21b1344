package io.vigil.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.server.journal.JournalRepository;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import io.vigil.server.support.TestAuth;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Overload is shed, not queued: a server with deliberately small lanes, request pool and admission
 * budget, driven past them by many concurrent clients, slow clients and stalled uploads.
 */
class OverloadApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-overload-");
  private static final int THREADS_MAX = 24;
  private static final int DECISION_PERMITS = 4;
  private static final int ADMIN_PERMITS = 2;
  private static final long ADMISSION_BUDGET_MILLIS = 300;

  @Autowired
  JournalRepository journal;

  @DynamicPropertySource
  static void smallLimits(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    registry.add("server.tomcat.threads.max", () -> THREADS_MAX);
    registry.add("vigil.http.decision-concurrency-max", () -> DECISION_PERMITS);
    registry.add("vigil.http.admin-concurrency-max", () -> ADMIN_PERMITS);
    registry.add("vigil.http.permit-wait-millis", () -> 1);
    registry.add("vigil.decisions.admission-budget-millis", () -> ADMISSION_BUDGET_MILLIS);
    registry.add("vigil.decisions.overload-fallback-action", () -> "DENY");
  }

  @Test
  void manyConcurrentClientsGetFast503sAndOnlyAcceptedDecisionsAreStored() throws Exception {
    int clients = 48;
    int perClient = 15;
    long before = journal.count();
    ConcurrentLinkedQueue<ApiClient.Reply> accepted = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<ApiClient.Reply> refused = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> refusedEventIds = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<ApiClient.Reply> other = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        done.add(pool.submit(() -> {
          ApiClient own = new ApiClient(base);
          for (int i = 0; i < perClient; i++) {
            String eventId = "evt_ovl_" + client + "_" + i;
            ApiClient.Reply r = own.post("/v1/decisions", Events.payment(eventId, "acct_ovl_" + client, 1_000));
            if (r.status() == 200) accepted.add(r);
            else if (r.status() == 503) {
              refused.add(r);
              refusedEventIds.add(eventId);
            } else other.add(r);
          }
        }));
      }
      for (Future<?> f : done) f.get(120, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertTrue(other.isEmpty(), () -> "unexpected answers: " + other.peek());
    assertFalse(accepted.isEmpty(), "some decisions are accepted under overload");
    assertFalse(refused.isEmpty(), "48 clients against 4 decision permits: some are shed");
    for (ApiClient.Reply r : refused) assertOverloaded(r, "DENY");
    for (ApiClient.Reply r : accepted) assertNotNull(r.json().get("decision_id"));
    assertEquals(before + accepted.size(), journal.count(), "exactly the accepted decisions are stored");

    // A refused event was not stored: its retry is decided fresh, not replayed.
    ApiClient.Reply retry = retryUntilAccepted(refusedEventIds.peek());
    assertEquals("false", retry.headers().firstValue("Idempotent-Replayed").orElseThrow());
  }

  @Test
  void aRequestPastItsAdmissionBudgetIsRefusedNotDecided() throws Exception {
    String eventId = "evt_ovl_late";
    byte[] body = ApiClient.json(Events.payment(eventId, "acct_ovl_late", 2_000)).getBytes(StandardCharsets.UTF_8);
    long before = journal.count();
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(headers("POST", "/v1/decisions", body, body.length).getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // The request arrived with its headers; its body comes after the whole budget has passed.
      Thread.sleep(2 * ADMISSION_BUDGET_MILLIS);
      out.write(body);
      out.flush();
      String response = readAll(socket.getInputStream());
      assertTrue(response.startsWith("HTTP/1.1 503"), response);
      assertTrue(response.contains("Retry-After: 1"), response);
      assertTrue(response.contains("\"code\":\"overloaded\""), response);
      assertTrue(response.contains("admission budget"), response);
      assertTrue(response.contains("(configured fallback action: DENY)"), response);
    }
    assertEquals(before, journal.count(), "a late request is not stored");
    assertEquals("false", retryUntilAccepted(eventId).headers().firstValue("Idempotent-Replayed").orElseThrow());
  }

  @Test
  void stalledUploadsHoldingEveryAdminPermitDoNotBlockDecisions() throws Exception {
    // More stalled uploads than the server has request threads: without lanes they would take them all.
    List<Socket> uploads = new ArrayList<>();
    try {
      for (int i = 0; i < THREADS_MAX + 8; i++) {
        Socket socket = new Socket("localhost", port);
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write(headers("PUT", "/v1/models/ovl_stalled_" + i, null, 50_000_000).getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[1_024]);
        out.flush();
        uploads.add(socket);
      }
      Thread.sleep(500); // let the server take them all in
      // Every upload beyond the admin lane got its 503 at once; those holding its permits wait for their bodies.
      int refused = 0;
      for (Socket upload : uploads) if (statusLine(upload).startsWith("HTTP/1.1 503")) refused++;
      assertEquals(uploads.size() - ADMIN_PERMITS, refused);

      ApiClient.Reply admin = api.get("/v1/decisions?limit=1");
      assertEquals(503, admin.status(), admin.body());
      assertEquals("overloaded", admin.error().get("code"));
      assertEquals("1", admin.headers().firstValue("Retry-After").orElseThrow());

      for (int i = 0; i < 20; i++) {
        ApiClient.Reply r = api.post("/v1/decisions", Events.payment("evt_ovl_beside_uploads_" + i, "acct_ovl_uploads", 500));
        assertEquals(200, r.status(), r.body());
      }
      ApiClient.Reply health = api.get("/actuator/health");
      assertEquals(200, health.status(), health.body());
    } finally {
      for (Socket s : uploads) s.close();
    }
  }

  private ApiClient.Reply retryUntilAccepted(String eventId) throws InterruptedException {
    String account = "acct_ovl_retry";
    for (int attempt = 0; attempt < 50; attempt++) {
      ApiClient.Reply r = api.post("/v1/decisions", Events.payment(eventId, account, 1_000));
      if (r.status() == 200) return r;
      assertOverloaded(r, "DENY");
      Thread.sleep(100);
    }
    throw new AssertionError("a lone retry was never accepted");
  }

  private static void assertOverloaded(ApiClient.Reply r, String advice) {
    assertEquals(503, r.status(), r.body());
    assertEquals("1", r.headers().firstValue("Retry-After").orElse(null), "Retry-After on a 503");
    Map<String, Object> error = r.error();
    assertEquals("overloaded_error", error.get("type"));
    assertEquals("overloaded", error.get("code"));
    assertTrue(((String) error.get("message")).endsWith("(configured fallback action: " + advice + ")"), r.body());
  }

  /** The head of a request with the test credentials; body null for one never sent whole (its digest is of a stand-in). */
  private String headers(String method, String path, byte[] body, long contentLength) {
    StringBuilder credentials = new StringBuilder();
    for (String line : TestAuth.headerLines(base, method, path, body == null ? new byte[] {'x'} : body)) {
      credentials.append(line).append("\r\n");
    }
    return method + " " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + contentLength + "\r\n" + credentials + "Connection: close\r\n\r\n";
  }

  /** The status line the server sent on {@code socket}, or "" when it sent nothing within two seconds. */
  private static String statusLine(Socket socket) throws IOException {
    socket.setSoTimeout(2_000);
    byte[] buffer = new byte[12];
    try {
      int n = socket.getInputStream().readNBytes(buffer, 0, buffer.length);
      return new String(buffer, 0, n, StandardCharsets.US_ASCII);
    } catch (SocketTimeoutException e) {
      return "";
    }
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    in.transferTo(bytes);
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
