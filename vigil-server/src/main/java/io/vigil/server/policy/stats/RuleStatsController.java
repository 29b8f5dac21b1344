package io.vigil.server.policy.stats;

import io.vigil.server.api.Actor;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Json;
import io.vigil.server.policy.PolicyService;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Rule statistics and rule reviews. */
@RestController
public class RuleStatsController {
  private final RuleStatsService stats;
  private final RuleReviews reviews;
  private final PolicyService policies;
  private final Clock clock;

  public RuleStatsController(RuleStatsService stats, RuleReviews reviews, PolicyService policies, Clock clock) {
    this.stats = stats;
    this.reviews = reviews;
    this.policies = policies;
    this.clock = clock;
  }

  @GetMapping("/v1/rules/stats")
  public Map<String, Object> all(@RequestParam(name = "from", required = false) String from,
      @RequestParam(name = "to", required = false) String to) {
    return stats.all(StatsRange.parse(from, to, clock));
  }

  @GetMapping("/v1/rules/{id}/stats")
  public Map<String, Object> rule(@PathVariable String id, @RequestParam(name = "from", required = false) String from,
      @RequestParam(name = "to", required = false) String to) {
    requireRule(id);
    return stats.rule(id, StatsRange.parse(from, to, clock));
  }

  @PostMapping("/v1/rules/{id}/reviews")
  public ResponseEntity<Map<String, Object>> review(@PathVariable String id, HttpServletRequest request) {
    Map<String, Object> body = Json.parseObject(Bodies.read(request));
    RuleReviewRepository.Review r = reviews.record(id, body, Actor.of(request));
    return ResponseEntity.status(HttpStatus.CREATED).body(RuleReviews.json(r));
  }

  @GetMapping("/v1/rules/{id}/reviews")
  public Map<String, Object> reviews(@PathVariable String id) {
    requireRule(id);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rule_id", id);
    m.putAll(reviews.json(reviews.status(id)));
    m.put("data", reviews.history(id).stream().map(RuleReviews::json).toList());
    return m;
  }

  private void requireRule(String id) {
    if (policies.rule(id).isEmpty()) throw ApiException.notFound("rule_not_found", "No rule with this id", "id");
  }
}
