package io.vigil.server.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.server.api.SharedServerBase;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import io.vigil.server.support.TestAuth;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestKeys;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Signed requests against a real server: each way a signature can fail is a 401 with its own code
 * in the API's error shape, and nothing is stored; a rotated key's old secret works during the
 * overlap and not after.
 */
class SignedRequestsApiTest extends SharedServerBase {
  @Autowired
  ApiKeys keys;

  private static String account() {
    return "acct_sig_" + UUID.randomUUID().toString().replace('-', '_');
  }

  private static long now() {
    return TestClock.now().getEpochSecond();
  }

  /** A request with exactly these headers (and a JSON body when given). */
  private ApiClient.Reply send(String method, String path, byte[] body, List<String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    if (!headers.isEmpty()) b.headers(headers.toArray(String[]::new));
    if (body != null) b.header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    return api.sendAsIs(b);
  }

  /** Signature headers made by hand: key id, secret, timestamp, what is signed, the digest header sent. */
  private static List<String> signed(String keyId, String secret, long t, String method, String signedPath, String digest) {
    List<String> h = new ArrayList<>(List.of("Vigil-Key-Id", keyId, "Vigil-Signature",
        "t=" + t + ",v1=" + TestAuth.v1(secret, t, method, signedPath, digest)));
    if (digest != null) h.addAll(List.of("Content-Digest", digest));
    return h;
  }

  private static void assertRefused(ApiClient.Reply r, String code, String param) {
    assertEquals(401, r.status(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.body());
    assertEquals(List.of("error"), List.copyOf(r.json().keySet()), r.body());
    assertEquals("authentication_error", r.error().get("type"), r.body());
    assertEquals(code, r.error().get("code"), r.body());
    assertEquals(param, r.error().get("param"), r.body());
  }

  private byte[] decisionBody(String account) {
    return ApiClient.json(Events.payment(TestAuth.class.getSimpleName() + UUID.randomUUID(), account, 1_000)).getBytes(StandardCharsets.UTF_8);
  }

  /** The account has no decision: nothing refused was stored. */
  private void assertNothingStoredFor(String account) {
    ApiClient.Reply r = api.get("/v1/decisions?account_id=" + account);
    assertEquals(200, r.status(), r.body());
    assertEquals(List.of(), r.json().get("data"), "nothing stored for a refused request");
  }

  @Test
  void aCorrectSignatureDecides() {
    String account = account();
    byte[] body = decisionBody(account);
    String digest = ContentDigest.of(body);
    ApiClient.Reply r = send("POST", "/v1/decisions", body, signed(TestKeys.KEY_ID, TestKeys.SECRET, now(), "POST", "/v1/decisions", digest));
    assertEquals(200, r.status(), r.body());
  }

  @Test
  void aWrongSecretIsRefused() {
    String account = account();
    byte[] body = decisionBody(account);
    String digest = ContentDigest.of(body);
    assertRefused(send("POST", "/v1/decisions", body, signed(TestKeys.KEY_ID, ApiKeys.newSecret(), now(), "POST", "/v1/decisions", digest)),
        "signature_invalid", "Vigil-Signature");
    assertRefused(send("POST", "/v1/decisions", body, signed("vk_unknown0000", TestKeys.SECRET, now(), "POST", "/v1/decisions", digest)),
        "signature_invalid", "Vigil-Key-Id");
    assertNothingStoredFor(account);
  }

  @Test
  void aBodyOtherThanTheDigestIsRefusedBeforeItIsRead() {
    String account = account();
    byte[] body = decisionBody(account);
    byte[] other = decisionBody(account);
    // The decision route (its body is taken in ahead of the chain) and an ordinary route.
    assertRefused(send("POST", "/v1/decisions", other, signed(TestKeys.KEY_ID, TestKeys.SECRET, now(), "POST", "/v1/decisions",
        ContentDigest.of(body))), "body_digest_mismatch", "Content-Digest");
    byte[] lock = "{\"reason\":\"phone stolen\"}".getBytes(StandardCharsets.UTF_8);
    byte[] changed = "{\"reason\":\"phone stolen!\"}".getBytes(StandardCharsets.UTF_8);
    String lockPath = "/v1/accounts/" + account + "/lock";
    assertRefused(send("POST", lockPath, changed, signed(TestKeys.KEY_ID, TestKeys.SECRET, now(), "POST", lockPath, ContentDigest.of(lock))),
        "body_digest_mismatch", "Content-Digest");
    assertNothingStoredFor(account);
    assertEquals(List.of(), api.get("/v1/accounts/" + account + "/restrictions").json().get("active"), "no lock was stored");
  }

  @Test
  void aBodyWithoutADigestIsRefused() {
    String account = account();
    byte[] body = decisionBody(account);
    assertRefused(send("POST", "/v1/decisions", body, signed(TestKeys.KEY_ID, TestKeys.SECRET, now(), "POST", "/v1/decisions", null)),
        "body_digest_mismatch", "Content-Digest");
    assertNothingStoredFor(account);
  }

  @Test
  void aChangedQueryOrPathIsRefused() {
    String account = account();
    String signedPath = "/v1/decisions?account_id=" + account + "&limit=5";
    assertRefused(send("GET", "/v1/decisions?account_id=" + account + "&limit=6", null,
        signed(TestKeys.KEY_ID, TestKeys.SECRET, now(), "GET", signedPath, null)), "signature_invalid", "Vigil-Signature");
    assertRefused(send("GET", "/v1/decisions.csv?account_id=" + account + "&limit=5", null,
        signed(TestKeys.KEY_ID, TestKeys.SECRET, now(), "GET", signedPath, null)), "signature_invalid", "Vigil-Signature");
    assertRefused(send("DELETE", signedPath, null, signed(TestKeys.KEY_ID, TestKeys.SECRET, now(), "GET", signedPath, null)),
        "signature_invalid", "Vigil-Signature");
    assertEquals(200, send("GET", signedPath, null, signed(TestKeys.KEY_ID, TestKeys.SECRET, now(), "GET", signedPath, null)).status());
  }

  @Test
  void aStaleOrFutureTimestampIsRefused() {
    String path = "/v1/decisions?account_id=" + account();
    assertRefused(send("GET", path, null, signed(TestKeys.KEY_ID, TestKeys.SECRET, now() - 301, "GET", path, null)),
        "signature_expired", "Vigil-Signature");
    assertRefused(send("GET", path, null, signed(TestKeys.KEY_ID, TestKeys.SECRET, now() + 301, "GET", path, null)),
        "signature_expired", "Vigil-Signature");
    assertEquals(200, send("GET", path, null, signed(TestKeys.KEY_ID, TestKeys.SECRET, now() - 250, "GET", path, null)).status());
    assertEquals(200, send("GET", path, null, signed(TestKeys.KEY_ID, TestKeys.SECRET, now() + 250, "GET", path, null)).status());
  }

  @Test
  void aReplayedSignatureIsRefused() {
    String account = account();
    byte[] body = decisionBody(account);
    List<String> headers = signed(TestKeys.KEY_ID, TestKeys.SECRET, now(), "POST", "/v1/decisions", ContentDigest.of(body));
    assertEquals(200, send("POST", "/v1/decisions", body, headers).status());
    assertRefused(send("POST", "/v1/decisions", body, headers), "signature_replayed", "Vigil-Signature");
    String path = "/v1/decisions?account_id=" + account;
    List<String> read = signed(TestKeys.KEY_ID, TestKeys.SECRET, now(), "GET", path, null);
    assertEquals(200, send("GET", path, null, read).status());
    assertRefused(send("GET", path, null, read), "signature_replayed", "Vigil-Signature");
  }

  @Test
  void missingOrMalformedHeadersAreRefused() {
    String path = "/v1/decisions?account_id=" + account();
    List<String> good = signed(TestKeys.KEY_ID, TestKeys.SECRET, now(), "GET", path, null);
    assertRefused(send("GET", path, null, List.of("Vigil-Key-Id", TestKeys.KEY_ID)), "signature_invalid", "Vigil-Signature");
    assertRefused(send("GET", path, null, List.of("Vigil-Signature", good.get(3))), "signature_invalid", "Vigil-Key-Id");
    for (String bad : List.of("t=abc,v1=00", "v1=" + "0".repeat(64), "t=" + now(), "t=" + now() + ",v1=xyz", "t=" + now() + ",v2="
        + "0".repeat(64), "t=" + now() + ",v1=" + "g".repeat(64), "x".repeat(500))) {
      assertRefused(send("GET", path, null, List.of("Vigil-Key-Id", TestKeys.KEY_ID, "Vigil-Signature", bad)), "signature_invalid",
          "Vigil-Signature");
    }
    ApiClient.Reply none = send("GET", path, null, List.of());
    assertEquals(401, none.status());
    assertEquals("authentication_required", none.error().get("code"));
  }

  @Test
  void aRevokedOrDestroyedKeyIsRefused() {
    ApiKeys.Issued key = keys.issue("sig-test-revoked", EnumSet.of(ApiScope.READ), null, "test");
    String path = "/v1/decisions?account_id=" + account();
    assertEquals(200, send("GET", path, null, signed(key.row().keyId(), key.secret(), now(), "GET", path, null)).status());
    keys.revoke(key.row().keyId(), "test");
    assertRefused(send("GET", path, null, signed(key.row().keyId(), key.secret(), now(), "GET", path + "&limit=2", null)),
        "api_key_revoked", "Vigil-Key-Id");
    keys.destroy(key.row().keyId(), "test");
    assertRefused(send("GET", path, null, signed(key.row().keyId(), key.secret(), now(), "GET", path + "&limit=3", null)),
        "api_key_revoked", "Vigil-Key-Id");
  }

  @Test
  void anExpiredKeyIsRefused() {
    long expires = TestClock.now().plusSeconds(60).toEpochMilli();
    ApiKeys.Issued key = keys.issue("sig-test-expiring", EnumSet.of(ApiScope.READ), expires, "test");
    String path = "/v1/decisions?account_id=" + account();
    assertEquals(200, send("GET", path, null, signed(key.row().keyId(), key.secret(), now(), "GET", path, null)).status());
    TestClock.advance(Duration.ofSeconds(61));
    assertRefused(send("GET", path, null, signed(key.row().keyId(), key.secret(), now(), "GET", path, null)),
        "api_key_expired", "Vigil-Key-Id");
  }

  @Test
  void aRotatedKeysOldSecretWorksDuringTheOverlapOnly() {
    ApiKeys.Issued key = keys.issue("sig-test-rotated", EnumSet.of(ApiScope.READ), null, "test");
    String id = key.row().keyId();
    ApiKeys.Issued rotated = keys.rotate(id, 120, "test");
    String path = "/v1/decisions?account_id=" + account();
    assertEquals(200, send("GET", path, null, signed(id, key.secret(), now(), "GET", path, null)).status(), "old secret, in the overlap");
    assertEquals(200, send("GET", path, null, signed(id, rotated.secret(), now(), "GET", path, null)).status(), "new secret");
    TestClock.advance(Duration.ofSeconds(121));
    assertRefused(send("GET", path, null, signed(id, key.secret(), now(), "GET", path, null)), "signature_invalid", "Vigil-Signature");
    assertEquals(200, send("GET", path, null, signed(id, rotated.secret(), now(), "GET", path, null)).status(), "new secret after");
  }

  @Test
  void theSignatureHeaderMayCarryTwoSignatures() {
    ApiKeys.Issued key = keys.issue("sig-test-two", EnumSet.of(ApiScope.READ), null, "test");
    String path = "/v1/decisions?account_id=" + account();
    long t = now();
    String header = "t=" + t + ",v1=" + TestAuth.v1(ApiKeys.newSecret(), t, "GET", path, null) + ",v1="
        + TestAuth.v1(key.secret(), t, "GET", path, null);
    assertEquals(200, send("GET", path, null, List.of("Vigil-Key-Id", key.row().keyId(), "Vigil-Signature", header)).status());
  }

  @Test
  void aSignedRequestIgnoresASessionCookieAndNeedsNoCsrfToken() {
    String account = account();
    byte[] lock = "{\"reason\":\"phone stolen\"}".getBytes(StandardCharsets.UTF_8);
    String lockPath = "/v1/accounts/" + account + "/lock";
    List<String> headers = new ArrayList<>(TestAuth.signature("POST", lockPath, lock));
    headers.addAll(List.of("Cookie", "VIGIL_SESSION=not-a-session"));
    ApiClient.Reply r = send("POST", lockPath, lock, headers);
    assertEquals(200, r.status(), r.body());
  }
}
