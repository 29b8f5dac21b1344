package io.vigil.server.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Cuts what the audit trail stores to its column sizes, and removes control characters from free text. */
final class Bounded {
  private Bounded() {}

  /** The text without control characters, at most maxChars; null stays null. */
  static String text(String s, int maxChars) {
    if (s == null) return null;
    StringBuilder out = new StringBuilder(Math.min(s.length(), maxChars));
    for (int i = 0; i < s.length() && out.length() < maxChars; i++) {
      char c = s.charAt(i);
      out.append(Character.isISOControl(c) ? '?' : c);
    }
    if (out.length() > 0 && Character.isHighSurrogate(out.charAt(out.length() - 1))) out.setLength(out.length() - 1);
    return out.toString();
  }

  /** The JSON as given when short enough, else a JSON object with its length and SHA-256 (its content is not kept). */
  static String json(String json) {
    if (json == null || json.length() <= AuditEntry.JSON_CHARS_MAX) return json;
    return "{\"truncated\":true,\"chars\":" + json.length() + ",\"sha256\":\"" + sha256(json) + "\"}";
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }
}
