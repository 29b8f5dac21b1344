package io.vigil.server.privacy;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.prf.PrfConfig;
import com.google.crypto.tink.prf.PrfSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Keyed hashes of personal values (HMAC-SHA256 under a key of its own, not the master keyset's):
 * equal values hash alike, so a list finds a phone, e-mail or IP by its hash, but the hash of a
 * guessed value cannot be computed without the key. A {@code domain} separates the uses.
 */
public final class LookupHashes {
  static {
    try {
      PrfConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Hash output bytes. */
  private static final int OUTPUT_BYTES = 32;
  private final PrfSet prf;

  private LookupHashes(PrfSet prf) {
    this.prf = prf;
  }

  public static LookupHashes open(Path file) {
    KeysetHandle keyset = KeysetFile.loadOrCreate(file, PredefinedPrfParameters.HMAC_SHA256_PRF);
    try {
      return new LookupHashes(keyset.getPrimitive(RegistryConfiguration.get(), PrfSet.class));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the lookup keyset " + file + " is not an HMAC keyset", e);
    }
  }

  public byte[] hash(String domain, String value) {
    byte[] d = domain.getBytes(StandardCharsets.UTF_8);
    byte[] v = value.getBytes(StandardCharsets.UTF_8);
    byte[] input = new byte[d.length + 1 + v.length];
    System.arraycopy(d, 0, input, 0, d.length);
    System.arraycopy(v, 0, input, d.length + 1, v.length);
    try {
      return prf.computePrimary(input, OUTPUT_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("computing a keyed hash failed", e);
    }
  }

  /** The hash as 64 hex digits. */
  public String hex(String domain, String value) {
    return HexFormat.of().formatHex(hash(domain, value));
  }

  /** The hash as "k1:" and 43 characters of URL-safe Base64 (fits a 64-character column). */
  public String token(String domain, String value) {
    return "k1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(hash(domain, value));
  }
}
