package io.vigil.server.security;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Params;
import io.vigil.server.security.ApiKeyStore.Row;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The life of an API key (permission {@code api_keys.manage}): issue (the secret is shown once),
 * list and read (never the secret), rotate (a new secret; the old one stays valid for the overlap),
 * revoke, and destroy (the secret material is erased; the row stays as a record). Issuing and
 * rotating also need a fresh second factor ({@link StepUp}). Each step is recorded with who did it.
 */
@RestController
public class ApiKeyController {
  static final long OVERLAP_SECONDS_DEFAULT = 86_400;
  static final long OVERLAP_SECONDS_MAX = 7 * 86_400;
  private static final int OWNER_CHARS_MAX = 128;
  private static final int EVENTS_SHOWN_MAX = 100;
  private static final Pattern KEY_ID = Pattern.compile("vk_[A-Za-z0-9_]{1,76}");
  private final ApiKeys keys;
  private final Clock clock;

  public ApiKeyController(ApiKeys keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  @PostMapping("/v1/api-keys")
  public ResponseEntity<Map<String, Object>> issue(HttpServletRequest request) {
    VigilPrincipal caller = Principals.current(request);
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("owner", "scopes", "expires_at"));
    String owner = Params.string(body, "owner", true, OWNER_CHARS_MAX);
    Set<ApiScope> scopes = scopes(body.get("scopes"));
    Long expiresAt = expiresAt(Params.string(body, "expires_at", false, 64));
    StepUp.require(caller, clock);
    ApiKeys.Issued issued = keys.issue(owner, scopes, expiresAt, caller.id());
    Map<String, Object> json = json(issued.row());
    json.put("secret", issued.secret());
    return ResponseEntity.status(HttpStatus.CREATED).body(json);
  }

  @GetMapping("/v1/api-keys")
  public Map<String, Object> list() {
    List<Map<String, Object>> data = new ArrayList<>();
    for (Row r : keys.store().all()) data.add(json(r));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("data", data);
    return m;
  }

  @GetMapping("/v1/api-keys/{keyId}")
  public Map<String, Object> one(@PathVariable String keyId) {
    Map<String, Object> json = json(find(keyId));
    List<Map<String, Object>> events = new ArrayList<>();
    for (ApiKeyStore.Event e : keys.store().events(keyId, EVENTS_SHOWN_MAX)) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("action", e.action());
      x.put("actor", e.actor());
      x.put("at", Instant.ofEpochMilli(e.atMillis()).toString());
      x.put("detail", e.detail());
      events.add(x);
    }
    json.put("events", events);
    return json;
  }

  @PostMapping("/v1/api-keys/{keyId}/rotate")
  public Map<String, Object> rotate(@PathVariable String keyId, HttpServletRequest request) {
    VigilPrincipal caller = Principals.current(request);
    Map<String, Object> body = Params.object(bodyOrEmpty(request), Set.of("overlap_seconds"));
    long overlap = overlapSeconds(body.get("overlap_seconds"));
    Row row = find(keyId);
    StepUp.require(caller, clock);
    ApiKeys.Issued rotated = keys.rotate(keyId, overlap, caller.id());
    if (rotated == null) throw notActive(row);
    Map<String, Object> json = json(rotated.row());
    json.put("secret", rotated.secret());
    return json;
  }

  @PostMapping("/v1/api-keys/{keyId}/revoke")
  public Map<String, Object> revoke(@PathVariable String keyId, HttpServletRequest request) {
    VigilPrincipal caller = Principals.current(request);
    Params.object(bodyOrEmpty(request), Set.of());
    Row row = find(keyId);
    if (!keys.revoke(keyId, caller.id())) throw notActive(row);
    return json(find(keyId));
  }

  @DeleteMapping("/v1/api-keys/{keyId}")
  public Map<String, Object> destroy(@PathVariable String keyId, HttpServletRequest request) {
    VigilPrincipal caller = Principals.current(request);
    find(keyId);
    if (!keys.destroy(keyId, caller.id())) {
      throw ApiException.conflict("invalid_request_error", "api_key_destroyed", "This key's secret material is destroyed already", "key_id");
    }
    return json(find(keyId));
  }

  private Row find(String keyId) {
    if (!KEY_ID.matcher(keyId).matches()) throw ApiException.invalid("invalid_parameter", "key_id is vk_ and letters, digits or _", "key_id");
    return keys.store().find(keyId)
        .orElseThrow(() -> ApiException.notFound("api_key_not_found", "No API key with this id", "key_id"));
  }

  private static byte[] bodyOrEmpty(HttpServletRequest request) {
    byte[] body = Bodies.read(request);
    return body.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : body;
  }

  private static ApiException notActive(Row row) {
    return ApiException.conflict("invalid_request_error", "api_key_not_active",
        "This key is " + row.status().name().toLowerCase(Locale.ROOT) + ": only an active key is rotated or revoked", "key_id");
  }

  private static Set<ApiScope> scopes(Object value) {
    if (value == null) throw ApiException.invalid("missing_field", "scopes is required", "scopes");
    if (!(value instanceof List<?> list)) throw ApiException.invalid("wrong_type", "scopes must be an array of strings", "scopes");
    if (list.isEmpty()) throw ApiException.invalid("missing_field", "scopes needs at least one scope", "scopes");
    EnumSet<ApiScope> scopes = EnumSet.noneOf(ApiScope.class);
    for (int i = 0; i < list.size(); i++) {
      ApiScope s = list.get(i) instanceof String code ? ApiScope.ofCode(code) : null;
      if (s == null) {
        throw ApiException.invalid("invalid_value", "A scope is one of decide, feedback, self_service, read, admin", "scopes[" + i + "]");
      }
      scopes.add(s);
    }
    return scopes;
  }

  private Long expiresAt(String text) {
    if (text == null) return null;
    long at;
    try {
      at = Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      throw ApiException.invalid("invalid_timestamp", "expires_at must be an RFC 3339 UTC time", "expires_at");
    }
    if (at <= clock.millis()) throw ApiException.invalid("expires_in_past", "expires_at must be in the future", "expires_at");
    return at;
  }

  private static long overlapSeconds(Object value) {
    if (value == null) return OVERLAP_SECONDS_DEFAULT;
    if (!(value instanceof Integer || value instanceof Long)) {
      throw ApiException.invalid("wrong_type", "overlap_seconds must be an integer", "overlap_seconds");
    }
    long v = ((Number) value).longValue();
    if (v < 0 || v > OVERLAP_SECONDS_MAX) {
      throw ApiException.invalid("out_of_range", "overlap_seconds is 0 to " + OVERLAP_SECONDS_MAX + " (7 days)", "overlap_seconds");
    }
    return v;
  }

  static Map<String, Object> json(Row r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.keyId());
    m.put("owner", r.owner());
    m.put("scopes", r.scopes().stream().sorted().map(ApiScope::code).toList());
    m.put("status", r.status().name().toLowerCase(Locale.ROOT));
    m.put("created_at", time(r.createdAtMillis()));
    m.put("created_by", r.createdBy());
    m.put("expires_at", time(r.expiresAtMillis()));
    m.put("rotated_at", time(r.rotatedAtMillis()));
    m.put("previous_secret_valid_until", r.previousSecretSealed() == null ? null : time(r.previousValidUntilMillis()));
    m.put("revoked_at", time(r.revokedAtMillis()));
    m.put("destroyed_at", time(r.destroyedAtMillis()));
    return m;
  }

  private static String time(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis).toString();
  }
}
