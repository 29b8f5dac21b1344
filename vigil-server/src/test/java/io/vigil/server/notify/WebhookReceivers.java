package io.vigil.server.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vigil.server.support.ApiClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Real HTTP receivers for webhook tests (the JDK's HttpServer on 127.0.0.1): each path answers with
 * the statuses a test gives, in turn, and keeps every request it got. {@link #signature} computes a
 * request's Standard Webhooks signature from the endpoint's secret, as a receiver checks it.
 */
public final class WebhookReceivers implements AutoCloseable {
  /** One request as received: the headers (lower-case names) and the raw body. */
  public record Received(Map<String, List<String>> headers, String body) {
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
      }
      return null;
    }
  }

  private final HttpServer server;
  private final ExecutorService threads = new ThreadPoolExecutor(4, 4, 10, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64));

  public WebhookReceivers() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.setExecutor(threads);
    server.start();
  }

  /** Starts one, for a test class's static field; the class closes it when it is done. */
  public static WebhookReceivers start() {
    try {
      return new WebhookReceivers();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Registers a webhook endpoint for these event types through the API (201 expected); the endpoint as answered. */
  public static Map<String, Object> register(ApiClient api, String url, String description, List<String> types) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("url", url);
    body.put("description", description);
    body.put("event_types", types);
    ApiClient.Reply r = api.post("/v1/webhooks/endpoints", body);
    assertEquals(201, r.status(), r.body());
    return r.json();
  }

  /** A receiver at path answering the status the supplier gives for each request, after delayMillis. */
  public BlockingQueue<Received> at(String path, IntSupplier status, long delayMillis) {
    BlockingQueue<Received> got = new LinkedBlockingQueue<>();
    server.createContext(path, exchange -> answer(exchange, got, status.getAsInt(), delayMillis));
    return got;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private static void answer(HttpExchange exchange, BlockingQueue<Received> got, int status, long delayMillis) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      got.add(new Received(Map.copyOf(exchange.getRequestHeaders()), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    }
    if (delayMillis > 0) {
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (status >= 300 && status < 400) exchange.getResponseHeaders().add("Location", "http://127.0.0.1:1/elsewhere");
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  /**
   * The signature a receiver expects in {@code webhook-signature} for this request and secret
   * ({@code whsec_} and base64): {@code v1,} and the base64 HMAC-SHA256 of {@code id.timestamp.body}.
   */
  public static String signature(Received r, String secret) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
    String signed = r.header("webhook-id") + "." + r.header("webhook-timestamp") + "." + r.body();
    return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
