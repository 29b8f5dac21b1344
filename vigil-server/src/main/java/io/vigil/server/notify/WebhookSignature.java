package io.vigil.server.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks signature (https://www.standardwebhooks.com): the secret is {@code whsec_}
 * and the base64 of the key bytes; the signature is {@code v1,} and the base64 of
 * HMAC-SHA256(key, {@code "{webhook-id}.{webhook-timestamp}.{body}"}). Several signatures (during a
 * secret rotation) go in one header, separated by spaces.
 */
public final class WebhookSignature {
  public static final String SECRET_PREFIX = "whsec_";
  /** Key bytes of a new secret (the specification asks for 24 to 64). */
  static final int SECRET_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private WebhookSignature() {}

  /** A new secret's key bytes. */
  static byte[] newKey() {
    byte[] key = new byte[SECRET_BYTES];
    RANDOM.nextBytes(key);
    return key;
  }

  /** The key as the endpoint's owner sees it: {@code whsec_} and base64. */
  static String secretText(byte[] key) {
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** The key bytes of a {@code whsec_} secret. */
  public static byte[] keyOf(String secret) {
    if (!secret.startsWith(SECRET_PREFIX)) throw new IllegalArgumentException("a webhook secret starts with " + SECRET_PREFIX);
    return Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
  }

  /** {@code v1,<base64 signature>} of one message with one key. */
  public static String sign(byte[] key, String webhookId, long timestampSeconds, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] signed = mac.doFinal((webhookId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(signed);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
