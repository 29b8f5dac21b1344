package io.vigil.server.account;

import io.vigil.server.audit.AuditContext;
import io.vigil.engine.Limits;
import io.vigil.engine.event.Canonical;
import io.vigil.engine.restriction.Restriction;
import io.vigil.engine.restriction.RestrictionKind;
import io.vigil.server.api.Actor;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Page;
import io.vigil.server.api.Params;
import io.vigil.server.api.TimeCursor;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Restrictions on an account, and the holder's lock and verified unlock. */
@RestController
public class AccountController {
  private static final int REASON_CHARS_MAX = 1024;
  private final RestrictionService restrictions;
  private final Clock clock;

  public AccountController(RestrictionService restrictions, Clock clock) {
    this.clock = clock;
    this.restrictions = restrictions;
  }

  @PostMapping("/v1/accounts/{accountId}/restrictions")
  public ResponseEntity<Map<String, Object>> restrict(@PathVariable String accountId, HttpServletRequest request) {
    Params.accountId(accountId);
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("kind", "reason", "expires_at", "daily_limit_minor", "currency"));
    RestrictionKind kind = RestrictionKind.fromWire(Params.string(body, "kind", true, 32));
    if (kind == null) {
      throw ApiException.invalid("invalid_kind", "kind must be freeze, no_withdrawals, no_transfers_out or lower_limit", "kind");
    }
    String reason = Params.string(body, "reason", true, REASON_CHARS_MAX);
    long expiresAt = Params.expiresAt(Params.string(body, "expires_at", false, 64), clock.millis());
    Restriction r;
    if (kind == RestrictionKind.LOWER_LIMIT) {
      r = restrictions.lowerLimit(accountId, dailyLimitMinor(body), currency(body), reason, expiresAt, Actor.of(request));
    } else {
      if (body.containsKey("daily_limit_minor") || body.containsKey("currency")) {
        throw ApiException.invalid("invalid_kind", "only a lower_limit restriction takes daily_limit_minor and currency",
            body.containsKey("daily_limit_minor") ? "daily_limit_minor" : "currency");
      }
      r = restrictions.restrict(accountId, kind, reason, expiresAt, Actor.of(request));
    }
    Map<String, Object> created = json(r, null);
    AuditContext.after(request, created);
    return ResponseEntity.status(HttpStatus.CREATED).body(created);
  }

  /** The restrictions in force (at most 32, all of them), and a page of the account's history, newest first. */
  @GetMapping("/v1/accounts/{accountId}/restrictions")
  public Map<String, Object> list(@PathVariable String accountId,
      @RequestParam(name = "limit", required = false) Integer limit,
      @RequestParam(name = "starting_after", required = false) String startingAfter) {
    Params.accountId(accountId);
    int pageSize = Page.limit(limit);
    TimeCursor after = TimeCursor.decode(startingAfter);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("account_id", accountId);
    m.put("active", restrictions.active(accountId).stream().map(r -> json(r, null)).toList());
    m.putAll(Page.of(restrictions.history(accountId, after, Page.fetchSize(pageSize)), pageSize,
        row -> json(row.restriction(), row), row -> new TimeCursor(row.restriction().createdAtMillis(), row.restriction().id()).encode()));
    return m;
  }

  @PostMapping("/v1/accounts/{accountId}/restrictions/{restrictionId}/lift")
  public Map<String, Object> lift(@PathVariable String accountId, @PathVariable String restrictionId,
      HttpServletRequest request) {
    Params.accountId(accountId);
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("reason"));
    String reason = Params.string(body, "reason", true, REASON_CHARS_MAX);
    AuditContext.before(request, restrictions.active(accountId).stream().filter(r -> r.id().equals(restrictionId))
        .findFirst().map(r -> json(r, null)).orElse(null));
    Map<String, Object> lifted = json(restrictions.lift(accountId, restrictionId, reason, Actor.of(request)), null);
    AuditContext.after(request, lifted);
    return lifted;
  }

  /** The holder's one-click lock, called by the wallet app on the holder's behalf. */
  @PostMapping("/v1/accounts/{accountId}/lock")
  public Map<String, Object> lock(@PathVariable String accountId, HttpServletRequest request) {
    Params.accountId(accountId);
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("reason"));
    Map<String, Object> lock = json(restrictions.lock(accountId, Params.string(body, "reason", false, REASON_CHARS_MAX),
        Actor.of(request)), null);
    AuditContext.after(request, lock);
    return lock;
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
    AuditContext.before(request, restrictions.active(accountId).stream().map(r -> json(r, null)).toList());
    List<Restriction> lifted = restrictions.unlock(accountId, method, Actor.of(request));
    AuditContext.after(request, Map.of("method", method, "unlocked", lifted.stream().map(r -> json(r, null)).toList()));
    return Map.of("account_id", accountId, "unlocked", lifted.stream().map(r -> json(r, null)).toList());
  }

  private static long dailyLimitMinor(Map<String, Object> body) {
    Object v = body.get("daily_limit_minor");
    if (v == null) throw ApiException.invalid("missing_field", "a lower_limit restriction needs daily_limit_minor", "daily_limit_minor");
    if (!(v instanceof Integer || v instanceof Long)) {
      throw ApiException.invalid("wrong_type", "daily_limit_minor must be an integer number of minor units", "daily_limit_minor");
    }
    long n = ((Number) v).longValue();
    if (n < 1 || n > Limits.AMOUNT_MINOR_MAX) {
      throw ApiException.invalid("out_of_range", "daily_limit_minor must be between 1 and " + Limits.AMOUNT_MINOR_MAX,
          "daily_limit_minor");
    }
    return n;
  }

  private static String currency(Map<String, Object> body) {
    String c = Params.string(body, "currency", true, 3);
    if (Canonical.isIsoCurrency(c)) return c;
    throw ApiException.invalid("invalid_currency", "currency must be an ISO 4217 code such as USD", "currency");
  }

  private Map<String, Object> json(Restriction r, RestrictionRepository.Row row) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("account_id", r.accountId());
    m.put("kind", r.kind().wireName());
    m.put("source", r.source());
    m.put("reason", r.reason());
    m.put("created_by", r.createdBy());
    m.put("created_at", Instant.ofEpochMilli(r.createdAtMillis()).toString());
    m.put("expires_at", r.expiresAtMillis() == 0 ? null : Instant.ofEpochMilli(r.expiresAtMillis()).toString());
    if (r.kind() == RestrictionKind.LOWER_LIMIT) {
      m.put("daily_limit_minor", r.dailyLimitMinor());
      m.put("currency", r.currency());
    }
    m.put("lifted_at", r.liftedAtMillis() == 0 ? null : Instant.ofEpochMilli(r.liftedAtMillis()).toString());
    if (row != null) {
      m.put("lifted_by", row.liftedBy());
      m.put("lift_reason", row.liftReason());
      m.put("verification_method", row.verificationMethod());
    }
    m.put("active", r.activeAt(clock.millis()));
    return m;
  }
}
