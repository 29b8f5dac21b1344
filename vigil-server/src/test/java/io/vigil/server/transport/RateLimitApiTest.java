package io.vigil.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.VigilApplication;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestAuth;
import io.vigil.server.support.TestClockConfiguration;
import io.vigil.server.support.TestKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The rate limits on a real server with small budgets, behind the real security chain: requests are
 * signed with the test run's API key ({@link TestKeys}) or sent without credentials. Each test starts
 * by moving the test clock ten minutes on, which refills every bucket; the budgets refill slowly
 * enough (one request every 30 s or more) that nothing refills within a test.
 */
@SpringBootTest(classes = VigilApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "vigil.decisions.admission-budget-millis=1500",
    "vigil.rate-limits.per-address.capacity=5", "vigil.rate-limits.per-address.refill-requests=5",
    "vigil.rate-limits.per-address.refill-period-seconds=600",
    "vigil.rate-limits.sign-in-per-address.capacity=3", "vigil.rate-limits.sign-in-per-address.refill-requests=3",
    "vigil.rate-limits.sign-in-per-address.refill-period-seconds=600",
    "vigil.rate-limits.per-key.capacity=20", "vigil.rate-limits.per-key.refill-requests=20",
    "vigil.rate-limits.per-key.refill-period-seconds=600"})
@Import(TestClockConfiguration.class)
class RateLimitApiTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  /** A cheap route an API key may read. */
  private static final String SIGNED_PATH = "/v1/decisions?limit=1";

  @LocalServerPort
  int port;

  @Autowired
  RateLimits limits;

  @DynamicPropertySource
  static void server(DynamicPropertyRegistry registry) throws Exception {
    Path dir = Files.createTempDirectory("vigil-rate-limits-");
    dir.toFile().deleteOnExit();
    registry.add("vigil.data-dir", dir::toString);
    TestKeys.properties().forEach((name, value) -> registry.add(name, () -> value));
  }

  @BeforeEach
  void refill() {
    TestClock.advance(Duration.ofMinutes(10));
  }

  /** Unsigned when {@code signed} is false; signed with the test key, or with a wrong secret when {@code secret} says so. */
  private HttpResponse<String> send(String method, String path, String body, String secret) throws Exception {
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
    if (secret != null) {
      List<String> headers = TestAuth.signature(TestKeys.KEY_ID, secret, method, path, body == null ? null : bytes);
      request.headers(headers.toArray(String[]::new));
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> unsigned(String method, String path, String body) throws Exception {
    return send(method, path, body, null);
  }

  private HttpResponse<String> signed(String method, String path, String body) throws Exception {
    return send(method, path, body, TestKeys.SECRET);
  }

  private static void assertRateLimited(HttpResponse<String> reply, String messagePart, long retryAfterMin, long retryAfterMax) {
    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(429);
    Map<String, Object> error = new ApiClient.Reply(reply.statusCode(), reply.body(), reply.headers()).error();
    assertThat(error).containsEntry("type", "rate_limit_error").containsEntry("code", "rate_limited").containsEntry("param", null);
    assertThat((String) error.get("message")).contains(messagePart);
    long retryAfter = Long.parseLong(reply.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter).isBetween(retryAfterMin, retryAfterMax);
    assertThat(reply.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    assertThat(reply.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(reply.headers().firstValue("Cache-Control")).hasValue("no-store");
  }

  @Test
  void unauthenticatedAndFailedRequestsSpendTheAddressBudgetThenEverythingFromItIsRefusedUntilItRefills() throws Exception {
    assertThat(unsigned("GET", "/v1/openapi.json", null).statusCode()).isEqualTo(200);
    assertThat(unsigned("GET", "/actuator/health", null).statusCode()).isEqualTo(200);
    assertThat(unsigned("GET", SIGNED_PATH, null).statusCode()).isEqualTo(401);
    HttpResponse<String> wrongSecret = send("GET", SIGNED_PATH, null, "not-the-secret-" + System.nanoTime());
    assertThat(wrongSecret.statusCode()).as(wrongSecret.body()).isEqualTo(401);
    assertThat(wrongSecret.headers().firstValue("X-Frame-Options")).as("a 401 carries the security headers").hasValue("DENY");
    assertThat(unsigned("GET", "/v1/no-such-path", null).statusCode()).isIn(401, 404);
    // One request every 120 s: the next one in at most 120 s.
    assertRateLimited(unsigned("GET", "/v1/openapi.json", null), "unauthenticated or failed requests", 100, 120);
    assertRateLimited(signed("GET", SIGNED_PATH, null), "from this address", 100, 120);

    TestClock.advance(Duration.ofSeconds(120));
    assertThat(unsigned("GET", "/v1/openapi.json", null).statusCode()).isEqualTo(200);
    assertThat(unsigned("GET", "/v1/openapi.json", null).statusCode()).isEqualTo(429);
  }

  @Test
  void signedTrafficFromOneAddressNeverSpendsTheAddressBudget() throws Exception {
    for (int i = 0; i < 15; i++) {
      HttpResponse<String> reply = signed("GET", SIGNED_PATH, null);
      assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    }
    for (int i = 0; i < 5; i++) assertThat(unsigned("GET", "/v1/openapi.json", null).statusCode()).isEqualTo(200);
    assertThat(unsigned("GET", "/v1/openapi.json", null).statusCode()).isEqualTo(429);
  }

  @Test
  void anApiKeyIsRefusedOverItsBudgetWithoutTouchingTheAddressBudget() throws Exception {
    for (int i = 0; i < 20; i++) assertThat(signed("GET", SIGNED_PATH, null).statusCode()).isEqualTo(200);
    // One request every 30 s.
    assertRateLimited(signed("GET", SIGNED_PATH, null), "This API key", 20, 30);
    assertThat(limits.perAddress.available("127.0.0.1")).as("the address budget: no bucket, or a full one").isIn(-1L, 5L);
    assertThat(unsigned("GET", "/v1/openapi.json", null).statusCode()).isEqualTo(200);

    TestClock.advance(Duration.ofSeconds(30));
    assertThat(signed("GET", SIGNED_PATH, null).statusCode()).isEqualTo(200);
    assertThat(signed("GET", SIGNED_PATH, null).statusCode()).isEqualTo(429);
  }

  @Test
  void aDecisionCostsItsKeyOneRequestThoughItIsDispatchedMoreThanOnce() throws Exception {
    String body = ApiClient.json(Events.payment("evt-rate-" + System.nanoTime(), "acct-rate-limits", 1_000));
    HttpResponse<String> reply = signed("POST", "/v1/decisions", body);
    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    assertThat(limits.perKey.available(TestKeys.KEY_ID)).isEqualTo(19);
  }

  @Test
  void signInAttemptsHaveATighterBudgetPerAddressWhateverTheirOutcome() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(unsigned("POST", "/v1/auth/login", "{}").statusCode()).isNotEqualTo(429);
    }
    // One attempt every 200 s; the other sign-in steps share the budget.
    assertRateLimited(unsigned("POST", "/v1/auth/login", "{}"), "sign-in attempts", 180, 200);
    assertRateLimited(unsigned("POST", "/v1/auth/login/totp", "{}"), "sign-in attempts", 180, 200);
    assertRateLimited(unsigned("POST", "/v1/auth/login/recovery-code", "{}"), "sign-in attempts", 180, 200);
    assertRateLimited(unsigned("POST", "/v1/auth/step-up", "{}"), "sign-in attempts", 180, 200);
    assertThat(signed("GET", SIGNED_PATH, null).statusCode()).as("other requests from the address go on").isEqualTo(200);
  }
}
