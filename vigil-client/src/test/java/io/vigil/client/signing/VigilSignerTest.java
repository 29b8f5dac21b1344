package io.vigil.client.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The signer's headers, against values computed independently (RFC 4231 HMAC, a known SHA-256). */
class VigilSignerTest {
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_773_151_200L), ZoneOffset.UTC);

  @Test
  void theDigestIsRfc9530Sha256() {
    // SHA-256 of "abc" (FIPS 180-2 test vector), in base64.
    assertEquals("sha-256=:ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=:", VigilSigner.contentDigest("abc".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theHmacIsHmacSha256() {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", VigilSigner.hmacHex(
        new SecretKeySpec("Jefe".getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
        "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theSignedStringIsTimeMethodPathAndDigestOnLines() {
    VigilSigner signer = new VigilSigner("vk_demo", "vks_secret", CLOCK);
    String expected = VigilSigner.hmacHex(new SecretKeySpec("vks_secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
        "1773151200\nPOST\n/v1/feedback\nsha-256=:x:".getBytes(StandardCharsets.UTF_8));
    assertEquals(expected, signer.signature(1_773_151_200L, "POST", "/v1/feedback", "sha-256=:x:"));
  }

  @Test
  void headersCarryTheKeyTheTimeAndTheDigest() {
    VigilSigner signer = new VigilSigner("vk_demo", "vks_secret", CLOCK);
    byte[] body = "{\"event_id\":\"e1\"}".getBytes(StandardCharsets.UTF_8);
    Map<String, String> h = signer.headers("POST", "/v1/decisions", body);
    assertEquals("vk_demo", h.get("Vigil-Key-Id"));
    assertEquals("t=1773151200,v1=" + signer.signature(1_773_151_200L, "POST", "/v1/decisions", VigilSigner.contentDigest(body)),
        h.get("Vigil-Signature"));
    assertEquals(VigilSigner.contentDigest(body), h.get("Content-Digest"));
    Map<String, String> get = signer.headers("GET", "/v1/decisions?limit=5", null);
    assertFalse(get.containsKey("Content-Digest"));
    assertNotEquals(get.get("Vigil-Signature"), signer.headers("GET", "/v1/decisions?limit=6", null).get("Vigil-Signature"));
    assertThrows(IllegalArgumentException.class, () -> new VigilSigner("key", "s", CLOCK));
  }
}
