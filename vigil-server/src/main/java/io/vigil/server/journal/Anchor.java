package io.vigil.server.journal;

import io.vigil.server.api.Json;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One signed journal head: the committed row {@code sequence} had {@code hash} at
 * {@code anchoredAtMillis} (the server clock), signed by key {@code keyId}. Sequence 0 with the
 * genesis hash anchors an empty journal. {@code reason} says why it was taken: {@code start} (the
 * head verified at start-up), {@code interval}, or {@code shutdown} (the last head of a clean stop:
 * no row may follow it until the next {@code start}). The signature covers every field.
 */
public record Anchor(String keyId, long sequence, String hash, long anchoredAtMillis, String reason, String signature) {
  public static final String START = "start";
  public static final String INTERVAL = "interval";
  public static final String SHUTDOWN = "shutdown";
  private static final String DOMAIN = "vigil-journal-anchor/1";

  public static Anchor signed(AnchorKey key, long sequence, String hash, long anchoredAtMillis, String reason) {
    byte[] signature = key.sign(message(key.id(), sequence, hash, anchoredAtMillis, reason));
    return new Anchor(key.id(), sequence, hash, anchoredAtMillis, reason, Base64.getEncoder().encodeToString(signature));
  }

  /** The bytes the signature covers: every field, one per line, after a fixed domain tag. */
  static byte[] message(String keyId, long sequence, String hash, long anchoredAtMillis, String reason) {
    return (DOMAIN + "\n" + keyId + "\n" + sequence + "\n" + hash + "\n" + anchoredAtMillis + "\n" + reason)
        .getBytes(StandardCharsets.UTF_8);
  }

  public boolean verifiedBy(PublicKey publicKey) {
    byte[] sig;
    try {
      sig = Base64.getDecoder().decode(signature);
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
    return AnchorKey.verify(publicKey, message(keyId, sequence, hash, anchoredAtMillis, reason), sig);
  }

  /** The anchor file's line (without the newline). */
  public String toJsonLine() {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("key_id", keyId);
    line.put("sequence", sequence);
    line.put("hash", hash);
    line.put("anchored_at", Instant.ofEpochMilli(anchoredAtMillis).toString());
    line.put("reason", reason);
    line.put("signature", signature);
    return Json.write(line);
  }

  /** Reads a line; throws {@link IllegalArgumentException} for a line that is not an anchor. */
  public static Anchor fromJsonLine(String line) {
    Map<String, Object> m;
    try {
      m = Json.readMap(line);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a JSON object");
    }
    try {
      return new Anchor(text(m, "key_id"), ((Number) m.get("sequence")).longValue(), text(m, "hash"),
          Instant.parse(text(m, "anchored_at")).toEpochMilli(), text(m, "reason"), text(m, "signature"));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("a field is missing or malformed");
    }
  }

  private static String text(Map<String, Object> m, String field) {
    Object v = m.get(field);
    if (!(v instanceof String s)) throw new IllegalArgumentException(field);
    return s;
  }
}
