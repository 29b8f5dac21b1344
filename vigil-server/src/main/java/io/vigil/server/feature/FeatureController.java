package io.vigil.server.feature;

import io.vigil.engine.Engine;
import io.vigil.engine.event.Canonical;
import io.vigil.engine.feature.Entity;
import io.vigil.server.api.ApiException;
import io.vigil.server.decision.DecisionPipeline;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The velocity windows of one key, as of a time: what the rules would see. For analysts ("why did
 * this fire?") and for checking the windows against the journal.
 */
@RestController
public class FeatureController {
  private final DecisionPipeline pipeline;
  private final Clock clock;

  public FeatureController(DecisionPipeline pipeline, Clock clock) {
    this.clock = clock;
    this.pipeline = pipeline;
  }

  @GetMapping("/v1/features/{entity}/{value}")
  public Map<String, Object> features(@PathVariable String entity, @PathVariable String value,
      @RequestParam(name = "at", required = false) String at,
      @RequestParam(name = "currency", required = false) String currency) {
    Entity e = Entity.fromWire(entity);
    if (e == null) throw ApiException.invalid("invalid_entity", "entity must be account, device, ip, card, phone, email or merchant", "entity");
    if (value.length() > 256) throw ApiException.invalid("value_too_long", "value is at most 256 characters", "value");
    if (currency != null && !Canonical.isIsoCurrency(currency)) {
      throw ApiException.invalid("invalid_currency", "currency must be an ISO 4217 code such as USD", "currency");
    }
    if (e == Entity.IP) {
      // Events store IPs in canonical form (lower-case, compressed IPv6); look them up the same way.
      String canonical = Canonical.ipAddress(value);
      if (canonical == null) throw ApiException.invalid("invalid_ip", "value must be an IPv4 or IPv6 address literal", "value");
      value = canonical;
    }
    long atMillis;
    try {
      atMillis = at == null ? clock.millis() : Instant.parse(at).toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException ex) { // unreadable, or beyond the millisecond range
      throw ApiException.invalid("invalid_parameter", "at must be an RFC 3339 UTC time", "at");
    }
    Engine engine = pipeline.engine();
    long[] values = engine.features().query(e, value, atMillis, currency);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("entity", e.wireName());
    m.put("value", value);
    m.put("at", Instant.ofEpochMilli(atMillis).toString());
    m.put("known", values != null);
    m.put("features", engine.catalog().describe(e, values));
    return m;
  }
}
