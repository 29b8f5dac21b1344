package io.vigil.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.server.journal.JournalRepository;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import io.vigil.server.support.OperatorSession;
import io.vigil.server.support.TestAuth;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Slow clients cannot starve decisions: a server with a deliberately small request pool and lanes,
 * short read deadlines and a small per-client bound, against connections that trickle their
 * headers or bodies a byte at a time (each attacker from its own loopback address), while
 * ordinary decisions flow from another.
 */
class SlowClientsApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-slow-");
  private static final int THREADS_MAX = 24;
  private static final int CLIENT_REQUESTS_MAX = 8;
  private static final long READ_TIMEOUT_MILLIS = 1_000;
  private static final long DEADLINE_MILLIS = 2_000;
  /** Tomcat looks for connections past their read timeout once a second. */
  private static final long TIMEOUT_CHECK_MILLIS = 1_000;
  /** Slower than any honest client, but never silent long enough for the read timeout. */
  private static final long TRICKLE_MILLIS = 300;

  @Autowired
  JournalRepository journal;

  @DynamicPropertySource
  static void smallLimits(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    registry.add("server.tomcat.threads.max", () -> THREADS_MAX);
    registry.add("vigil.http.decision-concurrency-max", () -> 4);
    registry.add("vigil.http.admin-concurrency-max", () -> 2);
    registry.add("vigil.http.permit-wait-millis", () -> 1);
    registry.add("vigil.http.read-timeout-millis", () -> READ_TIMEOUT_MILLIS);
    registry.add("vigil.http.header-deadline-millis", () -> DEADLINE_MILLIS);
    registry.add("vigil.http.body-deadline-millis", () -> DEADLINE_MILLIS);
    registry.add("vigil.http.upload-deadline-millis", () -> DEADLINE_MILLIS);
    registry.add("vigil.http.client-requests-max", () -> CLIENT_REQUESTS_MAX);
  }

  @Test
  void decisionsFlowWhileMoreSlowBodiesThanRequestThreadsTrickleInAndEachIsClosedAtItsDeadline() throws Exception {
    long before = journal.count();
    // 4 clients × 8 = 32 slow decision bodies: more than the 24 request threads and the 4 decision places.
    List<Socket> slow = new ArrayList<>();
    for (int client = 0; client < 4; client++) {
      for (int i = 0; i < CLIENT_REQUESTS_MAX; i++) {
        Socket socket = connectFrom("127.0.0." + (10 + client));
        send(socket, head("POST", "/v1/decisions", 2_000) + "{");
        slow.add(socket);
      }
    }
    long started = System.nanoTime();
    ExecutorService trickler = Executors.newSingleThreadExecutor();
    Future<?> trickling = trickler.submit(() -> trickle(slow, "\"a\":1,"));
    try {
      int decided = 0;
      long slowestMillis = 0;
      while (System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(DEADLINE_MILLIS + 500)) {
        long t0 = System.nanoTime();
        ApiClient.Reply r = api.post("/v1/decisions", Events.payment("evt_slow_body_beside_" + decided, "acct_slow", 700));
        assertEquals(200, r.status(), r.body());
        slowestMillis = Math.max(slowestMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        decided++;
      }
      assertTrue(decided >= 20, "decisions kept flowing: " + decided);
      assertTrue(slowestMillis < 2_000, "no decision waited behind the slow bodies: slowest " + slowestMillis + " ms");

      for (Socket socket : slow) {
        String answer = answer(socket, DEADLINE_MILLIS + 2 * READ_TIMEOUT_MILLIS);
        assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
        assertTrue(answer.contains("\"code\":\"body_timeout\""), answer);
      }
      long closedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertTrue(closedAfterMillis < DEADLINE_MILLIS + 2 * READ_TIMEOUT_MILLIS,
          "every slow body was refused and closed within its deadline: " + closedAfterMillis + " ms");
      assertEquals(before + decided, journal.count(), "exactly the complete decisions are stored, no half-read one");
    } finally {
      trickling.cancel(true);
      trickler.shutdownNow();
      for (Socket s : slow) s.close();
    }
  }

  @Test
  void aDecisionBodyThatFallsSilentIsRefusedAfterTheReadTimeout() throws Exception {
    long before = journal.count();
    try (Socket socket = connectFrom("127.0.0.21")) {
      send(socket, head("POST", "/v1/decisions", 2_000) + "{\"event_id\":");
      long started = System.nanoTime();
      String answer = answer(socket, 2 * DEADLINE_MILLIS);
      long closedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
      assertTrue(answer.contains("\"code\":\"body_timeout\""), answer);
      assertTrue(closedMillis < READ_TIMEOUT_MILLIS + TIMEOUT_CHECK_MILLIS + 500, "refused after " + closedMillis + " ms");
    }
    assertEquals(before, journal.count());
  }

  @Test
  void aSlowBodyOnAnAdministrativeRouteIsRefusedAtItsDeadline() throws Exception {
    OperatorSession.forServer(base); // signed in before the connection opens, not while it waits
    try (Socket socket = connectFrom("127.0.0.20")) {
      send(socket, head("POST", "/v1/rules", 2_000) + "{");
      long started = System.nanoTime();
      ExecutorService trickler = Executors.newSingleThreadExecutor();
      Future<?> trickling = trickler.submit(() -> trickle(List.of(socket), " "));
      try {
        String answer = answer(socket, DEADLINE_MILLIS + 2 * READ_TIMEOUT_MILLIS);
        assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
        assertTrue(answer.contains("\"code\":\"body_timeout\""), answer);
        assertTrue(System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(DEADLINE_MILLIS + 2 * READ_TIMEOUT_MILLIS));
      } finally {
        trickling.cancel(true);
        trickler.shutdownNow();
      }
    }
  }

  @Test
  void oneClientHoldsAtMostItsShareOfRequestsInProgress() throws Exception {
    String address = "127.0.0.30";
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < CLIENT_REQUESTS_MAX; i++) {
        Socket socket = connectFrom(address);
        send(socket, head("POST", "/v1/decisions", 2_000) + "{");
        held.add(socket);
      }
      Thread.sleep(200); // let the server take them in
      try (Socket extra = connectFrom(address)) {
        send(extra, head("GET", "/v1/decisions?limit=1", 0));
        String answer = answer(extra, 2_000);
        assertTrue(answer.startsWith("HTTP/1.1 429"), answer);
        assertTrue(answer.contains("Retry-After: 1"), answer);
        assertTrue(answer.contains("\"type\":\"overloaded_error\""), answer);
        assertTrue(answer.contains("\"code\":\"client_busy\""), answer);
      }
      // Another client is not affected.
      ApiClient.Reply other = api.post("/v1/decisions", Events.payment("evt_slow_other_client", "acct_slow_other", 500));
      assertEquals(200, other.status(), other.body());
    } finally {
      for (Socket s : held) s.close();
    }
    // Its places come back when its requests end.
    String answer = "";
    for (int attempt = 0; attempt < 30 && !answer.startsWith("HTTP/1.1 200"); attempt++) {
      try (Socket again = connectFrom(address)) {
        send(again, head("GET", "/v1/decisions?limit=1", 0));
        answer = answer(again, 2_000);
      }
      if (!answer.startsWith("HTTP/1.1 200")) Thread.sleep(100);
    }
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
  }

  @Test
  void headersThatTrickleInHoldNoThreadAndArePastTheirDeadlineWhenTheyEnd() throws Exception {
    List<Socket> slow = new ArrayList<>();
    for (int i = 0; i < 2 * THREADS_MAX; i++) {
      Socket socket = connectFrom("127.0.0." + (40 + i % 6));
      send(socket, "POST /v1/decisions HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
      slow.add(socket);
    }
    long started = System.nanoTime();
    ExecutorService trickler = Executors.newSingleThreadExecutor();
    Future<?> trickling = trickler.submit(() -> trickle(slow, "a"));
    try {
      for (int i = 0; i < 20; i++) {
        ApiClient.Reply r = api.post("/v1/decisions", Events.payment("evt_slow_header_beside_" + i, "acct_slow_headers", 900));
        assertEquals(200, r.status(), r.body());
      }
      // A silent connection is closed after the read timeout.
      try (Socket silent = connectFrom("127.0.0.50")) {
        send(silent, "GET /v1/decisions HTTP/1.1\r\nHost: local");
        long t0 = System.nanoTime();
        assertEquals(-1, silent.getInputStream().read(), "a silent connection is closed without an answer");
        long closedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(closedMillis < READ_TIMEOUT_MILLIS + TIMEOUT_CHECK_MILLIS + 500, "closed after " + closedMillis + " ms");
      }
      long left = TimeUnit.MILLISECONDS.toNanos(DEADLINE_MILLIS + 200) - (System.nanoTime() - started);
      if (left > 0) TimeUnit.NANOSECONDS.sleep(left);
    } finally {
      trickling.cancel(true);
      trickler.shutdownNow();
    }
    try {
      Thread.sleep(2 * TRICKLE_MILLIS); // the trickler has stopped writing
      for (Socket socket : slow) send(socket, "\r\nContent-Length: 2\r\n\r\n{}");
      for (Socket socket : slow) {
        String answer = answer(socket, 2_000);
        assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
        assertTrue(answer.contains("\"code\":\"header_timeout\""), answer);
      }
    } finally {
      for (Socket s : slow) s.close();
    }
  }

  private Socket connectFrom(String localAddress) throws IOException {
    Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(localAddress), 0);
    socket.setSoTimeout(10_000);
    return socket;
  }

  /** The head of a request with the test credentials (a body here is never sent whole: its digest is of a stand-in). */
  private String head(String method, String path, int contentLength) {
    StringBuilder credentials = new StringBuilder();
    for (String line : TestAuth.headerLines(base, method, path, contentLength > 0 ? new byte[] {'x'} : null)) {
      credentials.append(line).append("\r\n");
    }
    return method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + (contentLength > 0 ? "Content-Length: " + contentLength + "\r\n" : "") + credentials + "Connection: close\r\n\r\n";
  }

  private static void send(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  /** Writes {@code piece} to every socket every {@link #TRICKLE_MILLIS}, until interrupted; a closed socket is left. */
  private static void trickle(List<Socket> sockets, String piece) {
    List<Socket> open = new ArrayList<>(sockets);
    while (!Thread.currentThread().isInterrupted() && !open.isEmpty()) {
      open.removeIf(socket -> {
        try {
          send(socket, piece);
          return false;
        } catch (IOException e) {
          return true;
        }
      });
      try {
        Thread.sleep(TRICKLE_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Everything the server sends until it closes the connection, within waitMillis. */
  private static String answer(Socket socket, long waitMillis) throws IOException {
    socket.setSoTimeout((int) waitMillis);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[4_096];
    try {
      for (int n; (n = in.read(buffer)) > 0; ) all.write(buffer, 0, n);
    } catch (SocketTimeoutException e) {
      return "(not closed within " + waitMillis + " ms) " + all.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(reset: " + e.getMessage() + ") " + all.toString(StandardCharsets.UTF_8);
    }
    return all.toString(StandardCharsets.UTF_8);
  }
}
