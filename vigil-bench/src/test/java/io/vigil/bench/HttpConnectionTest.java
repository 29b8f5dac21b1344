package io.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.client.signing.VigilSigner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpConnectionTest {
  /** A raw server that answers each request on a connection with the next canned response. */
  static final class CannedServer implements AutoCloseable {
    final ServerSocket server = new ServerSocket(0);
    final List<String> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    final Thread thread;

    CannedServer(List<String> responses) throws IOException {
      thread = new Thread(() -> {
        int next = 0;
        try {
          while (next < responses.size()) {
            try (Socket s = server.accept()) {
              connections.incrementAndGet();
              InputStream in = s.getInputStream();
              OutputStream out = s.getOutputStream();
              while (next < responses.size()) {
                String request = readRequest(in);
                if (request == null) break;
                requests.add(request);
                String response = responses.get(next++);
                out.write(response.getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (response.contains("Connection: close") || !response.contains("\r\n\r\n")
                    || response.startsWith("HTTP/1.0")) {
                  break;
                }
              }
            }
          }
        } catch (IOException ignored) {
          // server closed
        }
      });
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return server.getLocalPort();
    }

    static String readRequest(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int c = in.read();
        if (c < 0) return null;
        head.write(c);
        matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
      }
      String text = head.toString(StandardCharsets.US_ASCII);
      int length = 0;
      for (String line : text.split("\r\n")) {
        if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
      }
      byte[] body = in.readNBytes(length);
      return text + new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  CannedServer server;

  @AfterEach
  void tearDown() throws IOException {
    if (server != null) server.close();
  }

  @Test
  void readsContentLengthChunkedAndContinueResponsesOnOneConnection() throws Exception {
    server = new CannedServer(List.of(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"a\":\"xyz\"}",
        "HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\n{\"b\"\r\n3\r\n:1}\r\n0\r\nX-Trailer: t\r\n\r\n",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 400 Bad Request\r\ncontent-length: 2\r\n\r\n{}",
        "HTTP/1.1 204 No Content\r\n\r\n"));
    try (HttpConnection c = new HttpConnection("127.0.0.1", server.port(), 1_000, 2_000)) {
      assertThat(c.post("/v1/decisions", "{\"x\":1}".getBytes(StandardCharsets.UTF_8))).isEqualTo(200);
      assertThat(c.post("/v1/decisions", "{}".getBytes(StandardCharsets.UTF_8))).isEqualTo(503);
      assertThat(c.post("/v1/decisions", "{}".getBytes(StandardCharsets.UTF_8))).isEqualTo(400);
      assertThat(c.post("/v1/decisions", "{}".getBytes(StandardCharsets.UTF_8))).isEqualTo(204);
      assertThat(c.connectsTotal()).isEqualTo(1);
    }
    String first = server.requests.get(0);
    assertThat(first).startsWith("POST /v1/decisions HTTP/1.1\r\n")
        .contains("Host: 127.0.0.1:" + server.port() + "\r\n")
        .contains("Content-Type: application/json\r\n")
        .contains("Content-Length: 7\r\n")
        .endsWith("\r\n\r\n{\"x\":1}");
  }

  @Test
  void signsEachRequestOverMethodPathAndBodyDigest() throws Exception {
    server = new CannedServer(List.of("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    Clock clock = Clock.fixed(Instant.parse("2026-03-10T14:00:00Z"), ZoneOffset.UTC);
    VigilSigner signer = new VigilSigner("vk_bench", "generated-test-secret-" + System.nanoTime(), clock);
    byte[] body = "{\"event_id\":\"e1\"}".getBytes(StandardCharsets.UTF_8);
    try (HttpConnection c = new HttpConnection("127.0.0.1", server.port(), 1_000, 2_000, signer)) {
      assertThat(c.post("/v1/decisions", body)).isEqualTo(200);
    }
    String request = server.requests.get(0);
    String digest = VigilSigner.contentDigest(body);
    long t = clock.instant().getEpochSecond();
    assertThat(request).contains("Vigil-Key-Id: vk_bench\r\n")
        .contains("Content-Digest: " + digest + "\r\n")
        .contains("Vigil-Signature: t=" + t + ",v1=" + signer.signature(t, "POST", "/v1/decisions", digest) + "\r\n")
        .endsWith("\r\n\r\n{\"event_id\":\"e1\"}");
  }

  @Test
  void reconnectsAfterConnectionCloseAndCloseDelimitedBodies() throws Exception {
    server = new CannedServer(List.of(
        "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}",
        "HTTP/1.0 200 OK\r\n\r\nbody until close",
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    try (HttpConnection c = new HttpConnection("127.0.0.1", server.port(), 1_000, 2_000)) {
      for (int i = 0; i < 3; i++) assertThat(c.post("/v1/decisions", new byte[] {'{', '}'})).isEqualTo(200);
      assertThat(c.connectsTotal()).isEqualTo(3);
    }
  }

  @Test
  void retriesOnceWhenAReusedConnectionWasClosedByTheServer() throws Exception {
    // The server answers one request, then drops the connection without saying so.
    ServerSocket raw = new ServerSocket(0);
    AtomicInteger accepted = new AtomicInteger();
    Thread t = new Thread(() -> {
      try {
        while (true) {
          try (Socket s = raw.accept()) {
            accepted.incrementAndGet();
            CannedServer.readRequest(s.getInputStream());
            s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
          }
        }
      } catch (IOException ignored) {
        // closed
      }
    });
    t.setDaemon(true);
    t.start();
    try (raw; HttpConnection c = new HttpConnection("127.0.0.1", raw.getLocalPort(), 1_000, 2_000)) {
      assertThat(c.post("/", new byte[0])).isEqualTo(200);
      Thread.sleep(100);
      assertThat(c.post("/", new byte[0])).isEqualTo(200);
      assertThat(c.connectsTotal()).isEqualTo(2);
    }
  }

  @Test
  void refusedConnectionIsAConnectError() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (HttpConnection c = new HttpConnection("127.0.0.1", port, 1_000, 1_000)) {
      assertThatThrownBy(() -> c.post("/", new byte[0])).isInstanceOf(ConnectException.class)
          .satisfies(e -> assertThat(LoadWorker.kindOf((Exception) e)).isEqualTo(ErrorCounts.CONNECT_ERROR));
    }
  }

  @Test
  void parsesStatusLines() throws Exception {
    assertThat(HttpConnection.parseStatus("HTTP/1.1 503 Service Unavailable")).isEqualTo(503);
    assertThat(HttpConnection.parseStatus("HTTP/1.1 200")).isEqualTo(200);
    assertThatThrownBy(() -> HttpConnection.parseStatus("SSH-2.0")).isInstanceOf(IOException.class);
  }
}
