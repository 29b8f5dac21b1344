package io.vigil.server.policy;

import io.vigil.engine.policy.PolicyMaps;
import io.vigil.engine.event.EventType;
import io.vigil.engine.policy.Action;
import io.vigil.engine.policy.HoldPolicy;
import io.vigil.engine.policy.PolicyDocument;
import io.vigil.engine.policy.Thresholds;
import io.vigil.engine.rule.RuleDefinition;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import io.vigil.server.api.Params;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Policy documents and rules to and from JSON, with strict, field-named validation of input. */
public final class PolicyJson {
  private PolicyJson() {}

  public static Map<String, Object> rule(RuleDefinition r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("description", r.description());
    m.put("event_types", r.eventTypes().stream().map(EventType::wireName).sorted().toList());
    m.put("expression", r.expression());
    Map<String, Object> effect = new LinkedHashMap<>();
    if (r.effect().forces()) {
      effect.put("action", r.effect().forcedAction().name());
      if (r.effect().challengeKind() != null) effect.put("challenge", r.effect().challengeKind());
    } else {
      effect.put("points", r.effect().points());
    }
    if (r.effect().restrictKind() != null) {
      effect.put("restrict", Map.of("kind", r.effect().restrictKind().wireName(), "duration_minutes", r.effect().restrictMillis() / 60_000));
    }
    m.put("effect", effect);
    m.put("reason", r.reason());
    m.put("enabled", r.enabled());
    return m;
  }

  public static Map<String, Object> thresholds(Thresholds t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("challenge", t.challenge());
    m.put("review", t.review());
    m.put("deny", t.deny());
    m.put("medium", t.medium());
    m.put("high", t.high());
    m.put("critical", t.critical());
    m.put("challenge_kind", t.challengeKind());
    return m;
  }

  public static Map<String, Object> document(PolicyDocument d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", d.version());
    m.put("rules", d.rules().stream().map(PolicyJson::rule).toList());
    m.put("thresholds", thresholdsMap(d));
    m.put("weights", Map.of("rules", d.rulesWeight(), "model", d.modelWeight()));
    m.put("default_timezone", d.defaultTimezone());
    m.put("scorecards", d.scorecards().stream().map(ScorecardJson::render).toList());
    m.put("holds", d.holds().stream().map(PolicyJson::hold).toList());
    m.put("limits", d.limits().stream().map(LimitJson::limit).toList());
    m.put("challenges", LimitJson.challenges(d.challenges()));
    return m;
  }

  public static Map<String, Object> thresholdsMap(PolicyDocument d) {
    Map<String, Object> thresholds = new LinkedHashMap<>();
    thresholds.put("default", thresholds(d.defaultThresholds()));
    d.thresholdsByType().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> thresholds.put(e.getKey().wireName(), thresholds(e.getValue())));
    return thresholds;
  }

  @SuppressWarnings("unchecked")
  public static PolicyDocument parseDocument(String json) {
    Map<String, Object> m = Json.readMap(json);
    List<RuleDefinition> rules = new ArrayList<>();
    for (Object r : (List<Object>) m.get("rules")) rules.add(PolicyMaps.parseRule((Map<String, Object>) r, null));
    Map<String, Object> weights = (Map<String, Object>) m.get("weights");
    PolicyMaps.ThresholdSet set = PolicyMaps.parseThresholds((Map<String, Object>) m.get("thresholds"));
    return new PolicyDocument(((Number) m.get("version")).longValue(), rules, set.defaults(), set.byType(),
        ((Number) weights.get("rules")).doubleValue(), ((Number) weights.get("model")).doubleValue(),
        (String) m.get("default_timezone"), ScorecardJson.parseAll((List<Object>) m.getOrDefault("scorecards", List.of())),
        parseHolds((List<Object>) m.getOrDefault("holds", List.of())),
        LimitJson.parseLimits(m.getOrDefault("limits", List.of())),
        m.containsKey("challenges") ? LimitJson.parseChallenges(m.get("challenges")) : io.vigil.engine.policy.ChallengePolicy.defaults());
  }

  private static final Set<String> HOLD_FIELDS = Set.of("id", "amount_over", "approvals_required", "required_roles",
      "deadline_minutes", "expiry_action");

  public static Map<String, Object> hold(HoldPolicy h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", h.id());
    m.put("amount_over", h.amountMajorOver());
    m.put("approvals_required", h.approvalsRequired());
    m.put("required_roles", new java.util.TreeMap<>(h.requiredRoles()));
    m.put("deadline_minutes", h.deadlineMillis() / 60_000.0);
    m.put("expiry_action", h.expiryAction().name());
    return m;
  }

  /** Hold policies from API input or a stored document; a bad one is 400 invalid_holds naming it. */
  @SuppressWarnings("unchecked")
  public static List<HoldPolicy> parseHolds(Object raw) {
    if (!(raw instanceof List<?> list)) throw ApiException.invalid("wrong_type", "holds must be a list", "holds");
    if (list.size() > PolicyDocument.HOLDS_MAX) {
      throw ApiException.invalid("invalid_holds", "at most " + PolicyDocument.HOLDS_MAX + " hold policies", "holds");
    }
    List<HoldPolicy> holds = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String param = "holds[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> h)) throw ApiException.invalid("wrong_type", param + " must be an object", param);
      holds.add(parseHold((Map<String, Object>) h, param));
    }
    return holds;
  }

  @SuppressWarnings("unchecked")
  private static HoldPolicy parseHold(Map<String, Object> m, String param) {
    for (String key : m.keySet()) Params.checkField(key, HOLD_FIELDS, param);
    Map<String, Integer> roles = new java.util.TreeMap<>();
    Object rawRoles = m.getOrDefault("required_roles", Map.of());
    if (!(rawRoles instanceof Map<?, ?> rm)) throw ApiException.invalid("wrong_type", param + ".required_roles must be an object", param);
    for (Map.Entry<?, ?> e : rm.entrySet()) {
      if (!(e.getValue() instanceof Integer || e.getValue() instanceof Long)) {
        throw ApiException.invalid("wrong_type", param + ".required_roles counts are integers", param + ".required_roles");
      }
      long count = ((Number) e.getValue()).longValue();
      if (count < 1 || count > HoldPolicy.APPROVALS_MAX) {
        throw ApiException.invalid("invalid_holds", param + ".required_roles counts are 1 to " + HoldPolicy.APPROVALS_MAX, param);
      }
      roles.put(String.valueOf(e.getKey()), (int) count);
    }
    if (!(m.get("amount_over") instanceof Number amount)) throw ApiException.invalid("missing_field", param + ".amount_over is required", param + ".amount_over");
    if (!(m.get("deadline_minutes") instanceof Number minutes)) {
      throw ApiException.invalid("missing_field", param + ".deadline_minutes is required", param + ".deadline_minutes");
    }
    String expiry = PolicyMaps.string(m, "expiry_action", param + ".expiry_action", true);
    if (Arrays.stream(Action.values()).noneMatch(a -> a.name().equals(expiry))) {
      throw ApiException.invalid("invalid_holds", "expiry_action is one of " + Arrays.toString(Action.values()), param + ".expiry_action");
    }
    try {
      return new HoldPolicy(PolicyMaps.string(m, "id", param + ".id", true), amount.doubleValue(), PolicyMaps.integer(m, "approvals_required", param),
          roles, Math.round(minutes.doubleValue() * 60_000), Action.valueOf(expiry));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("invalid_holds", param + ": " + e.getMessage(), param);
    }
  }

}
