package io.vigil.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small HTTP client for tests against a running Vigil. Every request carries credentials
 * ({@link TestAuth}): the test key's signature, or an operator session for operator-only routes.
 */
public final class ApiClient {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  public ApiClient(String base) {
    this.base = base;
  }

  /** Status, body text and headers of one exchange. */
  public record Reply(int status, String body, HttpHeaders headers) {
    @SuppressWarnings("unchecked")
    public Map<String, Object> json() {
      return JSON.readValue(body, Map.class);
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> error() {
      return (Map<String, Object>) json().get("error");
    }
  }

  public Reply post(String path, String body) {
    return send("POST", path, "application/json", body.getBytes(StandardCharsets.UTF_8), false);
  }

  public Reply post(String path, Map<String, ?> body) {
    return post(path, JSON.writeValueAsString(body));
  }

  public Reply put(String path, Map<String, ?> body) {
    return send("PUT", path, "application/json", JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8), false);
  }

  /**
   * A large body sent as it is, with its content type, after {@code Expect: 100-continue}: a server
   * that refuses it at once answers before the body is sent (as curl does for any large body).
   */
  public Reply upload(String method, String path, String contentType, byte[] body) {
    return send(method, path, contentType, body, true);
  }

  public Reply get(String path) {
    return send("GET", path, null, null, false);
  }

  public Reply delete(String path) {
    return send("DELETE", path, null, null, false);
  }

  /** A request with its credentials ({@link TestAuth}). */
  public Reply send(String method, String path, String contentType, byte[] body, boolean expectContinue) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    List<String> auth = TestAuth.headers(base, method, path, body);
    if (!auth.isEmpty()) b.headers(auth.toArray(String[]::new));
    if (contentType != null) b.header("Content-Type", contentType);
    if (expectContinue) b.expectContinue(true);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    return send(b);
  }

  /** Sends a request as built, adding nothing (tests of authentication itself). */
  public Reply sendAsIs(HttpRequest.Builder request) {
    return send(request);
  }

  private Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String base() {
    return base;
  }

  public static String json(Object value) {
    return JSON.writeValueAsString(value);
  }
}
