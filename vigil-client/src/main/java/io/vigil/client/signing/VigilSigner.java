package io.vigil.client.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The headers that sign one request to Vigil with an API key:
 * <pre>
 * Vigil-Key-Id: vk_...
 * Vigil-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256&gt;
 * Content-Digest: sha-256=:&lt;base64 SHA-256 of the body&gt;:     (when there is a body)
 * </pre>
 * The HMAC, keyed with the secret's UTF-8 bytes, covers
 * {@code t + "\n" + METHOD + "\n" + path-with-query + "\n" + Content-Digest-or-empty}. The path and
 * query must be exactly as the request sends them (already percent-encoded). Thread-safe.
 */
public final class VigilSigner {
  public static final String KEY_ID_HEADER = "Vigil-Key-Id";
  public static final String SIGNATURE_HEADER = "Vigil-Signature";
  public static final String DIGEST_HEADER = "Content-Digest";

  private final String keyId;
  private final SecretKeySpec key;
  private final Clock clock;

  public VigilSigner(String keyId, String secret, Clock clock) {
    this.keyId = Objects.requireNonNull(keyId, "keyId");
    this.key = new SecretKeySpec(Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (!keyId.startsWith("vk_")) throw new IllegalArgumentException("an API key id starts with vk_");
  }

  /** The headers for a request signed now; body null or empty when there is none. */
  public Map<String, String> headers(String method, String pathWithQuery, byte[] body) {
    return headersAt(Math.floorDiv(clock.millis(), 1000), method, pathWithQuery, body);
  }

  /** The headers for a request signed at {@code timestampSeconds}. */
  public Map<String, String> headersAt(long timestampSeconds, String method, String pathWithQuery, byte[] body) {
    if (!pathWithQuery.startsWith("/")) throw new IllegalArgumentException("the path starts with /");
    String digest = body == null || body.length == 0 ? null : contentDigest(body);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(KEY_ID_HEADER, keyId);
    headers.put(SIGNATURE_HEADER, "t=" + timestampSeconds + ",v1=" + signature(timestampSeconds, method, pathWithQuery, digest));
    if (digest != null) headers.put(DIGEST_HEADER, digest);
    return headers;
  }

  /** The hex HMAC-SHA256 of the signed string. */
  public String signature(long timestampSeconds, String method, String pathWithQuery, String contentDigest) {
    String signed = timestampSeconds + "\n" + method + "\n" + pathWithQuery + "\n" + (contentDigest == null ? "" : contentDigest);
    return hmacHex(key, signed.getBytes(StandardCharsets.UTF_8));
  }

  static String hmacHex(SecretKeySpec key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  /** {@code sha-256=:<base64>:} of the body (RFC 9530). */
  public static String contentDigest(byte[] body) {
    try {
      return "sha-256=:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body)) + ":";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  public String keyId() {
    return keyId;
  }
}
