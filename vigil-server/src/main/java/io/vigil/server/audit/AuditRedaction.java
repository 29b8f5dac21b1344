package io.vigil.server.audit;

import io.vigil.engine.event.CardNumbers;
import io.vigil.server.api.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;

/**
 * Takes the secrets out of what the audit trail stores as before and after: the value of a field
 * whose name says it holds a secret (password, secret, code, recovery code, TOTP, token, signature,
 * key material...) becomes {@value #REDACTED} at any depth, and any string or number that holds a
 * card number becomes {@value #CARD_NUMBER}. A body that is not JSON is kept only as its size.
 */
public final class AuditRedaction {
  public static final String REDACTED = "[redacted]";
  public static final String CARD_NUMBER = "[card number removed]";
  private static final int DEPTH_MAX = 32;
  /** Field names (lower case, exact) that hold a secret. */
  private static final List<String> EXACT = List.of("code", "otp", "token", "csrf_token", "signature", "authorization", "cookie",
      "pin", "cvv", "cvc", "pan", "card_number", "key", "hmac");
  /** Parts of field names (lower case) that mark a secret wherever they appear in the name. */
  private static final List<String> PARTS = List.of("password", "passwd", "secret", "totp", "recovery_code", "recoverycode",
      "private_key", "privatekey", "passphrase", "credential", "session", "api_key_secret", "seed");

  private AuditRedaction() {}

  /** Whether a field of this name holds a secret. */
  public static boolean secretName(String name) {
    String n = name.toLowerCase(Locale.ROOT).replace('-', '_');
    if (EXACT.contains(n)) return true;
    for (String p : PARTS) {
      if (n.contains(p)) return true;
    }
    return false;
  }

  /** The JSON text of a request body, redacted; a body that is not a JSON object or array is kept as its size. */
  public static String body(byte[] raw, String contentType) {
    if (raw == null || raw.length == 0) return null;
    try {
      Object tree = Json.MAPPER.readValue(raw, Object.class);
      if (tree instanceof Map<?, ?> || tree instanceof List<?>) return write(clean(tree, 0));
    } catch (JacksonException notJson) {
      // kept as its size below
    }
    Map<String, Object> size = new LinkedHashMap<>();
    size.put("body_bytes", raw.length);
    if (contentType != null) size.put("content_type", contentType.length() > 64 ? contentType.substring(0, 64) : contentType);
    return write(size);
  }

  /** A value a route gave (a map, list, string, number, record-free tree) as redacted JSON; null stays null. */
  public static String value(Object value) {
    if (value == null) return null;
    return write(clean(value, 0));
  }

  /** The tree with secrets replaced; deeper than the bound is cut. */
  static Object clean(Object node, int depth) {
    if (depth > DEPTH_MAX) return "[too deep]";
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        if (CardNumbers.in(key)) {
          out.put(CARD_NUMBER, REDACTED);
        } else if (secretName(key)) {
          out.put(key, e.getValue() == null ? null : REDACTED);
        } else {
          out.put(key, clean(e.getValue(), depth + 1));
        }
      }
      return out;
    }
    if (node instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object o : list) out.add(clean(o, depth + 1));
      return out;
    }
    if (node instanceof String s) return CardNumbers.in(s) ? CARD_NUMBER : s;
    if (node instanceof BigDecimal || node instanceof BigInteger || node instanceof Long || node instanceof Integer) {
      String digits = node instanceof BigDecimal d ? d.toPlainString() : node.toString();
      return CardNumbers.in(digits) ? CARD_NUMBER : node;
    }
    if (node == null || node instanceof Boolean || node instanceof Number) return node;
    return clean(Json.MAPPER.convertValue(node, Object.class), depth + 1);
  }

  private static String write(Object tree) {
    try {
      return Json.CANONICAL.writeValueAsString(tree);
    } catch (JacksonException e) {
      throw new IllegalStateException("a redacted tree is always writable", e);
    }
  }
}
