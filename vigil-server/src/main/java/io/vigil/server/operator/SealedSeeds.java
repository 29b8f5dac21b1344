package io.vigil.server.operator;

import io.vigil.server.security.SecretBox;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * TOTP seeds sealed with the secrets keyset ({@link SecretBox}, AES-256-GCM), base64 for the
 * store, with {@code operator-totp:<username>} as associated data: a sealed seed moved to another
 * account does not open.
 */
public final class SealedSeeds implements SeedBox {
  private final SecretBox box;

  public SealedSeeds(SecretBox box) {
    this.box = box;
  }

  @Override
  public String seal(String seed, String username) {
    return Base64.getEncoder().encodeToString(box.seal(seed.getBytes(StandardCharsets.US_ASCII), context(username)));
  }

  @Override
  public String open(String sealed, String username) {
    return new String(box.open(Base64.getDecoder().decode(sealed), context(username)), StandardCharsets.US_ASCII);
  }

  private static byte[] context(String username) {
    return ("operator-totp:" + username).getBytes(StandardCharsets.UTF_8);
  }
}
