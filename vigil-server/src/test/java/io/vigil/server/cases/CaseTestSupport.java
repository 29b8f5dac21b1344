package io.vigil.server.cases;

import static io.vigil.server.api.ApiTestSupport.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators.Signed;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** Helpers of the case API tests: payments, waiting for the opener, requests as a signed-in operator, error assertions. */
final class CaseTestSupport {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  /** How long a test waits for the opener (it polls every 200 ms) to open a case. */
  private static final Duration OPENER_WAIT_MAX = Duration.ofSeconds(20);
  private static final long POLL_MILLIS = 100;

  private CaseTestSupport() {}

  /**
   * A reference directory under dataDir holding the sample exchange rates without CHF: a payment in
   * CHF cannot be compared with thresholds in USD and is answered REVIEW.
   */
  static Path ratesWithoutChf(Path dataDir) {
    try (InputStream in = CaseTestSupport.class.getResourceAsStream("/reference/exchange-rates-sample.csv")) {
      String sample = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      String rates = sample.lines().filter(l -> !l.startsWith("CHF,")).collect(Collectors.joining("\n", "", "\n"));
      Path dir = Files.createDirectories(dataDir.resolve("reference"));
      Files.writeString(dir.resolve("exchange-rates.csv"), rates);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A unique id without long digit runs (the card-number detector would refuse them). */
  static String id(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace('-', '_');
  }

  static Map<String, Object> pay(ApiClient api, String account, long amountMinor, String currency) {
    Map<String, Object> body = new HashMap<>(Map.of("event_id", id("ev"), "type", "transfer", "occurred_at", TestClock.now().toString(),
        "account_id", account, "amount", amountMinor, "currency", currency));
    ApiClient.Reply r = api.post("/v1/decisions", body);
    assertEquals(200, r.status(), r.body());
    Map<String, Object> d = new HashMap<>(r.json());
    d.put("event_id", body.get("event_id"));
    return d;
  }

  /** The case of the account's decision, once the opener opened it (bounded wait). */
  static Map<String, Object> caseOf(ApiClient api, String account) {
    long deadline = System.nanoTime() + OPENER_WAIT_MAX.toNanos();
    while (System.nanoTime() < deadline) {
      List<Map<String, Object>> found = data(api.get("/v1/cases?account_id=" + account));
      if (!found.isEmpty()) return found.get(0);
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return fail("no case opened for " + account + " within " + OPENER_WAIT_MAX);
  }

  /** A request as the signed-in operator (cookie and CSRF token). */
  static ApiClient.Reply as(Signed op, String base, String method, String path, Map<String, ?> body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).headers(op.headers());
    String json = body == null ? null : ApiClient.json(body);
    if (json != null) b.header("Content-Type", "application/json");
    b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
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

  static List<String> timelineKinds(ApiClient api, String caseId) {
    return data(api.get("/v1/cases/" + caseId + "/timeline?limit=100")).stream().map(e -> (String) e.get("kind")).toList();
  }
}
