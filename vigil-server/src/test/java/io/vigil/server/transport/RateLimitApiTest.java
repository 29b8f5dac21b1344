package io.vigil.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.VigilApplication;
import io.vigil.server.security.VigilPrincipal;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestClockConfiguration;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The rate limits on a real server with small budgets. Each test starts by moving the test clock ten
 * minutes on, which refills every bucket; the budgets refill slowly enough (one request every 30 s or
 * more) that nothing refills within a test. {@link KeyPrincipal} stands in for the security chain: it
 * marks a request carrying {@code X-Test-Api-Key} as authenticated by that API key, where the chain
 * would, between the two rate limit filters.
 */
@SpringBootTest(classes = VigilApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "vigil.decisions.admission-budget-millis=1500",
    "vigil.rate-limits.per-address.capacity=5", "vigil.rate-limits.per-address.refill-requests=5",
    "vigil.rate-limits.per-address.refill-period-seconds=600",
    "vigil.rate-limits.sign-in-per-address.capacity=3", "vigil.rate-limits.sign-in-per-address.refill-requests=3",
    "vigil.rate-limits.sign-in-per-address.refill-period-seconds=600",
    "vigil.rate-limits.per-key.capacity=20", "vigil.rate-limits.per-key.refill-requests=20",
    "vigil.rate-limits.per-key.refill-period-seconds=600"})
@Import({TestClockConfiguration.class, RateLimitApiTest.KeyPrincipal.class})
class RateLimitApiTest {
  static final String KEY_HEADER = "X-Test-Api-Key";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @LocalServerPort
  int port;

  @Autowired
  RateLimits limits;

  ApiClient api;

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) throws Exception {
    Path dir = Files.createTempDirectory("vigil-rate-limits-");
    dir.toFile().deleteOnExit();
    registry.add("vigil.data-dir", dir::toString);
  }

  /** Marks a request with {@code X-Test-Api-Key} as authenticated by that key, between the two rate limit filters. */
  @TestConfiguration(proxyBeanMethods = false)
  static class KeyPrincipal {
    @Bean
    FilterRegistrationBean<Filter> testKeyPrincipal() {
      FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
        String key = ((HttpServletRequest) request).getHeader(KEY_HEADER);
        if (key != null) {
          request.setAttribute(VigilPrincipal.REQUEST_ATTRIBUTE, new VigilPrincipal(VigilPrincipal.Kind.API_KEY, key, Set.of(), 0));
        }
        chain.doFilter(request, response);
      });
      registration.setOrder(TransportConfiguration.SECURITY_CHAIN_ORDER);
      registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
      return registration;
    }
  }

  @BeforeEach
  void refill() {
    TestClock.advance(Duration.ofMinutes(10));
    api = new ApiClient("http://localhost:" + port);
  }

  private HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) request.header(KEY_HEADER, key);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
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
  void requestsWithoutAnAuthenticatedCallerSpendTheAddressBudgetThenEverythingFromItIsRefusedUntilItRefills() throws Exception {
    for (int i = 0; i < 5; i++) assertThat(send("GET", "/v1/openapi.json", null, null).statusCode()).isEqualTo(200);
    // One request every 120 s: the next one in at most 120 s.
    assertRateLimited(send("GET", "/v1/openapi.json", null, null), "unauthenticated or failed requests", 100, 120);
    assertRateLimited(send("GET", "/v1/no-such-path", null, null), "unauthenticated or failed requests", 100, 120);
    assertRateLimited(send("GET", "/v1/openapi.json", "key-behind-a-spent-address", null), "from this address", 100, 120);

    TestClock.advance(Duration.ofSeconds(120));
    assertThat(send("GET", "/v1/openapi.json", null, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/v1/openapi.json", null, null).statusCode()).isEqualTo(429);
  }

  @Test
  void authenticatedTrafficFromOneAddressNeverSpendsTheAddressBudget() throws Exception {
    for (int key = 0; key < 3; key++) {
      for (int i = 0; i < 15; i++) {
        assertThat(send("GET", "/v1/openapi.json", "gateway-" + key, null).statusCode()).isEqualTo(200);
      }
    }
    for (int i = 0; i < 5; i++) assertThat(send("GET", "/v1/openapi.json", null, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/v1/openapi.json", null, null).statusCode()).isEqualTo(429);
  }

  @Test
  void eachApiKeyHasItsOwnBudget() throws Exception {
    for (int i = 0; i < 20; i++) assertThat(send("GET", "/v1/openapi.json", "busy-key", null).statusCode()).isEqualTo(200);
    // One request every 30 s.
    assertRateLimited(send("GET", "/v1/openapi.json", "busy-key", null), "This API key", 20, 30);
    assertThat(send("GET", "/v1/openapi.json", "calm-key", null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/v1/openapi.json", null, null).statusCode()).as("the address budget is untouched").isEqualTo(200);

    TestClock.advance(Duration.ofSeconds(30));
    assertThat(send("GET", "/v1/openapi.json", "busy-key", null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/v1/openapi.json", "busy-key", null).statusCode()).isEqualTo(429);
  }

  @Test
  void aDecisionCostsItsKeyOneRequestThoughItIsDispatchedMoreThanOnce() throws Exception {
    String body = ApiClient.json(Events.payment("evt-rate-" + System.nanoTime(), "acct-rate-limits", 1_000));
    HttpResponse<String> reply = send("POST", "/v1/decisions", "deciding-key", body);
    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    assertThat(limits.perKey.available("deciding-key")).isEqualTo(19);
  }

  @Test
  void signInAttemptsHaveATighterBudgetPerAddressWhateverTheirOutcome() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(send("POST", "/v1/auth/login", null, "{}").statusCode()).isNotEqualTo(429);
    }
    // One attempt every 200 s; the other sign-in steps share the budget.
    assertRateLimited(send("POST", "/v1/auth/login", null, "{}"), "sign-in attempts", 180, 200);
    assertRateLimited(send("POST", "/v1/auth/login/totp", null, "{}"), "sign-in attempts", 180, 200);
    assertRateLimited(send("POST", "/v1/auth/login/recovery-code", null, "{}"), "sign-in attempts", 180, 200);
    assertRateLimited(send("POST", "/v1/auth/step-up", "an-operator-key", "{}"), "sign-in attempts", 180, 200);
    assertThat(send("GET", "/v1/openapi.json", null, null).statusCode()).as("other requests from the address go on").isEqualTo(200);
  }
}
