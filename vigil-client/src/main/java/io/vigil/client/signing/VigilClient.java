package io.vigil.client.signing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * A small client for Vigil on {@code java.net.http}: every request signed with an API key
 * ({@link VigilSigner}). A request identical to one this client signed before (a retry, a poll)
 * takes another second near now as its timestamp ({@link UniqueSeconds}), since the server accepts
 * each signature once. Bodies are
 * JSON bytes, sent and returned as they are: use any JSON library. Thread-safe.
 *
 * <pre>
 * VigilClient vigil = new VigilClient(URI.create("http://localhost:8080"), keyId, secret);
 * VigilClient.Reply reply = vigil.post("/v1/decisions", eventJson);
 * </pre>
 */
public final class VigilClient {
  /** Identical requests are spread over the seconds this close to now (the server accepts ±300 s by default). */
  private static final long SPREAD_SECONDS = 240;
  private final URI base;
  private final VigilSigner signer;
  private final Clock clock;
  private final HttpClient http;
  private final Duration timeout;
  private final UniqueSeconds seconds = new UniqueSeconds(SPREAD_SECONDS);

  /** Status, headers and body of an answer; an error body is {@code {"error":{type, code, message, param}}}. */
  public record Reply(int status, HttpHeaders headers, String body) {}

  public VigilClient(URI base, String keyId, String secret) {
    this(base, keyId, secret, Clock.systemUTC(), Duration.ofSeconds(10));
  }

  public VigilClient(URI base, String keyId, String secret, Clock clock, Duration timeout) {
    this.base = Objects.requireNonNull(base, "base");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.signer = new VigilSigner(keyId, secret, clock);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
  }

  public Reply get(String pathWithQuery) {
    return send("GET", pathWithQuery, null);
  }

  public Reply post(String pathWithQuery, byte[] json) {
    return send("POST", pathWithQuery, json);
  }

  public Reply post(String pathWithQuery, String json) {
    return post(pathWithQuery, json.getBytes(StandardCharsets.UTF_8));
  }

  public Reply put(String pathWithQuery, byte[] json) {
    return send("PUT", pathWithQuery, json);
  }

  public Reply delete(String pathWithQuery) {
    return send("DELETE", pathWithQuery, null);
  }

  /** One signed request; {@code pathWithQuery} as it goes on the wire (percent-encoded). */
  public Reply send(String method, String pathWithQuery, byte[] json) {
    long t = uniqueSecond(method, pathWithQuery, json);
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(pathWithQuery)).timeout(timeout);
    signer.headersAt(t, method, pathWithQuery, json).forEach(b::header);
    if (json != null) b.header("Content-Type", "application/json");
    b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(json));
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Vigil", e);
    }
  }

  private long uniqueSecond(String method, String pathWithQuery, byte[] json) {
    String content = method + "\n" + pathWithQuery + "\n" + (json == null ? "" : VigilSigner.contentDigest(json));
    return seconds.next(content, Math.floorDiv(clock.millis(), 1000));
  }
}
