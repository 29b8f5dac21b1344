package io.vigil.server.policy;

import io.vigil.engine.policy.PolicyMaps;
import io.vigil.engine.event.EventType;
import io.vigil.engine.scorecard.ScorecardDefinition;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Params;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Scorecards as JSON, for the API and for stored policy documents. */
final class ScorecardJson {
  private static final Set<String> FIELDS = Set.of("id", "description", "enabled", "event_types", "when", "prefilter",
      "factors", "admit_at", "review_at");
  private static final Set<String> CHECK_FIELDS = Set.of("name", "expression", "message");
  private static final Set<String> FACTOR_FIELDS = Set.of("name", "weight", "expression");

  private ScorecardJson() {}

  static Map<String, Object> render(ScorecardDefinition s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id());
    m.put("description", s.description());
    m.put("enabled", s.enabled());
    m.put("event_types", s.eventTypes().stream().map(EventType::wireName).sorted().toList());
    m.put("when", s.when());
    m.put("prefilter", s.prefilter().stream().map(c -> {
      Map<String, Object> check = new LinkedHashMap<>();
      check.put("name", c.name());
      check.put("expression", c.expression());
      check.put("message", c.message());
      return check;
    }).toList());
    m.put("factors", s.factors().stream().map(f -> {
      Map<String, Object> factor = new LinkedHashMap<>();
      factor.put("name", f.name());
      factor.put("weight", f.weight());
      factor.put("expression", f.expression());
      return factor;
    }).toList());
    m.put("admit_at", s.admitAtScore());
    m.put("review_at", s.reviewAtScore());
    return m;
  }

  @SuppressWarnings("unchecked")
  static List<ScorecardDefinition> parseAll(List<Object> raw) {
    List<ScorecardDefinition> out = new ArrayList<>();
    for (Object o : raw) out.add(parse((Map<String, Object>) o, null));
    return out;
  }

  /** Parses a scorecard from API input; {@code pathId} (from the URL) wins over the body's id. */
  static ScorecardDefinition parse(Map<String, Object> m, String pathId) {
    rejectUnknown(m, FIELDS, "");
    String id = pathId != null ? pathId : PolicyMaps.string(m, "id", "id", true);
    if (pathId != null && m.containsKey("id") && !pathId.equals(m.get("id"))) {
      throw ApiException.invalid("id_mismatch", "the body's id differs from the URL's", "id");
    }
    Object enabled = m.getOrDefault("enabled", Boolean.FALSE);
    if (!(enabled instanceof Boolean)) throw ApiException.invalid("wrong_type", "enabled must be a boolean", "enabled");
    List<ScorecardDefinition.Check> checks = new ArrayList<>();
    List<Map<String, Object>> rawChecks = objects(m.get("prefilter"), "prefilter", ScorecardDefinition.CHECKS_MAX);
    for (int i = 0; i < rawChecks.size(); i++) {
      Map<String, Object> c = rawChecks.get(i);
      String param = "prefilter[" + i + "]";
      rejectUnknown(c, CHECK_FIELDS, param);
      checks.add(new ScorecardDefinition.Check(PolicyMaps.string(c, "name", param + ".name", true),
          PolicyMaps.string(c, "expression", param + ".expression", true), PolicyMaps.string(c, "message", param + ".message", true)));
    }
    List<ScorecardDefinition.Factor> factors = new ArrayList<>();
    List<Map<String, Object>> rawFactors = objects(m.get("factors"), "factors", ScorecardDefinition.FACTORS_MAX);
    for (int i = 0; i < rawFactors.size(); i++) {
      Map<String, Object> f = rawFactors.get(i);
      String param = "factors[" + i + "]";
      rejectUnknown(f, FACTOR_FIELDS, param);
      factors.add(new ScorecardDefinition.Factor(PolicyMaps.string(f, "name", param + ".name", true),
          PolicyMaps.integer(f, "weight", param), PolicyMaps.string(f, "expression", param + ".expression", true)));
    }
    return new ScorecardDefinition(id, PolicyMaps.string(m, "description", "description", false), (Boolean) enabled,
        PolicyMaps.eventTypes(m.get("event_types")), PolicyMaps.string(m, "when", "when", false), checks, factors,
        PolicyMaps.integer(m, "admit_at", "admit_at"), PolicyMaps.integer(m, "review_at", "review_at"));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> objects(Object raw, String param, int max) {
    if (raw == null) return List.of();
    if (!(raw instanceof List<?> list)) throw ApiException.invalid("wrong_type", param + " must be a list", param);
    if (list.size() > max) throw ApiException.invalid("too_many_items", param + " holds at most " + max + " items", param);
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof Map<?, ?>)) throw ApiException.invalid("wrong_type", param + " items must be objects", param);
      out.add((Map<String, Object>) o);
    }
    return out;
  }

  private static void rejectUnknown(Map<String, Object> m, Set<String> known, String prefix) {
    for (String key : m.keySet()) Params.checkField(key, known, prefix);
  }
}
