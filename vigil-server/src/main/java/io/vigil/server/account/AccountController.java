package io.vigil.server.account;

import io.vigil.engine.Limits;
import io.vigil.engine.restriction.Restriction;
import io.vigil.engine.restriction.RestrictionKind;
import io.vigil.server.api.Actor;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Json;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Restrictions on an account, and the holder's lock and verified unlock. */
@RestController
public class AccountController {
  private static final Pattern ACCOUNT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@+\\-]*");
  private static final int REASON_CHARS_MAX = 1024;
  private final RestrictionService restrictions;

  public AccountController(RestrictionService restrictions) {
    this.restrictions = restrictions;
  }

  @PostMapping("/v1/accounts/{accountId}/restrictions")
  public ResponseEntity<Map<String, Object>> restrict(@PathVariable String accountId, HttpServletRequest request) {
    checkAccountId(accountId);
    Map<String, Object> body = object(request, Set.of("kind", "reason", "expires_at"));
    RestrictionKind kind = RestrictionKind.fromWire(string(body, "kind", true, 32));
    if (kind == null) {
      throw ApiException.invalid("invalid_kind", "kind must be freeze, no_withdrawals or no_transfers_out", "kind");
    }
    String reason = string(body, "reason", true, REASON_CHARS_MAX);
    long expiresAt = expiresAt(string(body, "expires_at", false, 64));
    Restriction r = restrictions.restrict(accountId, kind, reason, expiresAt, Actor.of(request));
    return ResponseEntity.status(HttpStatus.CREATED).body(json(r, null));
  }

  @GetMapping("/v1/accounts/{accountId}/restrictions")
  public Map<String, Object> list(@PathVariable String accountId) {
    checkAccountId(accountId);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("account_id", accountId);
    m.put("active", restrictions.active(accountId).stream().map(r -> json(r, null)).toList());
    m.put("history", restrictions.history(accountId).stream().map(row -> json(row.restriction(), row)).toList());
    return m;
  }

  @PostMapping("/v1/accounts/{accountId}/restrictions/{restrictionId}/lift")
  public Map<String, Object> lift(@PathVariable String accountId, @PathVariable String restrictionId,
      HttpServletRequest request) {
    checkAccountId(accountId);
    Map<String, Object> body = object(request, Set.of("reason"));
    String reason = string(body, "reason", true, REASON_CHARS_MAX);
    return json(restrictions.lift(accountId, restrictionId, reason, Actor.of(request)), null);
  }

  /** The holder's one-click lock, called by the wallet app on the holder's behalf. */
  @PostMapping("/v1/accounts/{accountId}/lock")
  public Map<String, Object> lock(@PathVariable String accountId, HttpServletRequest request) {
    checkAccountId(accountId);
    Map<String, Object> body = object(request, Set.of("reason"));
    return json(restrictions.lock(accountId, string(body, "reason", false, REASON_CHARS_MAX), Actor.of(request)), null);
  }

  /** Lifts the holder's lock once the caller has verified the holder's identity. */
  @PostMapping("/v1/accounts/{accountId}/unlock")
  @SuppressWarnings("unchecked")
  public Map<String, Object> unlock(@PathVariable String accountId, HttpServletRequest request) {
    checkAccountId(accountId);
    Map<String, Object> body = object(request, Set.of("verification"));
    if (!(body.get("verification") instanceof Map<?, ?> verification)) {
      throw ApiException.invalid("verification_required",
          "unlocking needs the identity step the holder passed: {\"verification\": {\"method\": \"biometric\"}}", "verification");
    }
    String method = string((Map<String, Object>) verification, "method", true, 32);
    List<Restriction> lifted = restrictions.unlock(accountId, method, Actor.of(request));
    return Map.of("account_id", accountId, "unlocked", lifted.stream().map(r -> json(r, null)).toList());
  }

  private static void checkAccountId(String accountId) {
    if (accountId.length() > Limits.IDENTIFIER_CHARS_MAX || !ACCOUNT_ID.matcher(accountId).matches()) {
      throw ApiException.invalid("invalid_format", "account_id has characters that are not allowed or is longer than "
          + Limits.IDENTIFIER_CHARS_MAX, "account_id");
    }
  }

  private static Map<String, Object> object(HttpServletRequest request, Set<String> fields) {
    byte[] raw = Bodies.read(request);
    Map<String, Object> body = raw.length == 0 ? Map.of() : Json.parseObject(raw);
    for (String key : body.keySet()) {
      String shown = key.length() > 64 ? key.substring(0, 64) + "…" : key;
      if (!fields.contains(key)) throw ApiException.invalid("unknown_field", "unknown field " + shown, shown);
    }
    return body;
  }

  private static long expiresAt(String text) {
    if (text == null) return 0;
    long at;
    try {
      at = Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw ApiException.invalid("invalid_timestamp", "expires_at must be an RFC 3339 UTC time", "expires_at");
    }
    if (at <= System.currentTimeMillis()) throw ApiException.invalid("expires_in_past", "expires_at must be in the future", "expires_at");
    return at;
  }

  private static String string(Map<String, Object> body, String key, boolean required, int maxChars) {
    Object v = body.get(key);
    if (v == null) {
      if (required) throw ApiException.invalid("missing_field", key + " is required", key);
      return null;
    }
    if (!(v instanceof String s)) throw ApiException.invalid("wrong_type", key + " must be a string", key);
    if (s.isBlank() && required) throw ApiException.invalid("missing_field", key + " must not be empty", key);
    if (s.length() > maxChars) throw ApiException.invalid("value_too_long", key + " must be at most " + maxChars + " characters", key);
    return s;
  }

  private static Map<String, Object> json(Restriction r, RestrictionRepository.Row row) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("account_id", r.accountId());
    m.put("kind", r.kind().wireName());
    m.put("source", r.source());
    m.put("reason", r.reason());
    m.put("created_by", r.createdBy());
    m.put("created_at", Instant.ofEpochMilli(r.createdAtMillis()).toString());
    m.put("expires_at", r.expiresAtMillis() == 0 ? null : Instant.ofEpochMilli(r.expiresAtMillis()).toString());
    m.put("lifted_at", r.liftedAtMillis() == 0 ? null : Instant.ofEpochMilli(r.liftedAtMillis()).toString());
    if (row != null) {
      m.put("lifted_by", row.liftedBy());
      m.put("lift_reason", row.liftReason());
      m.put("verification_method", row.verificationMethod());
    }
    m.put("active", r.activeAt(System.currentTimeMillis()));
    return m;
  }
}
