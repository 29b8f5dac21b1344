package io.vigil.server.privacy;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;

/** SHA-256 without a key: the request hash of rows stored without personal-data protection. */
final class PlainHashes {
  private PlainHashes() {}

  static String sha256Hex(String text) {
    return Hashing.sha256().hashString(text, StandardCharsets.UTF_8).toString();
  }
}
