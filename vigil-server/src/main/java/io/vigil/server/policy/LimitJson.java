package io.vigil.server.policy;

import io.vigil.engine.policy.PolicyMaps;
import io.vigil.engine.event.EventType;
import io.vigil.engine.limit.LimitDefinition;
import io.vigil.engine.limit.LimitPeriod;
import io.vigil.engine.limit.ScoreMapping;
import io.vigil.engine.policy.Action;
import io.vigil.engine.policy.ChallengePolicy;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Params;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Limits (L3) and the challenge policy as JSON: rendering, and strict parsing with 400s that name the field. */
public final class LimitJson {
  private LimitJson() {}

  private static final Set<String> LIMIT_FIELDS = Set.of("id", "description", "period", "currency", "amount_minor",
      "score_mapping", "assurance_levels", "merchant_risk_levels", "event_types", "channels", "breach_action", "challenge_kind");
  private static final Set<String> MAPPING_FIELDS = Set.of("score_min", "score_max", "amount_minor_at_min", "amount_minor_at_max");
  private static final Set<String> CHALLENGE_FIELDS = Set.of("failures_to_lock", "window_minutes", "lock_minutes");

  public static Map<String, Object> limit(LimitDefinition l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", l.id());
    if (l.description() != null) m.put("description", l.description());
    m.put("period", l.period().wireName());
    m.put("currency", l.currency());
    m.put("amount_minor", l.amountMinor());
    if (l.scoreMapping() != null) {
      ScoreMapping s = l.scoreMapping();
      m.put("score_mapping", Map.of("score_min", s.scoreMin(), "score_max", s.scoreMax(),
          "amount_minor_at_min", s.amountMinorAtScoreMin(), "amount_minor_at_max", s.amountMinorAtScoreMax()));
    }
    m.put("assurance_levels", new TreeSet<>(l.assuranceLevels()));
    m.put("merchant_risk_levels", new TreeSet<>(l.merchantRiskLevels()));
    m.put("event_types", l.eventTypes().stream().map(EventType::wireName).sorted().toList());
    m.put("channels", new TreeSet<>(l.channels()));
    m.put("breach_action", l.breachAction().name());
    if (l.challengeKind() != null) m.put("challenge_kind", l.challengeKind());
    return m;
  }

  public static Map<String, Object> challenges(ChallengePolicy c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("failures_to_lock", c.failuresToLock());
    m.put("window_minutes", c.windowMillis() / 60_000);
    m.put("lock_minutes", c.lockMillis() / 60_000);
    return m;
  }

  /** Limits from API input or a stored document; a bad one is 400 invalid_limits naming it. */
  @SuppressWarnings("unchecked")
  public static List<LimitDefinition> parseLimits(Object raw) {
    if (!(raw instanceof List<?> list)) throw ApiException.invalid("wrong_type", "limits must be a list", "limits");
    if (list.size() > LimitDefinition.PER_POLICY_MAX) {
      throw ApiException.invalid("invalid_limits", "at most " + LimitDefinition.PER_POLICY_MAX + " limits", "limits");
    }
    List<LimitDefinition> limits = new ArrayList<>();
    Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String param = "limits[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> m)) throw ApiException.invalid("wrong_type", param + " must be an object", param);
      LimitDefinition l = parseLimit((Map<String, Object>) m, param);
      if (!ids.add(l.id())) throw ApiException.invalid("invalid_limits", "two limits have the same id; param names the second", param + ".id");
      limits.add(l);
    }
    return limits;
  }

  /** One limit object; {@code param} names it in errors, e.g. {@code limits[2]} or {@code limit}. */
  @SuppressWarnings("unchecked")
  static LimitDefinition parseLimit(Map<String, Object> m, String param) {
    unknown(m, LIMIT_FIELDS, param);
    String periodName = PolicyMaps.string(m, "period", param + ".period", true);
    LimitPeriod period = LimitPeriod.fromWire(periodName);
    if (period == null) throw ApiException.invalid("invalid_limits", param + ".period is single, daily, monthly or rolling_24h", param + ".period");
    ScoreMapping mapping = null;
    if (m.get("score_mapping") != null) {
      if (!(m.get("score_mapping") instanceof Map<?, ?> sm)) throw ApiException.invalid("wrong_type", param + ".score_mapping must be an object", param + ".score_mapping");
      Map<String, Object> s = (Map<String, Object>) sm;
      String p = param + ".score_mapping";
      unknown(s, MAPPING_FIELDS, p);
      try {
        mapping = new ScoreMapping(PolicyMaps.integer(s, "score_min", p), PolicyMaps.integer(s, "score_max", p),
            amount(s, "amount_minor_at_min", p), amount(s, "amount_minor_at_max", p));
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid("invalid_limits", p + ": " + e.getMessage(), p);
      }
    }
    Set<Integer> assurance = new java.util.HashSet<>();
    for (Object level : list(m, "assurance_levels", param)) {
      if (!(level instanceof Integer || level instanceof Long)) throw ApiException.invalid("wrong_type", param + ".assurance_levels holds integers 0-3", param + ".assurance_levels");
      long n = ((Number) level).longValue();
      if (n < 0 || n > LimitDefinition.ASSURANCE_LEVEL_MAX) throw ApiException.invalid("invalid_limits", param + ".assurance_levels holds integers 0-3", param + ".assurance_levels");
      assurance.add((int) n);
    }
    String action = PolicyMaps.string(m, "breach_action", param + ".breach_action", true);
    Action breach = "DENY".equals(action) ? Action.DENY : "CHALLENGE".equals(action) ? Action.CHALLENGE : null;
    if (breach == null) throw ApiException.invalid("invalid_limits", param + ".breach_action is DENY or CHALLENGE", param + ".breach_action");
    try {
      return new LimitDefinition(PolicyMaps.string(m, "id", param + ".id", true), PolicyMaps.string(m, "description", param + ".description", false),
          period, PolicyMaps.string(m, "currency", param + ".currency", true), amount(m, "amount_minor", param), mapping, assurance,
          strings(m, "merchant_risk_levels", param), PolicyMaps.eventTypes(m.getOrDefault("event_types", List.of())),
          strings(m, "channels", param), breach, PolicyMaps.string(m, "challenge_kind", param + ".challenge_kind", false));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("invalid_limits", param + ": " + e.getMessage(), param);
    }
  }

  public static ChallengePolicy parseChallenges(Object raw) {
    if (!(raw instanceof Map<?, ?> r)) throw ApiException.invalid("wrong_type", "challenges must be an object", "challenges");
    @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) r;
    unknown(m, CHALLENGE_FIELDS, "challenges");
    try {
      return new ChallengePolicy(PolicyMaps.integer(m, "failures_to_lock", "challenges"),
          minutes(m, "window_minutes") * 60_000L, minutes(m, "lock_minutes") * 60_000L);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("invalid_challenges", e.getMessage(), "challenges");
    }
  }

  private static long minutes(Map<String, Object> m, String key) {
    Object v = m.get(key);
    String param = "challenges." + key;
    if (v == null) throw ApiException.invalid("missing_field", param + " is required", param);
    if (!(v instanceof Integer || v instanceof Long)) throw ApiException.invalid("wrong_type", param + " must be an integer", param);
    long n = ((Number) v).longValue();
    if (n < 1 || n > 30L * 24 * 60) throw ApiException.invalid("out_of_range", param + " is 1 to 43200 minutes", param);
    return n;
  }

  private static long amount(Map<String, Object> m, String key, String param) {
    String name = param + "." + key;
    Object v = m.get(key);
    if (v == null) throw ApiException.invalid("missing_field", name + " is required", name);
    if (!(v instanceof Integer || v instanceof Long)) throw ApiException.invalid("wrong_type", name + " must be an integer number of minor units", name);
    long n = ((Number) v).longValue();
    if (n < 0 || n > io.vigil.engine.Limits.AMOUNT_MINOR_MAX) throw ApiException.invalid("out_of_range", name + " is out of range", name);
    return n;
  }

  private static List<?> list(Map<String, Object> m, String key, String param) {
    Object v = m.getOrDefault(key, List.of());
    if (!(v instanceof List<?> l)) throw ApiException.invalid("wrong_type", param + "." + key + " must be a list", param + "." + key);
    if (l.size() > 16) throw ApiException.invalid("invalid_limits", param + "." + key + " holds at most 16 values", param + "." + key);
    return l;
  }

  private static Set<String> strings(Map<String, Object> m, String key, String param) {
    Set<String> out = new java.util.HashSet<>();
    for (Object o : list(m, key, param)) {
      if (!(o instanceof String s)) throw ApiException.invalid("wrong_type", param + "." + key + " holds strings", param + "." + key);
      out.add(s);
    }
    return out;
  }

  private static void unknown(Map<String, Object> m, Set<String> allowed, String param) {
    for (String key : m.keySet()) Params.checkField(key, allowed, param);
  }
}
