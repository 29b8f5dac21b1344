package io.vigil.server.account;

import io.vigil.engine.restriction.Restriction;
import io.vigil.engine.restriction.RestrictionKind;
import io.vigil.server.api.Actor;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Params;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Restrictions on an account, and the holder's lock and verified unlock. */
@RestController
public class AccountController {
  private static final int REASON_CHARS_MAX = 1024;
  private final RestrictionService restrictions;

  public AccountController(RestrictionService restrictions) {
    this.restrictions = restrictions;
  }

  @PostMapping("/v1/accounts/{accountId}/restrictions")
  public ResponseEntity<Map<String, Object>> restrict(@PathVariable String accountId, HttpServletRequest request) {
    Params.accountId(accountId);
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("kind", "reason", "expires_at"));
    RestrictionKind kind = RestrictionKind.fromWire(Params.string(body, "kind", true, 32));
    if (kind == null) {
      throw ApiException.invalid("invalid_kind", "kind must be freeze, no_withdrawals or no_transfers_out", "kind");
    }
    String reason = Params.string(body, "reason", true, REASON_CHARS_MAX);
    long expiresAt = Params.expiresAt(Params.string(body, "expires_at", false, 64));
    Restriction r = restrictions.restrict(accountId, kind, reason, expiresAt, Actor.of(request));
    return ResponseEntity.status(HttpStatus.CREATED).body(json(r, null));
  }

  @GetMapping("/v1/accounts/{accountId}/restrictions")
  public Map<String, Object> list(@PathVariable String accountId) {
    Params.accountId(accountId);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("account_id", accountId);
    m.put("active", restrictions.active(accountId).stream().map(r -> json(r, null)).toList());
    m.put("history", restrictions.history(accountId).stream().map(row -> json(row.restriction(), row)).toList());
    return m;
  }

  @PostMapping("/v1/accounts/{accountId}/restrictions/{restrictionId}/lift")
  public Map<String, Object> lift(@PathVariable String accountId, @PathVariable String restrictionId,
      HttpServletRequest request) {
    Params.accountId(accountId);
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("reason"));
    String reason = Params.string(body, "reason", true, REASON_CHARS_MAX);
    return json(restrictions.lift(accountId, restrictionId, reason, Actor.of(request)), null);
  }

  /** The holder's one-click lock, called by the wallet app on the holder's behalf. */
  @PostMapping("/v1/accounts/{accountId}/lock")
  public Map<String, Object> lock(@PathVariable String accountId, HttpServletRequest request) {
    Params.accountId(accountId);
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("reason"));
    return json(restrictions.lock(accountId, Params.string(body, "reason", false, REASON_CHARS_MAX), Actor.of(request)), null);
  }

  /** Lifts the holder's lock once the caller has verified the holder's identity. */
  @PostMapping("/v1/accounts/{accountId}/unlock")
  @SuppressWarnings("unchecked")
  public Map<String, Object> unlock(@PathVariable String accountId, HttpServletRequest request) {
    Params.accountId(accountId);
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("verification"));
    if (!(body.get("verification") instanceof Map<?, ?> verification)) {
      throw ApiException.invalid("verification_required",
          "unlocking needs the identity step the holder passed: {\"verification\": {\"method\": \"biometric\"}}", "verification");
    }
    String method = Params.string(Params.checkFields((Map<String, Object>) verification, Set.of("method"), "verification"),
        "method", true, 32);
    List<Restriction> lifted = restrictions.unlock(accountId, method, Actor.of(request));
    return Map.of("account_id", accountId, "unlocked", lifted.stream().map(r -> json(r, null)).toList());
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
