package io.vigil.server.policy;

import io.vigil.engine.event.EventType;
import io.vigil.engine.policy.Action;
import io.vigil.engine.policy.HoldPolicy;
import io.vigil.engine.policy.PolicyDocument;
import io.vigil.engine.policy.Thresholds;
import io.vigil.engine.rule.RuleDefinition;
import io.vigil.engine.rule.RuleEffect;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Policy documents and rules to and from JSON, with strict, field-named validation of input. */
public final class PolicyJson {
  private static final Set<String> RULE_FIELDS = Set.of("id", "description", "event_types", "expression", "effect", "reason", "enabled");

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
    for (Object r : (List<Object>) m.get("rules")) rules.add(parseRule((Map<String, Object>) r, null));
    Map<String, Object> weights = (Map<String, Object>) m.get("weights");
    ThresholdSet set = parseThresholds((Map<String, Object>) m.get("thresholds"));
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
    for (String key : m.keySet()) {
      if (!HOLD_FIELDS.contains(key)) throw ApiException.invalid("unknown_field", "unknown hold field " + truncate(key), param + "." + truncate(key));
    }
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
    String expiry = string(m, "expiry_action", param + ".expiry_action", true);
    try {
      return new HoldPolicy(string(m, "id", param + ".id", true), amount.doubleValue(), integer(m, "approvals_required", param),
          roles, Math.round(minutes.doubleValue() * 60_000), Action.valueOf(expiry));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("invalid_holds", param + ": " + e.getMessage(), param);
    }
  }

  /** Default thresholds and per-type overrides. */
  public record ThresholdSet(Thresholds defaults, Map<EventType, Thresholds> byType) {}

  @SuppressWarnings("unchecked")
  public static ThresholdSet parseThresholds(Map<String, Object> m) {
    if (m == null || !(m.get("default") instanceof Map<?, ?>)) {
      throw ApiException.invalid("invalid_thresholds", "thresholds need a \"default\" object", "default");
    }
    Thresholds defaults = parseOne((Map<String, Object>) m.get("default"), "default");
    Map<EventType, Thresholds> byType = new EnumMap<>(EventType.class);
    for (Map.Entry<String, Object> e : m.entrySet()) {
      if (e.getKey().equals("default")) continue;
      EventType type = EventType.fromWire(e.getKey());
      if (type == null) throw ApiException.invalid("invalid_thresholds", "unknown event type " + e.getKey(), e.getKey());
      if (!(e.getValue() instanceof Map<?, ?>)) throw ApiException.invalid("wrong_type", e.getKey() + " must be an object", e.getKey());
      byType.put(type, parseOne((Map<String, Object>) e.getValue(), e.getKey()));
    }
    return new ThresholdSet(defaults, byType);
  }

  private static final Set<String> THRESHOLD_FIELDS = Set.of("challenge", "review", "deny", "medium", "high", "critical", "challenge_kind");
  private static final java.util.regex.Pattern CHALLENGE_KIND = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9_]{0,31}");

  private static Thresholds parseOne(Map<String, Object> m, String param) {
    for (String key : m.keySet()) {
      if (!THRESHOLD_FIELDS.contains(key)) {
        throw ApiException.invalid("unknown_field", "unknown threshold field " + truncate(key), param + "." + truncate(key));
      }
    }
    Object kind = m.get("challenge_kind");
    if (kind instanceof String k && !CHALLENGE_KIND.matcher(k).matches()) {
      throw ApiException.invalid("invalid_thresholds", "challenge_kind is 1-32 lower-case letters, digits and _, e.g. sms_otp or 3ds",
          param + ".challenge_kind");
    }
    try {
      return new Thresholds(integer(m, "challenge", param), integer(m, "review", param), integer(m, "deny", param),
          integer(m, "medium", param), integer(m, "high", param), integer(m, "critical", param),
          string(m, "challenge_kind", param + ".challenge_kind", true));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("invalid_thresholds", e.getMessage(), param);
    }
  }

  /** Parses a rule from API input; {@code pathId} (from the URL) wins over the body's id. */
  @SuppressWarnings("unchecked")
  public static RuleDefinition parseRule(Map<String, Object> m, String pathId) {
    for (String key : m.keySet()) {
      if (!RULE_FIELDS.contains(key)) throw ApiException.invalid("unknown_field", "unknown rule field " + truncate(key), truncate(key));
    }
    String id = pathId != null ? pathId : string(m, "id", "id", true);
    if (pathId != null && m.containsKey("id") && !pathId.equals(m.get("id"))) {
      throw ApiException.invalid("id_mismatch", "the body's id differs from the URL's", "id");
    }
    Set<EventType> types = eventTypes(m.get("event_types"));
    Object rawEffect = m.get("effect");
    if (!(rawEffect instanceof Map<?, ?>)) throw ApiException.invalid("missing_field", "effect is required: {\"points\": n} or {\"action\": ...}", "effect");
    RuleEffect effect = parseEffect((Map<String, Object>) rawEffect);
    Object enabled = m.getOrDefault("enabled", Boolean.TRUE);
    if (!(enabled instanceof Boolean)) throw ApiException.invalid("wrong_type", "enabled must be a boolean", "enabled");
    return new RuleDefinition(id, string(m, "description", "description", false), types,
        string(m, "expression", "expression", true), effect, string(m, "reason", "reason", true), (Boolean) enabled);
  }

  /** An optional list of event type names; absent means all types. */
  static Set<EventType> eventTypes(Object rawTypes) {
    Set<EventType> types = new LinkedHashSet<>();
    if (rawTypes == null) return types;
    if (!(rawTypes instanceof List<?> list)) throw ApiException.invalid("wrong_type", "event_types must be a list", "event_types");
    for (Object t : list) {
      EventType type = t instanceof String s ? EventType.fromWire(s) : null;
      if (type == null) throw ApiException.invalid("invalid_type", "event_types holds an unknown event type", "event_types");
      types.add(type);
    }
    return types;
  }

  private static RuleEffect parseEffect(Map<String, Object> m) {
    boolean hasPoints = m.containsKey("points");
    boolean hasAction = m.containsKey("action");
    if (hasPoints == hasAction) {
      throw ApiException.invalid("invalid_effect", "effect needs exactly one of points or action", "effect");
    }
    for (String key : m.keySet()) {
      if (!Set.of("points", "action", "challenge", "restrict").contains(key)) {
        throw ApiException.invalid("unknown_field", "unknown effect field " + truncate(key), "effect." + truncate(key));
      }
    }
    if (hasPoints) return restricting(RuleEffect.points(integer(m, "points", "effect")), m.get("restrict"));
    String action = string(m, "action", "effect.action", true);
    RuleEffect.ForcedAction forced;
    try {
      forced = RuleEffect.ForcedAction.valueOf(action);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("invalid_effect", "effect.action must be CHALLENGE, REVIEW or DENY", "effect.action");
    }
    String challenge = string(m, "challenge", "effect.challenge", false);
    if (forced != RuleEffect.ForcedAction.CHALLENGE && challenge != null) {
      throw ApiException.invalid("invalid_effect", "only a CHALLENGE names a challenge kind", "effect.challenge");
    }
    return restricting(RuleEffect.force(forced, challenge), m.get("restrict"));
  }

  /** {"kind": "freeze" | "no_withdrawals" | "no_transfers_out", "duration_minutes": 1-43,200}. */
  @SuppressWarnings("unchecked")
  private static RuleEffect restricting(RuleEffect effect, Object raw) {
    if (raw == null) return effect;
    if (!(raw instanceof Map<?, ?> r)) throw ApiException.invalid("wrong_type", "effect.restrict must be an object", "effect.restrict");
    Map<String, Object> m = (Map<String, Object>) r;
    for (String key : m.keySet()) {
      if (!Set.of("kind", "duration_minutes").contains(key)) {
        throw ApiException.invalid("unknown_field", "unknown field " + truncate(key), "effect.restrict." + truncate(key));
      }
    }
    io.vigil.engine.restriction.RestrictionKind kind =
        io.vigil.engine.restriction.RestrictionKind.fromWire(string(m, "kind", "effect.restrict.kind", true));
    if (kind == null || kind == io.vigil.engine.restriction.RestrictionKind.LOWER_LIMIT) {
      throw ApiException.invalid("invalid_effect", "effect.restrict.kind is freeze, no_withdrawals or no_transfers_out", "effect.restrict.kind");
    }
    Object minutes = m.get("duration_minutes");
    if (!(minutes instanceof Integer || minutes instanceof Long)) {
      throw ApiException.invalid("invalid_effect", "effect.restrict.duration_minutes is an integer from 1 to 43200", "effect.restrict.duration_minutes");
    }
    long n = ((Number) minutes).longValue();
    if (n < 1 || n > 43_200) {
      throw ApiException.invalid("invalid_effect", "effect.restrict.duration_minutes is an integer from 1 to 43200", "effect.restrict.duration_minutes");
    }
    return effect.restricting(kind, n * 60_000L);
  }

  static int integer(Map<String, Object> m, String key, String param) {
    String name = param.equals(key) ? key : param + "." + key;
    Object v = m.get(key);
    if (v == null) throw ApiException.invalid("missing_field", name + " is required", name);
    if (!(v instanceof Integer || v instanceof Long)) throw ApiException.invalid("wrong_type", name + " must be an integer", name);
    long n = ((Number) v).longValue();
    if (n < -1_000 || n > 1_000) throw ApiException.invalid("out_of_range", name + " is out of range", name);
    return (int) n;
  }

  static String string(Map<String, Object> m, String key, String param, boolean required) {
    Object v = m.get(key);
    if (v == null) {
      if (required) throw ApiException.invalid("missing_field", param + " is required", param);
      return null;
    }
    if (!(v instanceof String s)) throw ApiException.invalid("wrong_type", param + " must be a string", param);
    return s;
  }

  static String truncate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "…";
  }
}
