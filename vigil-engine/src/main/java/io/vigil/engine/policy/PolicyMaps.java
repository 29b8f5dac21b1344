package io.vigil.engine.policy;

import io.vigil.engine.event.EventType;
import io.vigil.engine.event.ValidationException;
import io.vigil.engine.restriction.RestrictionKind;
import io.vigil.engine.rule.RuleDefinition;
import io.vigil.engine.rule.RuleEffect;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rules and thresholds from the maps of a JSON document, in the wire format of {@code /v1/rules} and
 * {@code /v1/policy} (docs/api.md), validated field by field. Every refusal is a
 * {@link ValidationException} naming the field; no value is echoed. The server reads API bodies with
 * it and the replay reads candidate policies with it, so both accept exactly the same documents.
 */
public final class PolicyMaps {
  private static final Set<String> RULE_FIELDS = Set.of("id", "description", "event_types", "expression", "effect", "reason", "enabled");

  private PolicyMaps() {}

  /** Default thresholds and per-type overrides. */
  public record ThresholdSet(Thresholds defaults, Map<EventType, Thresholds> byType) {}

  @SuppressWarnings("unchecked")
  public static ThresholdSet parseThresholds(Map<String, Object> m) {
    if (m == null || !(m.get("default") instanceof Map<?, ?>)) {
      throw invalid("invalid_thresholds", "thresholds need a \"default\" object", "default");
    }
    Thresholds defaults = parseOne((Map<String, Object>) m.get("default"), "default");
    Map<EventType, Thresholds> byType = new EnumMap<>(EventType.class);
    for (Map.Entry<String, Object> e : m.entrySet()) {
      if (e.getKey().equals("default")) continue;
      EventType type = EventType.fromWire(e.getKey());
      if (type == null) throw invalid("invalid_thresholds", "thresholds are keyed by default or an event type; param names the key", truncate(e.getKey()));
      if (!(e.getValue() instanceof Map<?, ?>)) throw invalid("wrong_type", e.getKey() + " must be an object", e.getKey());
      byType.put(type, parseOne((Map<String, Object>) e.getValue(), e.getKey()));
    }
    return new ThresholdSet(defaults, byType);
  }

  private static final Set<String> THRESHOLD_FIELDS = Set.of("challenge", "review", "deny", "medium", "high", "critical", "challenge_kind");
  private static final Pattern CHALLENGE_KIND = Pattern.compile("[a-z0-9][a-z0-9_]{0,31}");

  private static Thresholds parseOne(Map<String, Object> m, String param) {
    for (String key : m.keySet()) {
      if (!THRESHOLD_FIELDS.contains(key)) {
        throw invalid("unknown_field", "a threshold set has a field Vigil does not know; param names it", param + "." + truncate(key));
      }
    }
    Object kind = m.get("challenge_kind");
    if (kind instanceof String k && !CHALLENGE_KIND.matcher(k).matches()) {
      throw invalid("invalid_thresholds", "challenge_kind is 1-32 lower-case letters, digits and _, e.g. sms_otp or 3ds",
          param + ".challenge_kind");
    }
    try {
      return new Thresholds(integer(m, "challenge", param), integer(m, "review", param), integer(m, "deny", param),
          integer(m, "medium", param), integer(m, "high", param), integer(m, "critical", param),
          string(m, "challenge_kind", param + ".challenge_kind", true));
    } catch (IllegalArgumentException e) {
      throw invalid("invalid_thresholds", e.getMessage(), param);
    }
  }

  /** Parses a rule from API input; {@code pathId} (from the URL) wins over the body's id. */
  @SuppressWarnings("unchecked")
  public static RuleDefinition parseRule(Map<String, Object> m, String pathId) {
    for (String key : m.keySet()) {
      if (!RULE_FIELDS.contains(key)) throw invalid("unknown_field", "the rule has a field Vigil does not know; param names it", truncate(key));
    }
    String id = pathId != null ? pathId : string(m, "id", "id", true);
    if (pathId != null && m.containsKey("id") && !pathId.equals(m.get("id"))) {
      throw invalid("id_mismatch", "the body's id differs from the URL's", "id");
    }
    Set<EventType> types = eventTypes(m.get("event_types"));
    Object rawEffect = m.get("effect");
    if (!(rawEffect instanceof Map<?, ?>)) throw invalid("missing_field", "effect is required: {\"points\": n} or {\"action\": ...}", "effect");
    RuleEffect effect = parseEffect((Map<String, Object>) rawEffect);
    Object enabled = m.getOrDefault("enabled", Boolean.TRUE);
    if (!(enabled instanceof Boolean)) throw invalid("wrong_type", "enabled must be a boolean", "enabled");
    return new RuleDefinition(id, string(m, "description", "description", false), types,
        string(m, "expression", "expression", true), effect, string(m, "reason", "reason", true), (Boolean) enabled);
  }

  /** An optional list of event type names; absent means all types. */
  public static Set<EventType> eventTypes(Object rawTypes) {
    Set<EventType> types = new LinkedHashSet<>();
    if (rawTypes == null) return types;
    if (!(rawTypes instanceof List<?> list)) throw invalid("wrong_type", "event_types must be a list", "event_types");
    for (Object t : list) {
      EventType type = t instanceof String s ? EventType.fromWire(s) : null;
      if (type == null) throw invalid("invalid_type", "event_types holds an unknown event type", "event_types");
      types.add(type);
    }
    return types;
  }

  private static RuleEffect parseEffect(Map<String, Object> m) {
    boolean hasPoints = m.containsKey("points");
    boolean hasAction = m.containsKey("action");
    if (hasPoints == hasAction) {
      throw invalid("invalid_effect", "effect needs exactly one of points or action", "effect");
    }
    for (String key : m.keySet()) {
      if (!Set.of("points", "action", "challenge", "restrict").contains(key)) {
        throw invalid("unknown_field", "the effect has a field Vigil does not know; param names it", "effect." + truncate(key));
      }
    }
    if (hasPoints) return restricting(RuleEffect.points(integer(m, "points", "effect")), m.get("restrict"));
    String action = string(m, "action", "effect.action", true);
    RuleEffect.ForcedAction forced;
    try {
      forced = RuleEffect.ForcedAction.valueOf(action);
    } catch (IllegalArgumentException e) {
      throw invalid("invalid_effect", "effect.action must be CHALLENGE, REVIEW or DENY", "effect.action");
    }
    String challenge = string(m, "challenge", "effect.challenge", false);
    if (forced != RuleEffect.ForcedAction.CHALLENGE && challenge != null) {
      throw invalid("invalid_effect", "only a CHALLENGE names a challenge kind", "effect.challenge");
    }
    return restricting(RuleEffect.force(forced, challenge), m.get("restrict"));
  }

  /** {"kind": "freeze" | "no_withdrawals" | "no_transfers_out", "duration_minutes": 1-43,200}. */
  @SuppressWarnings("unchecked")
  private static RuleEffect restricting(RuleEffect effect, Object raw) {
    if (raw == null) return effect;
    if (!(raw instanceof Map<?, ?> r)) throw invalid("wrong_type", "effect.restrict must be an object", "effect.restrict");
    Map<String, Object> m = (Map<String, Object>) r;
    for (String key : m.keySet()) {
      if (!Set.of("kind", "duration_minutes").contains(key)) {
        throw invalid("unknown_field", "effect.restrict has a field Vigil does not know; param names it", "effect.restrict." + truncate(key));
      }
    }
    RestrictionKind kind =
        RestrictionKind.fromWire(string(m, "kind", "effect.restrict.kind", true));
    if (kind == null || kind == RestrictionKind.LOWER_LIMIT) {
      throw invalid("invalid_effect", "effect.restrict.kind is freeze, no_withdrawals or no_transfers_out", "effect.restrict.kind");
    }
    Object minutes = m.get("duration_minutes");
    if (!(minutes instanceof Integer || minutes instanceof Long)) {
      throw invalid("invalid_effect", "effect.restrict.duration_minutes is an integer from 1 to 43200", "effect.restrict.duration_minutes");
    }
    long n = ((Number) minutes).longValue();
    if (n < 1 || n > 43_200) {
      throw invalid("invalid_effect", "effect.restrict.duration_minutes is an integer from 1 to 43200", "effect.restrict.duration_minutes");
    }
    return effect.restricting(kind, n * 60_000L);
  }

  public static int integer(Map<String, Object> m, String key, String param) {
    String name = param.equals(key) ? key : param + "." + key;
    Object v = m.get(key);
    if (v == null) throw invalid("missing_field", name + " is required", name);
    if (!(v instanceof Integer || v instanceof Long)) throw invalid("wrong_type", name + " must be an integer", name);
    long n = ((Number) v).longValue();
    if (n < -1_000 || n > 1_000) throw invalid("out_of_range", name + " is out of range", name);
    return (int) n;
  }

  public static String string(Map<String, Object> m, String key, String param, boolean required) {
    Object v = m.get(key);
    if (v == null) {
      if (required) throw invalid("missing_field", param + " is required", param);
      return null;
    }
    if (!(v instanceof String s)) throw invalid("wrong_type", param + " must be a string", param);
    return s;
  }

  /** A name as an error shows it: cut to 64 characters, so an absurd field name cannot flood the reply. */
  public static String truncate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "…";
  }

  private static ValidationException invalid(String code, String message, String param) {
    return new ValidationException(code, param, message);
  }
}
