package io.vigil.server.challenge;

import io.vigil.engine.restriction.Restriction;
import io.vigil.server.api.Actor;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Params;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The payment system reports how a step-up challenge went. */
@RestController
public class ChallengeController {
  private static final Pattern METHOD = Pattern.compile("[a-z0-9][a-z0-9_]{0,31}");
  private final ChallengeService challenges;

  public ChallengeController(ChallengeService challenges) {
    this.challenges = challenges;
  }

  @PostMapping("/v1/decisions/{decisionId}/challenge-result")
  public Map<String, Object> report(@PathVariable String decisionId, HttpServletRequest request) {
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("result", "method"));
    String result = Params.string(body, "result", true, 16);
    String method = Params.string(body, "method", false, 32);
    if (method != null && !METHOD.matcher(method).matches()) {
      throw ApiException.invalid("invalid_format", "method is lower-case letters, digits and _, e.g. sms_otp", "method");
    }
    return json(challenges.record(decisionId, result, method, Actor.of(request)));
  }

  @GetMapping("/v1/decisions/{decisionId}/challenge-result")
  public Map<String, Object> get(@PathVariable String decisionId) {
    return json(challenges.find(decisionId));
  }

  private static Map<String, Object> json(ChallengeService.Outcome o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("decision_id", o.result().decisionId());
    m.put("challenge_kind", o.challengeKind());
    m.put("result", o.result().result());
    m.put("method", o.result().method());
    m.put("final_action", o.finalAction());
    m.put("recorded_at", Instant.ofEpochMilli(o.result().recordedAtMillis()).toString());
    m.put("recorded_by", o.result().recordedBy());
    Restriction lock = o.escalation();
    m.put("escalation", lock == null ? null : Map.of("restriction_id", lock.id(), "kind", lock.kind().wireName(),
        "reason", lock.reason(), "expires_at", Instant.ofEpochMilli(lock.expiresAtMillis()).toString()));
    return m;
  }
}
