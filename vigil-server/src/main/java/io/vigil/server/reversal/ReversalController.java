package io.vigil.server.reversal;

import io.vigil.server.api.Actor;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Json;
import io.vigil.server.api.Page;
import io.vigil.server.api.Params;
import io.vigil.server.api.TimeCursor;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The holder asks to reverse a payment; Vigil answers approve, deny or review. */
@RestController
public class ReversalController {
  private final ReversalService reversals;

  public ReversalController(ReversalService reversals) {
    this.reversals = reversals;
  }

  @PostMapping("/v1/decisions/{decisionId}/reversal-request")
  @SuppressWarnings("unchecked")
  public Map<String, Object> request(@PathVariable String decisionId, HttpServletRequest request) {
    Map<String, Object> body = Params.object(Bodies.read(request), Set.of("verification"));
    String method = null;
    Object verification = body.get("verification");
    if (verification != null) {
      if (!(verification instanceof Map<?, ?>)) {
        throw ApiException.invalid("wrong_type", "verification must be an object: {\"method\": \"biometric\"}", "verification");
      }
      method = Params.string(Params.checkFields((Map<String, Object>) verification, Set.of("method"), "verification"),
          "method", true, 32);
    }
    return json(reversals.request(decisionId, method, Actor.of(request)));
  }

  @GetMapping("/v1/decisions/{decisionId}/reversal-requests")
  public Map<String, Object> history(@PathVariable String decisionId,
      @RequestParam(name = "limit", required = false) Integer limit,
      @RequestParam(name = "starting_after", required = false) String startingAfter) {
    int pageSize = Page.limit(limit);
    TimeCursor after = TimeCursor.decode(startingAfter);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("decision_id", decisionId);
    m.putAll(Page.of(reversals.history(decisionId, after, Page.fetchSize(pageSize)), pageSize, ReversalController::json,
        r -> new TimeCursor(r.requestedAtMillis(), r.requestId()).encode()));
    return m;
  }

  private static Map<String, Object> json(ReversalRepository.Request r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("request_id", r.requestId());
    m.put("decision_id", r.decisionId());
    m.put("outcome", r.outcome());
    m.put("reasons", Json.readList(r.reasons()));
    m.put("verification_method", r.verificationMethod());
    m.put("requested_at", Instant.ofEpochMilli(r.requestedAtMillis()).toString());
    m.put("requested_by", r.requestedBy());
    return m;
  }
}
