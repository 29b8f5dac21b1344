package io.vigil.server.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for tests against a running Vigil. */
public final class ApiClient {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  public ApiClient(String base) {
    this.base = base;
  }

  /** Status, body text and headers of one exchange. */
  public record Reply(int status, String body, java.net.http.HttpHeaders headers) {
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
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Reply post(String path, Map<String, ?> body) {
    return post(path, JSON.writeValueAsString(body));
  }

  public Reply put(String path, Map<String, ?> body) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  /**
   * A large body sent as it is, with its content type, after {@code Expect: 100-continue}: a server
   * that refuses it at once answers before the body is sent (as curl does for any large body).
   */
  public Reply upload(String method, String path, String contentType, byte[] body) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType).expectContinue(true)
        .method(method, HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  public Reply get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  public Reply delete(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
  }

  private Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static String json(Object value) {
    return JSON.writeValueAsString(value);
  }
}
