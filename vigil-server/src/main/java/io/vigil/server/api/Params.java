package io.vigil.server.api;

import io.vigil.engine.Limits;
import io.vigil.engine.event.CardNumbers;
import io.vigil.engine.policy.PolicyMaps;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks of small request parts shared by the routes: ids in paths, string fields, expiry times. */
public final class Params {
  /** Expiry times beyond a century are typing errors. */
  private static final long EXPIRY_MILLIS_MAX = 100L * 366 * 86_400_000L;
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@+\\-]*");

  private Params() {}

  /** An account id from a path, with the event API's characters and length. */
  public static String accountId(String accountId) {
    return identifier(accountId, "account_id");
  }

  /** An id (account, approver …) with the event API's identifier characters and length. */
  public static String identifier(String value, String param) {
    if (value.length() > Limits.IDENTIFIER_CHARS_MAX || !IDENTIFIER.matcher(value).matches()) {
      throw ApiException.invalid("invalid_format", param + " has characters that are not allowed or is longer than "
          + Limits.IDENTIFIER_CHARS_MAX, param);
    }
    return value;
  }

  /** A JSON object body (an empty body is an empty object) holding only the given fields. */
  public static Map<String, Object> object(byte[] raw, Set<String> fields) {
    return checkFields(raw.length == 0 ? Map.of() : Json.parseObject(raw), fields, "");
  }

  /** The object, refused when it holds a field not in fields; prefix names a nested object in errors. */
  public static Map<String, Object> checkFields(Map<String, Object> object, Set<String> fields, String prefix) {
    for (String key : object.keySet()) checkField(key, fields, prefix);
    return object;
  }

  /**
   * The field name, refused when not in fields: param names it (cut to 64 characters), the
   * message does not; a name holding a card number is refused as one, param naming its object.
   * Prefix names a nested object in errors.
   */
  public static String checkField(String key, Set<String> fields, String prefix) {
    if (fields.contains(key)) return key;
    if (CardNumbers.in(key)) throw CardNumbers.detected(prefix.isEmpty() ? CardNumbers.FIELD_NAME : prefix);
    throw unknownField((prefix.isEmpty() ? "" : prefix + ".") + PolicyMaps.truncate(key));
  }

  /** A field this route does not take; the message never repeats a name the client made up. */
  public static ApiException unknownField(String param) {
    return ApiException.invalid("unknown_field", "The body has a field this route does not take; param names it", param);
  }

  /** A string field of at most maxChars; a required one must be present and not blank. */
  public static String string(Map<String, Object> body, String key, boolean required, int maxChars) {
    Object v = body.get(key);
    if (v == null) {
      if (required) throw ApiException.invalid("missing_field", key + " is required", key);
      return null;
    }
    if (!(v instanceof String s)) throw ApiException.invalid("wrong_type", key + " must be a string", key);
    if (required && s.isBlank()) throw ApiException.invalid("missing_field", key + " must not be empty", key);
    if (s.length() > maxChars) throw ApiException.invalid("value_too_long", key + " must be at most " + maxChars + " characters", key);
    return s;
  }

  /** An optional {@code expires_at}: epoch millis after {@code nowMillis}, or 0 when absent. */
  public static long expiresAt(String text, long nowMillis) {
    if (text == null) return 0;
    long at;
    try {
      at = Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      throw ApiException.invalid("invalid_timestamp", "expires_at must be an RFC 3339 UTC time", "expires_at");
    }
    if (at <= nowMillis) throw ApiException.invalid("expires_in_past", "expires_at must be in the future", "expires_at");
    if (at - nowMillis > EXPIRY_MILLIS_MAX) throw ApiException.invalid("out_of_range", "expires_at is at most 100 years ahead", "expires_at");
    return at;
  }
}
