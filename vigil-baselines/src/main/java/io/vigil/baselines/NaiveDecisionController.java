package io.vigil.baselines;

import java.time.Instant;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /v1/decisions} of the naive engine: Vigil's request body, bound by Jackson to a map. */
@RestController
public class NaiveDecisionController {
  private final NaiveEngine engine;

  public NaiveDecisionController(NaiveEngine engine) {
    this.engine = engine;
  }

  @PostMapping(path = "/v1/decisions", produces = MediaType.APPLICATION_JSON_VALUE)
  public Map<String, Object> decide(@RequestBody Map<String, Object> body) {
    return engine.decide(new NaiveEngine.Event(text(body, "event_id"), text(body, "type"), text(body, "account_id"),
        body.get("amount") instanceof Number n ? n.longValue() : 0, text(body, "currency"),
        body.get("device") instanceof Map<?, ?> device ? (String) device.get("id") : null, text(body, "ip"),
        text(body, "merchant_id"), Instant.parse(text(body, "occurred_at"))));
  }

  private static String text(Map<String, Object> body, String field) {
    return body.get(field) instanceof String s ? s : null;
  }
}
