package io.vigil.server.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Optional;

/**
 * The text form of a sealed value: {@code vpd1:<data key id>:<URL-safe Base64 of the AES-256-GCM
 * ciphertext>}. The key id says which data key opens it, so opening needs no other column; the
 * associated data binds the ciphertext to where it is stored (its event id and part), so a
 * ciphertext moved to another row does not open.
 */
public final class SealedValues {
  public static final String PREFIX = "vpd1:";
  /** What a read shows in place of a value whose key was erased. */
  public static final String ERASED = "[erased]";
  private final DataKeys keys;

  public SealedValues(DataKeys keys) {
    this.keys = keys;
  }

  public static boolean isSealed(Object value) {
    return value instanceof String s && s.startsWith(PREFIX);
  }

  public String seal(DataKeys.DataKey key, String plaintext, String associatedData) {
    try {
      byte[] ct = key.aead().encrypt(plaintext.getBytes(StandardCharsets.UTF_8), associatedData.getBytes(StandardCharsets.UTF_8));
      return PREFIX + key.keyId() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(ct);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealing a personal value failed", e);
    }
  }

  /** The plaintext, or empty when its key was erased. Throws when the token is damaged or moved. */
  public Optional<String> open(String token, String associatedData) {
    int colon = token.indexOf(':', PREFIX.length());
    if (!token.startsWith(PREFIX) || colon < 0) throw new IllegalArgumentException("not a sealed value");
    Optional<DataKeys.DataKey> key = keys.byId(token.substring(PREFIX.length(), colon));
    if (key.isEmpty()) return Optional.empty();
    try {
      byte[] pt = key.get().aead().decrypt(Base64.getUrlDecoder().decode(token.substring(colon + 1)),
          associatedData.getBytes(StandardCharsets.UTF_8));
      return Optional.of(new String(pt, StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("a sealed personal value does not open (damaged, or moved from another row)", e);
    }
  }

  DataKeys keys() {
    return keys;
  }
}
