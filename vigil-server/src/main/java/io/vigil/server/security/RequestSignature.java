package io.vigil.server.security;

import io.vigil.server.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies a payment system's signed request:
 * <pre>
 * Vigil-Key-Id: vk_...
 * Vigil-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256&gt;[,v1=...]
 * Content-Digest: sha-256=:&lt;base64&gt;:          (when there is a body)
 * </pre>
 * over {@code t \n METHOD \n path-with-query-as-sent \n content-digest-or-empty}, keyed with the
 * key's secret. The key must be active and unexpired, the timestamp within the tolerance of the
 * server's clock either way, and the (key, signature) pair new ({@link ReplayGuard}). Every
 * comparison of secret-derived bytes is constant-time. The body itself is checked against the
 * digest where it is read ({@link ContentDigest}).
 */
public final class RequestSignature {
  public static final String KEY_ID_HEADER = "Vigil-Key-Id";
  public static final String SIGNATURE_HEADER = "Vigil-Signature";
  /** Set on a request authenticated by its signature: its body must match its Content-Digest, and it is exempt from CSRF. */
  public static final String SIGNED_ATTRIBUTE = "io.vigil.signed";
  private static final int HEADER_CHARS_MAX = 400;
  private static final int SIGNATURES_MAX = 4;
  private static final int MAC_BYTES = 32;
  private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(RequestSignature::newMac);

  private final ApiKeys keys;
  private final ReplayGuard replays;
  private final Clock clock;
  private final long toleranceSeconds;

  public RequestSignature(ApiKeys keys, ReplayGuard replays, Clock clock, long toleranceSeconds) {
    this.keys = keys;
    this.replays = replays;
    this.clock = clock;
    this.toleranceSeconds = toleranceSeconds;
  }

  /** A parsed {@code Vigil-Signature} header. */
  public record Parsed(long timestampSeconds, List<byte[]> signatures) {}

  /**
   * The principal of a correctly signed request, or the 401 (or 503 when the replay guard is full) as an exception.
   *
   * @param hasBody whether the request carries a body (then a Content-Digest is required)
   */
  public VigilPrincipal verify(String method, String pathWithQuery, String keyId, String signatureHeader,
      String contentDigest, boolean hasBody) {
    if (keyId == null) throw invalid("The request has a Vigil-Signature header but no Vigil-Key-Id", KEY_ID_HEADER);
    if (signatureHeader == null) throw invalid("The request has a Vigil-Key-Id header but no Vigil-Signature", SIGNATURE_HEADER);
    if (hasBody && contentDigest == null) throw ContentDigest.missing();
    Parsed parsed = parse(signatureHeader);
    ApiKeys.Key key = keys.find(keyId);
    if (key == null) throw invalid("Unknown API key or wrong signature", KEY_ID_HEADER);
    long nowMillis = clock.millis();
    if (key.revoked()) throw ApiException.unauthenticated("api_key_revoked", "This API key has been revoked", KEY_ID_HEADER);
    if (key.expiredAt(nowMillis)) throw ApiException.unauthenticated("api_key_expired", "This API key has expired", KEY_ID_HEADER);
    long nowSeconds = Math.floorDiv(nowMillis, 1000);
    if (Math.abs(nowSeconds - parsed.timestampSeconds()) > toleranceSeconds) {
      throw ApiException.unauthenticated("signature_expired", "The signature's timestamp is more than " + toleranceSeconds
          + " s from the server's clock; sign again with the current time", SIGNATURE_HEADER);
    }
    byte[] data = signedString(parsed.timestampSeconds(), method, pathWithQuery, contentDigest == null ? "" : contentDigest)
        .getBytes(StandardCharsets.UTF_8);
    byte[] matched = null;
    for (SecretKeySpec secret : key.secretsAt(nowMillis)) {
      byte[] expected = hmac(secret, data);
      for (byte[] given : parsed.signatures()) {
        if (MessageDigest.isEqual(expected, given)) matched = given;
      }
    }
    if (matched == null) throw invalid("Unknown API key or wrong signature", SIGNATURE_HEADER);
    switch (replays.remember(fingerprint(keyId, matched), parsed.timestampSeconds(), nowSeconds)) {
      case REPLAYED -> throw ApiException.unauthenticated("signature_replayed",
          "This signature has been used already; sign each request anew", SIGNATURE_HEADER);
      case FULL -> throw ApiException.unavailable("overloaded",
          "Too many signed requests to check for replays; nothing was stored. Retry shortly");
      case NEW -> { }
    }
    return key.principal();
  }

  /** The string signed: {@code t \n METHOD \n path-with-query \n content-digest-or-empty}. */
  public static String signedString(long timestampSeconds, String method, String pathWithQuery, String contentDigest) {
    return timestampSeconds + "\n" + method + "\n" + pathWithQuery + "\n" + contentDigest;
  }

  /** Parses {@code t=<digits>,v1=<64 hex>[,v1=...]}; anything else is a 401 signature_invalid. */
  public static Parsed parse(String header) {
    if (header.length() > HEADER_CHARS_MAX) throw invalid("The Vigil-Signature header is too long", SIGNATURE_HEADER);
    Long t = null;
    List<byte[]> signatures = new ArrayList<>(2);
    for (String part : header.split(",", SIGNATURES_MAX + 2)) {
      String p = part.trim();
      if (p.startsWith("t=") && t == null && p.length() > 2 && p.length() <= 14 && digits(p.substring(2))) {
        t = Long.parseLong(p.substring(2));
      } else if (p.startsWith("v1=") && p.length() == 3 + 2 * MAC_BYTES && signatures.size() < SIGNATURES_MAX) {
        try {
          signatures.add(HexFormat.of().parseHex(p.substring(3)));
        } catch (IllegalArgumentException e) {
          throw malformed();
        }
      } else {
        throw malformed();
      }
    }
    if (t == null || signatures.isEmpty()) throw malformed();
    return new Parsed(t, List.copyOf(signatures));
  }

  /** HMAC-SHA256 of data under the key. */
  public static byte[] hmac(SecretKeySpec key, byte[] data) {
    Mac mac = MACS.get();
    try {
      mac.init(key);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC key refused", e);
    }
    return mac.doFinal(data);
  }

  /** The HMAC key of a secret: its UTF-8 bytes. */
  public static SecretKeySpec hmacKey(String secret) {
    return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  private static long fingerprint(String keyId, byte[] signature) {
    long v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | (signature[i] & 0xff);
    return v ^ (keyId.hashCode() * 0x9E3779B97F4A7C15L);
  }

  private static boolean digits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
    }
    return true;
  }

  private static Mac newMac() {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  private static ApiException malformed() {
    return invalid("The Vigil-Signature header is not t=<unix seconds>,v1=<64 hex digits>", SIGNATURE_HEADER);
  }

  private static ApiException invalid(String message, String param) {
    return ApiException.unauthenticated("signature_invalid", message, param);
  }
}
