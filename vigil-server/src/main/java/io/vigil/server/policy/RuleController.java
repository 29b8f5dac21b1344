package io.vigil.server.policy;

import io.vigil.engine.policy.PolicyMaps;
import io.vigil.engine.policy.PolicyDocument;
import io.vigil.engine.rule.RuleDefinition;
import io.vigil.engine.scorecard.ScorecardDefinition;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Actor;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Json;
import io.vigil.server.api.Page;
import io.vigil.server.api.Params;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Rules and policy versions. Every change answers with the new policy version. */
@RestController
public class RuleController {
  private static final Set<String> WEIGHT_FIELDS = Set.of("rules", "model");
  private final PolicyService policies;

  public RuleController(PolicyService policies) {
    this.policies = policies;
  }

  @GetMapping("/v1/rules")
  public Map<String, Object> list() {
    PolicyDocument d = policies.document();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("policy_version", d.version());
    m.put("data", d.rules().stream().map(PolicyJson::rule).toList());
    return m;
  }

  @GetMapping("/v1/rules/{id}")
  public Map<String, Object> get(@PathVariable String id) {
    RuleDefinition rule = policies.rule(id).orElseThrow(() -> ApiException.notFound("rule_not_found", "No rule with this id", "id"));
    return withVersion(rule, policies.document().version());
  }

  @PostMapping("/v1/rules")
  public ResponseEntity<Map<String, Object>> create(HttpServletRequest request) {
    RuleDefinition rule = PolicyMaps.parseRule(Json.parseObject(Bodies.read(request)), null);
    RuleDefinition created = rule;
    PolicyDocument d = PolicyAudit.change(policies, request, "rule", doc -> PolicyAudit.rule(doc, created.id()),
        () -> policies.createRule(created, Actor.of(request)));
    return ResponseEntity.status(HttpStatus.CREATED).body(withVersion(rule, d.version()));
  }

  @PutMapping("/v1/rules/{id}")
  public Map<String, Object> update(@PathVariable String id, HttpServletRequest request) {
    Map<String, Object> body = Json.parseObject(Bodies.read(request));
    RuleDefinition rule = PolicyMaps.parseRule(body, id);
    if (!body.containsKey("enabled")) {
      // An update that does not mention enabled keeps the rule's current state.
      rule = rule.withEnabled(policies.rule(id).map(RuleDefinition::enabled).orElse(true));
    }
    RuleDefinition updated = rule;
    PolicyDocument d = PolicyAudit.change(policies, request, "rule", doc -> PolicyAudit.rule(doc, id),
        () -> policies.updateRule(updated, Actor.of(request), "update rule " + id));
    return withVersion(rule, d.version());
  }

  @PostMapping("/v1/rules/{id}/disable")
  public Map<String, Object> disable(@PathVariable String id, HttpServletRequest request) {
    PolicyDocument d = PolicyAudit.change(policies, request, "rule", doc -> PolicyAudit.rule(doc, id),
        () -> policies.setEnabled(id, false, Actor.of(request)));
    return withVersion(policies.rule(id).orElseThrow(), d.version());
  }

  @PostMapping("/v1/rules/{id}/enable")
  public Map<String, Object> enable(@PathVariable String id, HttpServletRequest request) {
    PolicyDocument d = PolicyAudit.change(policies, request, "rule", doc -> PolicyAudit.rule(doc, id),
        () -> policies.setEnabled(id, true, Actor.of(request)));
    return withVersion(policies.rule(id).orElseThrow(), d.version());
  }

  @GetMapping("/v1/scorecards")
  public Map<String, Object> scorecards() {
    PolicyDocument d = policies.document();
    return Map.of("policy_version", d.version(), "data", d.scorecards().stream().map(ScorecardJson::render).toList());
  }

  @GetMapping("/v1/scorecards/{id}")
  public Map<String, Object> scorecard(@PathVariable String id) {
    return scorecardWithVersion(id, policies.document().version());
  }

  /** Creates or replaces a scorecard; new scorecards are disabled unless the body says otherwise. */
  @PutMapping("/v1/scorecards/{id}")
  public Map<String, Object> putScorecard(@PathVariable String id, HttpServletRequest request) {
    Map<String, Object> body = Json.parseObject(Bodies.read(request));
    ScorecardDefinition card = ScorecardJson.parse(body, id);
    if (!body.containsKey("enabled")) card = card.withEnabled(policies.scorecard(id).map(ScorecardDefinition::enabled).orElse(false));
    ScorecardDefinition put = card;
    return scorecardWithVersion(id, PolicyAudit.change(policies, request, "scorecard", doc -> PolicyAudit.scorecard(doc, id),
        () -> policies.putScorecard(put, Actor.of(request))).version());
  }

  @PostMapping("/v1/scorecards/{id}/enable")
  public Map<String, Object> enableScorecard(@PathVariable String id, HttpServletRequest request) {
    return scorecardWithVersion(id, PolicyAudit.change(policies, request, "scorecard", doc -> PolicyAudit.scorecard(doc, id),
        () -> policies.setScorecardEnabled(id, true, Actor.of(request))).version());
  }

  @PostMapping("/v1/scorecards/{id}/disable")
  public Map<String, Object> disableScorecard(@PathVariable String id, HttpServletRequest request) {
    return scorecardWithVersion(id, PolicyAudit.change(policies, request, "scorecard", doc -> PolicyAudit.scorecard(doc, id),
        () -> policies.setScorecardEnabled(id, false, Actor.of(request))).version());
  }

  private Map<String, Object> scorecardWithVersion(String id, long version) {
    ScorecardDefinition card = policies.scorecard(id)
        .orElseThrow(() -> ApiException.notFound("scorecard_not_found", "No scorecard with this id", "id"));
    Map<String, Object> m = ScorecardJson.render(card);
    m.put("policy_version", version);
    return m;
  }

  @GetMapping("/v1/policy")
  public Map<String, Object> policy() {
    return PolicyJson.document(policies.document());
  }

  @PutMapping("/v1/policy/thresholds")
  public Map<String, Object> thresholds(HttpServletRequest request) {
    PolicyMaps.ThresholdSet set = PolicyMaps.parseThresholds(Json.parseObject(Bodies.read(request)));
    PolicyDocument d = PolicyAudit.change(policies, request, "thresholds", PolicyJson::thresholdsMap,
        () -> policies.setThresholds(set, Actor.of(request)));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("policy_version", d.version());
    m.put("thresholds", PolicyJson.thresholdsMap(d));
    return m;
  }

  @GetMapping("/v1/policy/limits")
  public Map<String, Object> limits() {
    PolicyDocument d = policies.active().document();
    return Map.of("policy_version", d.version(), "limits", d.limits().stream().map(LimitJson::limit).toList());
  }

  /** Replaces the limits (L3): {"limits": [...]}. */
  @PutMapping("/v1/policy/limits")
  public Map<String, Object> setLimits(HttpServletRequest request) {
    Object limits = single(request, "limits");
    PolicyDocument d = PolicyAudit.change(policies, request, "limits", doc -> doc.limits().stream().map(LimitJson::limit).toList(),
        () -> policies.setLimits(LimitJson.parseLimits(limits), Actor.of(request)));
    return Map.of("policy_version", d.version(), "limits", d.limits().stream().map(LimitJson::limit).toList());
  }

  /** The blend (D4): {"weights": {"rules": 0.5, "model": 0.5}}, each 0-1, summing to 1. */
  @PutMapping("/v1/policy/weights")
  @SuppressWarnings("unchecked")
  public Map<String, Object> setWeights(HttpServletRequest request) {
    Object raw = single(request, "weights");
    if (!(raw instanceof Map<?, ?> w)) throw ApiException.invalid("wrong_type", "weights must be an object", "weights");
    for (Object key : w.keySet()) {
      Params.checkField(String.valueOf(key), WEIGHT_FIELDS, "weights");
    }
    if (!(w.get("rules") instanceof Number rules) || !(w.get("model") instanceof Number model)) {
      throw ApiException.invalid("missing_field", "weights needs numbers rules and model", "weights");
    }
    double r = rules.doubleValue(), m = model.doubleValue();
    if (!(r >= 0 && r <= 1 && m >= 0 && m <= 1) || Math.abs(r + m - 1.0) > 1e-9) {
      throw ApiException.invalid("invalid_weights", "weights.rules and weights.model are 0-1 and sum to 1", "weights");
    }
    PolicyDocument d = PolicyAudit.change(policies, request, "weights", doc -> Map.of("rules", doc.rulesWeight(), "model", doc.modelWeight()),
        () -> policies.setWeights(r, m, Actor.of(request)));
    return Map.of("policy_version", d.version(), "weights", Map.of("rules", d.rulesWeight(), "model", d.modelWeight()));
  }

  @GetMapping("/v1/policy/challenges")
  public Map<String, Object> challenges() {
    PolicyDocument d = policies.active().document();
    return Map.of("policy_version", d.version(), "challenges", LimitJson.challenges(d.challenges()));
  }

  /** Replaces the challenge policy (escalation after failures): {"challenges": {...}}. */
  @PutMapping("/v1/policy/challenges")
  public Map<String, Object> setChallenges(HttpServletRequest request) {
    Object challenges = single(request, "challenges");
    PolicyDocument d = PolicyAudit.change(policies, request, "challenges", doc -> LimitJson.challenges(doc.challenges()),
        () -> policies.setChallenges(LimitJson.parseChallenges(challenges), Actor.of(request)));
    return Map.of("policy_version", d.version(), "challenges", LimitJson.challenges(d.challenges()));
  }

  /** The one field of a {"name": value} body. */
  private static Object single(HttpServletRequest request, String name) {
    Map<String, Object> body = Json.parseObject(Bodies.read(request));
    for (String key : body.keySet()) {
      Params.checkField(key, Set.of(name), "");
    }
    if (!body.containsKey(name)) throw ApiException.invalid("missing_field", name + " is required", name);
    return body.get(name);
  }

  /** Replaces the hold policies (P2): {"holds": [...]}. */
  @PutMapping("/v1/policy/holds")
  public Map<String, Object> holds(HttpServletRequest request) {
    var parsed = PolicyJson.parseHolds(single(request, "holds"));
    PolicyDocument d = PolicyAudit.change(policies, request, "holds", doc -> doc.holds().stream().map(PolicyJson::hold).toList(),
        () -> policies.setHolds(parsed, Actor.of(request)));
    return Map.of("policy_version", d.version(), "holds", d.holds().stream().map(PolicyJson::hold).toList());
  }

  @GetMapping("/v1/policy/versions")
  public Map<String, Object> versions(@RequestParam(name = "limit", required = false) Integer limit,
      @RequestParam(name = "starting_after", required = false) Long startingAfter) {
    int pageSize = Page.limit(limit);
    return Page.of(policies.history(startingAfter, Page.fetchSize(pageSize)), pageSize, v -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("version", v.version());
      m.put("created_at", Instant.ofEpochMilli(v.createdAtMillis()).toString());
      m.put("created_by", v.createdBy());
      m.put("change", v.changeSummary());
      return m;
    }, PolicyRepository.Version::version);
  }

  @GetMapping("/v1/policy/versions/{version}")
  public Map<String, Object> version(@PathVariable long version) {
    PolicyRepository.Version v = policies.version(version)
        .orElseThrow(() -> ApiException.notFound("policy_version_not_found", "No such policy version", "version"));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", v.version());
    m.put("created_at", Instant.ofEpochMilli(v.createdAtMillis()).toString());
    m.put("created_by", v.createdBy());
    m.put("change", v.changeSummary());
    m.put("document", Json.readMap(v.document()));
    return m;
  }

  private static Map<String, Object> withVersion(RuleDefinition rule, long version) {
    Map<String, Object> m = PolicyJson.rule(rule);
    m.put("policy_version", version);
    return m;
  }
}
