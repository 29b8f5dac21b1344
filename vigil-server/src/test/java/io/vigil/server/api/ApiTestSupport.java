package io.vigil.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestAuth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Helpers shared by the API tests: ids, generated card numbers, raw requests, error assertions. */
public final class ApiTestSupport {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private ApiTestSupport() {}

  /**
   * A unique identifier. UUID groups are joined with '_' (not '-') so that no run of 13 or more
   * decimal digits can form: the server's card-number detector treats '-' as a digit-group
   * separator, and a random all-digit UUID stretch could otherwise pass the Luhn check.
   */
  public static String id(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace('-', '_');
  }

  /** A Luhn-valid 16-digit number built from {@code body15} by computing its check digit. */
  static String luhn(String body15) {
    if (body15.length() != 15) throw new IllegalArgumentException();
    return luhnAny(body15);
  }

  /** A 13-digit Luhn-valid number from 12 digits. */
  static String luhn13(String body12) {
    if (body12.length() != 12) throw new IllegalArgumentException();
    return luhnAny(body12);
  }

  private static String luhnAny(String body15) {
    if (!body15.chars().allMatch(Character::isDigit)) throw new IllegalArgumentException();
    int sum = 0;
    // With the check digit appended, the digits of body15 counted from its right end are doubled first.
    for (int i = 0; i < body15.length(); i++) {
      int d = body15.charAt(body15.length() - 1 - i) - '0';
      if (i % 2 == 0) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    int check = (10 - sum % 10) % 10;
    return body15 + check;
  }

  /** Independent Luhn check, used to prove the generated number really is Luhn-valid. */
  static boolean luhnValid(String digits) {
    int sum = 0;
    boolean dbl = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (dbl) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
      dbl = !dbl;
    }
    return sum % 10 == 0;
  }

  /** A generated (not real) 16-digit card number: prefix 99 is not an issuer range. */
  static final String PAN = luhn("990000123456789");

  /**
   * A fixed-offset time zone in which {@code at} falls at 12:xx local time, so the default pack's
   * off_hours rule (outside 09:00-23:00) never fires, whatever the wall-clock hour of the test run.
   */
  static String noonZone(Instant at) {
    int utcHour = ZonedDateTime.ofInstant(at, ZoneOffset.UTC).getHour();
    int offset = 12 - utcHour; // -11 .. +12, all valid offsets
    return ZoneOffset.ofHours(offset).getId();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /**
   * A request with extra headers, and the test credentials ({@link TestAuth}) unless the headers
   * carry credentials of their own (a signature or a cookie).
   */
  static ApiClient.Reply send(String base, String method, String path, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    withCredentials(b, base, method, path, bytes, headers);
    HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(bytes);
    if (body != null) b.header("Content-Type", "application/json");
    return send(b.method(method, publisher));
  }

  private static void withCredentials(HttpRequest.Builder b, String base, String method, String path, byte[] body, String... headers) {
    if (headers.length > 0) b.headers(headers);
    for (int i = 0; i < headers.length; i += 2) {
      String name = headers[i];
      if (name.equalsIgnoreCase("Vigil-Key-Id") || name.equalsIgnoreCase("Vigil-Signature") || name.equalsIgnoreCase("Cookie")) return;
    }
    List<String> auth = TestAuth.headers(base, method, path, body);
    if (!auth.isEmpty()) b.headers(auth.toArray(String[]::new));
  }

  /**
   * A body sent as it is (CSV, JSON, or bytes that are neither) with its content type and extra
   * headers. The content type comes before the body so that a call with a null String body is not ambiguous.
   */
  static ApiClient.Reply send(String base, String method, String path, String contentType, byte[] body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    withCredentials(b, base, method, path, body, headers);
    b.header("Content-Type", contentType);
    return send(b.method(method, HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private static ApiClient.Reply send(HttpRequest.Builder b) {
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new ApiClient.Reply(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Asserts the API's one error shape with exact status, type, code and param. */
  public static Map<String, Object> assertError(ApiClient.Reply r, int status, String type, String code, String param) {
    assertEquals(status, r.status(), () -> "status; body: " + r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
        () -> "content type " + r.headers().firstValue("Content-Type"));
    Map<String, Object> root = r.json();
    assertEquals(List.of("error"), List.copyOf(root.keySet()), () -> "top-level keys; body: " + r.body());
    Map<String, Object> e = r.error();
    assertTrue(e.keySet().containsAll(List.of("type", "code", "message", "param")), () -> "error keys; body: " + r.body());
    assertEquals(type, e.get("type"), () -> "error.type; body: " + r.body());
    assertEquals(code, e.get("code"), () -> "error.code; body: " + r.body());
    assertEquals(param, e.get("param"), () -> "error.param; body: " + r.body());
    String message = assertInstanceOf(String.class, e.get("message"), "error.message");
    assertTrue(!message.isBlank(), "error.message is blank");
    return e;
  }

  public static Map<String, Object> assertInvalid(ApiClient.Reply r, String code, String param) {
    return assertError(r, 400, "invalid_request_error", code, param);
  }

  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> data(ApiClient.Reply r) {
    assertEquals(200, r.status(), r.body());
    return (List<Map<String, Object>>) r.json().get("data");
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> list(Object o) {
    return (List<Map<String, Object>>) o;
  }

  static long num(Object o) {
    return ((Number) o).longValue();
  }
}
