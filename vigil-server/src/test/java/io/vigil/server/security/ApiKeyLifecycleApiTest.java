package io.vigil.server.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.server.api.ServerTestBase;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestAuth;
import io.vigil.server.support.TestClock;
import io.vigil.testing.TestOperatorLogin;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The life of an API key through its routes, by a signed-in administrator (a session from
 * {@link TestOperatorLogin}): issuing and rotating need a fresh step-up, the secret is shown once,
 * a rotated key's old secret works during the overlap, a revoked key is refused, a destroyed key
 * keeps its record, and every step names who did it. Also the session's CSRF token.
 */
@Import(TestOperatorLogin.class)
class ApiKeyLifecycleApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-keys-");

  @DynamicPropertySource
  static void ownDataDir(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
  }

  private record Session(String cookie, String csrf) {}

  private Session signIn(String username, List<String> roles, Integer stepUpAgeSeconds) {
    Map<String, Object> body = new LinkedHashMap<>(Map.of("username", username, "roles", roles));
    if (stepUpAgeSeconds != null) body.put("step_up_age_seconds", stepUpAgeSeconds);
    ApiClient.Reply r = api.post("/v1/test/operator-session", body);
    assertEquals(200, r.status(), r.body());
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(setCookie.startsWith("VIGIL_SESSION="), setCookie);
    assertTrue(setCookie.contains("HttpOnly"), setCookie);
    assertTrue(setCookie.toLowerCase(Locale.ROOT).contains("samesite=strict"), setCookie);
    return new Session(setCookie.substring(0, setCookie.indexOf(';')), (String) r.json().get("csrf_token"));
  }

  private ApiClient.Reply as(Session s, String method, String path, String json, boolean withCsrf) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", s.cookie());
    if (withCsrf) b.header("X-CSRF-Token", s.csrf());
    if (json != null) b.header("Content-Type", "application/json");
    b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    return api.sendAsIs(b);
  }

  private ApiClient.Reply signedGet(String keyId, String secret, String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    b.headers(TestAuth.signature(keyId, secret, "GET", path, null).toArray(String[]::new));
    return api.sendAsIs(b.GET());
  }

  private static String account() {
    return "/v1/decisions?account_id=acct_keys_" + UUID.randomUUID().toString().replace('-', '_');
  }

  @Test
  void anAdministratorIssuesRotatesRevokesAndDestroysAKey() {
    Session admin = signIn("admin.ada", List.of("administrator"), 30);
    ApiClient.Reply issued = as(admin, "POST", "/v1/api-keys", "{\"owner\":\"checkout\",\"scopes\":[\"read\",\"decide\"]}", true);
    assertEquals(201, issued.status(), issued.body());
    String id = (String) issued.json().get("id");
    String secret = (String) issued.json().get("secret");
    assertTrue(id.startsWith("vk_") && secret.startsWith("vks_"), issued.body());
    assertEquals(List.of("decide", "read"), issued.json().get("scopes"));
    assertEquals("admin.ada", issued.json().get("created_by"));
    assertEquals(200, signedGet(id, secret, account()).status(), "the new key signs");

    ApiClient.Reply listed = as(admin, "GET", "/v1/api-keys", null, false);
    assertEquals(200, listed.status(), listed.body());
    assertTrue(listed.body().contains(id));
    assertFalse(listed.body().contains(secret), "the secret is never shown again");
    assertFalse(listed.body().contains("\"secret\""));

    ApiClient.Reply rotated = as(admin, "POST", "/v1/api-keys/" + id + "/rotate", "{\"overlap_seconds\":600}", true);
    assertEquals(200, rotated.status(), rotated.body());
    String newSecret = (String) rotated.json().get("secret");
    assertNotEquals(secret, newSecret);
    assertNotNull(rotated.json().get("previous_secret_valid_until"));
    assertEquals(200, signedGet(id, secret, account()).status(), "the old secret during the overlap");
    assertEquals(200, signedGet(id, newSecret, account()).status(), "the new secret");
    TestClock.advance(Duration.ofSeconds(601));
    assertEquals(401, signedGet(id, secret, account()).status(), "the old secret after the overlap");
    assertEquals(200, signedGet(id, newSecret, account()).status());

    ApiClient.Reply revoked = as(admin, "POST", "/v1/api-keys/" + id + "/revoke", null, true);
    assertEquals(200, revoked.status(), revoked.body());
    assertEquals("revoked", revoked.json().get("status"));
    ApiClient.Reply refused = signedGet(id, newSecret, account());
    assertEquals(401, refused.status());
    assertEquals("api_key_revoked", refused.error().get("code"));
    ApiClient.Reply stale = as(admin, "POST", "/v1/api-keys/" + id + "/rotate", "{}", true);
    assertEquals("step_up_required", stale.error().get("code"), "the step-up of 30 s before is 10 min old now");
    Session again = signIn("admin.ada", List.of("administrator"), 5);
    assertEquals(409, as(again, "POST", "/v1/api-keys/" + id + "/rotate", "{}", true).status(), "a revoked key is not rotated");

    ApiClient.Reply destroyed = as(admin, "DELETE", "/v1/api-keys/" + id, null, true);
    assertEquals(200, destroyed.status(), destroyed.body());
    assertEquals("destroyed", destroyed.json().get("status"));
    ApiClient.Reply record = as(admin, "GET", "/v1/api-keys/" + id, null, false);
    assertEquals(200, record.status(), record.body());
    List<String> steps = new ArrayList<>();
    for (Object e : (List<?>) record.json().get("events")) {
      Map<?, ?> event = (Map<?, ?>) e;
      steps.add(event.get("action") + " by " + event.get("actor"));
    }
    assertEquals(List.of("issued by admin.ada", "rotated by admin.ada", "revoked by admin.ada", "destroyed by admin.ada"), steps);
  }

  @Test
  void issuingAndRotatingNeedAFreshStepUp() {
    Session never = signIn("admin.bo", List.of("administrator"), null);
    ApiClient.Reply refused = as(never, "POST", "/v1/api-keys", "{\"owner\":\"x\",\"scopes\":[\"read\"]}", true);
    assertEquals(403, refused.status(), refused.body());
    assertEquals("step_up_required", refused.error().get("code"));
    Session stale = signIn("admin.cy", List.of("administrator"), 6 * 60);
    assertEquals("step_up_required", as(stale, "POST", "/v1/api-keys", "{\"owner\":\"x\",\"scopes\":[\"read\"]}", true)
        .error().get("code"));
    Session fresh = signIn("admin.di", List.of("administrator"), 10);
    ApiClient.Reply issued = as(fresh, "POST", "/v1/api-keys", "{\"owner\":\"x\",\"scopes\":[\"read\"]}", true);
    assertEquals(201, issued.status(), issued.body());
    ApiClient.Reply rotate = as(stale, "POST", "/v1/api-keys/" + issued.json().get("id") + "/rotate", "{}", true);
    assertEquals("step_up_required", rotate.error().get("code"));
  }

  @Test
  void badRequestsAreRefused() {
    Session admin = signIn("admin.ed", List.of("administrator"), 10);
    assertEquals("missing_field", as(admin, "POST", "/v1/api-keys", "{\"owner\":\"x\"}", true).error().get("code"));
    assertEquals("invalid_value", as(admin, "POST", "/v1/api-keys", "{\"owner\":\"x\",\"scopes\":[\"root\"]}", true).error().get("code"));
    assertEquals("expires_in_past", as(admin, "POST", "/v1/api-keys",
        "{\"owner\":\"x\",\"scopes\":[\"read\"],\"expires_at\":\"2001-01-01T00:00:00Z\"}", true).error().get("code"));
    assertEquals("unknown_field", as(admin, "POST", "/v1/api-keys", "{\"owner\":\"x\",\"scopes\":[\"read\"],\"x\":1}", true)
        .error().get("code"));
    assertEquals(404, as(admin, "GET", "/v1/api-keys/vk_nosuchkey", null, false).status());
    ApiClient.Reply issued = as(admin, "POST", "/v1/api-keys", "{\"owner\":\"x\",\"scopes\":[\"read\"]}", true);
    assertEquals("out_of_range", as(admin, "POST", "/v1/api-keys/" + issued.json().get("id") + "/rotate",
        "{\"overlap_seconds\":604801}", true).error().get("code"));
  }

  @Test
  void aSessionsChangeNeedsItsCsrfToken() {
    Session admin = signIn("admin.fay", List.of("administrator"), 10);
    ApiClient.Reply without = as(admin, "POST", "/v1/api-keys", "{\"owner\":\"x\",\"scopes\":[\"read\"]}", false);
    assertEquals(403, without.status(), without.body());
    assertEquals("permission_error", without.error().get("type"));
    assertEquals("csrf_invalid", without.error().get("code"));
    Session other = signIn("admin.gus", List.of("administrator"), 10);
    ApiClient.Reply wrong = as(new Session(admin.cookie(), other.csrf()), "POST", "/v1/api-keys",
        "{\"owner\":\"x\",\"scopes\":[\"read\"]}", true);
    assertEquals("csrf_invalid", wrong.error().get("code"));
    assertEquals(200, as(admin, "GET", "/v1/api-keys", null, false).status(), "a read needs no token");
  }

  @Test
  void onlyTheKeysPermissionManagesKeys() {
    // Signed with the test key (every scope): no scope grants api_keys.manage.
    HttpRequest.Builder signed = HttpRequest.newBuilder(URI.create(base + "/v1/api-keys"))
        .headers(TestAuth.signature("GET", "/v1/api-keys", null).toArray(String[]::new));
    ApiClient.Reply byKey = api.sendAsIs(signed.GET());
    assertEquals(403, byKey.status(), byKey.body());
    assertEquals("api_keys.manage", byKey.error().get("param"));
    Session viewer = signIn("viewer.hal", List.of("viewer", "supervisor"), 10);
    ApiClient.Reply denied = as(viewer, "GET", "/v1/api-keys", null, false);
    assertEquals(403, denied.status());
    assertEquals("permission_denied", denied.error().get("code"));
    // The viewer's session may read decisions (decisions.read), the actor of a change being the username.
    assertEquals(200, as(viewer, "GET", account(), null, false).status());
    ApiClient.Reply freeze = as(viewer, "POST", "/v1/accounts/acct_keys_x/restrictions", "{\"kind\":\"freeze\",\"reason\":\"test\"}", true);
    assertEquals(201, freeze.status(), freeze.body());
    assertEquals("viewer.hal", freeze.json().get("created_by"));
  }

  @Test
  void anUnsignedRequestWithAForgedSessionCookieIsUnauthenticated() {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/v1/api-keys")).header("Cookie", "VIGIL_SESSION=forged");
    ApiClient.Reply r = api.sendAsIs(b.GET());
    assertEquals(401, r.status());
    assertEquals("authentication_required", r.error().get("code"));
  }
}
