package io.vigil.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Single sign-on against a real OpenID Connect provider (mock-oauth2-server, started here on the
 * loopback): the redirects of the authorization code flow with PKCE are followed by hand, the
 * provider's groups give the operator its roles, and a user whose groups give none is refused.
 */
class SsoApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-sso-");
  private static final String ISSUER_ID = "idp";
  private static final String CLIENT_ID = "vigil-test";
  private static final MockOAuth2Server PROVIDER = started();
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private static MockOAuth2Server started() {
    MockOAuth2Server server = new MockOAuth2Server();
    server.start();
    return server;
  }

  @AfterAll
  static void stopProvider() {
    PROVIDER.shutdown();
  }

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    registry.add("vigil.operators.sso.enabled", () -> "true");
    registry.add("vigil.operators.sso.issuer", () -> PROVIDER.issuerUrl(ISSUER_ID).toString());
    registry.add("vigil.operators.sso.client-id", () -> CLIENT_ID);
    registry.add("vigil.operators.sso.client-secret", () -> UUID.randomUUID().toString());
    registry.add("vigil.operators.sso.group-roles.[risk-approvers]", () -> "approver,viewer");
    storeAsAsked(registry);
  }

  private record Answer(int status, String location, String cookie, String body) {}

  private Answer get(String url, String cookie) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
    if (cookie != null) b.header("Cookie", cookie);
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      String set = null;
      for (String c : r.headers().allValues("Set-Cookie")) {
        if (c.startsWith("VIGIL_SESSION=")) set = c.substring(0, c.indexOf(';') < 0 ? c.length() : c.indexOf(';'));
      }
      return new Answer(r.statusCode(), r.headers().firstValue("Location").orElse(null), set, r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs the authorization code flow for a provider user with these claims; the callback's answer. */
  private Answer signInAs(Map<String, Object> claims) {
    PROVIDER.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, "subject-" + UUID.randomUUID(), "JWT", List.of(CLIENT_ID),
        claims, 3600));
    Answer start = get(base + "/v1/auth/sso/authorization/vigil", null);
    assertEquals(302, start.status(), start.body());
    String authorize = start.location();
    assertTrue(authorize.startsWith(PROVIDER.issuerUrl(ISSUER_ID).toString()), authorize);
    assertTrue(authorize.contains("code_challenge=") && authorize.contains("code_challenge_method=S256"), "PKCE: " + authorize);
    assertNotNull(start.cookie());
    Answer provider = get(authorize, null);
    assertEquals(302, provider.status(), provider.body());
    String callback = provider.location();
    assertTrue(callback.startsWith(base + "/v1/auth/sso/callback/vigil?"), callback);
    assertTrue(callback.contains("code="), callback);
    return get(callback, start.cookie());
  }

  @Test
  @SuppressWarnings("unchecked")
  void aProviderUserSignsInWithTheRolesItsGroupsGive() {
    Answer done = signInAs(Map.of("preferred_username", "ops.sso", "name", "Single Sign", "groups", List.of("risk-approvers", "other")));
    assertEquals(200, done.status(), done.body());
    Map<String, Object> session = JSON.readValue(done.body(), Map.class);
    assertEquals("signed_in", session.get("status"));
    assertEquals("ops.sso", session.get("operator"));
    assertEquals(List.of("approver", "viewer"), session.get("roles"));
    assertTrue(((List<String>) session.get("permissions")).contains("holds.approve"));
    assertNotNull(session.get("csrf_token"));
    Answer now = get(base + "/v1/auth/session", done.cookie());
    assertEquals(200, now.status(), now.body());
    assertEquals("ops.sso", JSON.readValue(now.body(), Map.class).get("operator"));
  }

  @Test
  void aUserWhoseGroupsGiveNoRoleIsRefused() {
    Answer done = signInAs(Map.of("preferred_username", "ops.outsider", "groups", List.of("marketing")));
    assertEquals(403, done.status(), done.body());
    assertTrue(done.body().contains("\"sso_no_role\""), done.body());
  }
}
