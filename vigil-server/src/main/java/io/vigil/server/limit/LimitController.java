package io.vigil.server.limit;

import io.vigil.engine.Limits;
import io.vigil.server.api.Actor;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Params;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The payment system reports that a decided payment's money did not move: its limit reservation is released. */
@RestController
public class LimitController {
  private final LimitService limits;

  public LimitController(LimitService limits) {
    this.limits = limits;
  }

  /** {"outcome": "refunded" | "reversed" | "authorization_failed", "amount_minor": partial refund, "reason": text}. */
  @PostMapping("/v1/decisions/{decisionId}/outcome")
  public Map<String, Object> report(@PathVariable String decisionId, HttpServletRequest request) {
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("outcome", "amount_minor", "reason"));
    String outcome = Params.string(body, "outcome", true, 32);
    if (!LimitService.OUTCOMES.contains(outcome)) {
      throw ApiException.invalid("invalid_value", "outcome must be refunded, reversed or authorization_failed", "outcome");
    }
    Long amount = null;
    if (body.get("amount_minor") != null) {
      if (!(body.get("amount_minor") instanceof Integer || body.get("amount_minor") instanceof Long)) {
        throw ApiException.invalid("wrong_type", "amount_minor must be an integer number of minor units", "amount_minor");
      }
      amount = ((Number) body.get("amount_minor")).longValue();
    }
    String reason = Params.string(body, "reason", false, Limits.RULE_TEXT_CHARS_MAX);
    return json(limits.release(decisionId, outcome, amount, reason, Actor.of(request)));
  }

  @GetMapping("/v1/decisions/{decisionId}/outcome")
  public Map<String, Object> find(@PathVariable String decisionId) {
    LimitReleaseRepository.Release r = limits.find(decisionId).orElseThrow(() ->
        ApiException.notFound("outcome_not_found", "No outcome has been reported for this decision", "decision_id"));
    return release(r);
  }

  private static Map<String, Object> json(LimitService.Outcome o) {
    Map<String, Object> m = release(o.release());
    m.put("amount_minor", o.amountMinor());
    if (o.heldMinor() >= 0) m.put("held_minor", o.heldMinor());
    m.put("replayed", o.replayed());
    return m;
  }

  private static Map<String, Object> release(LimitReleaseRepository.Release r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("decision_id", r.decisionId());
    m.put("event_id", r.eventId());
    m.put("account_id", r.accountId());
    m.put("outcome", r.outcome());
    m.put("released_minor", r.releasedMinor());
    m.put("currency", r.currency());
    if (r.reason() != null) m.put("reason", r.reason());
    m.put("released_at", Instant.ofEpochMilli(r.releasedAtMillis()).toString());
    m.put("released_by", r.releasedBy());
    return m;
  }
}
