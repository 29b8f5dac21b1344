package io.vigil.server.cases;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Params;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Queues and their routing rules as the API and the {@code case_queues} table write them. */
public final class QueueJson {
  private QueueJson() {}

  static final Set<String> RULE_FIELDS = Set.of("event_types", "origins", "risk_levels", "amount_minor_min", "rules");
  private static final Set<String> RISK_LEVELS = Set.of("low", "medium", "high", "critical");
  private static final Set<String> EVENT_TYPES =
      Set.of("registration", "login", "payment", "transfer", "withdrawal", "refund", "merchant_onboarding");
  private static final int VALUE_CHARS_MAX = 200;

  public static Map<String, Object> rule(RoutingRule r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event_types", r.eventTypes().stream().sorted().toList());
    m.put("origins", r.origins().stream().map(CaseOrigin::wire).sorted().toList());
    m.put("risk_levels", r.riskLevels().stream().sorted().toList());
    m.put("amount_minor_min", r.amountMinorMin());
    m.put("rules", r.rules().stream().sorted().toList());
    return m;
  }

  /** The routing rules in {@code value} (a list of objects), checked; errors name {@code param}[i].field. */
  public static List<RoutingRule> rules(Object value, String param) {
    if (!(value instanceof List<?> list)) throw ApiException.invalid("invalid_routing", param + " must be a list of rules", param);
    if (list.size() > CaseQueue.ROUTING_RULES_MAX) {
      throw ApiException.invalid("invalid_routing", param + " holds at most " + CaseQueue.ROUTING_RULES_MAX + " rules", param);
    }
    List<RoutingRule> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String at = param + "[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> raw)) throw ApiException.invalid("invalid_routing", at + " must be an object", at);
      @SuppressWarnings("unchecked")
      Map<String, Object> m = Params.checkFields((Map<String, Object>) raw, RULE_FIELDS, at);
      Set<String> events = strings(m.get("event_types"), at + ".event_types", s -> EVENT_TYPES.contains(s) ? s : null);
      Set<CaseOrigin> origins = strings(m.get("origins"), at + ".origins", CaseOrigin::ofWire);
      Set<String> risks = strings(m.get("risk_levels"), at + ".risk_levels", s -> RISK_LEVELS.contains(s) ? s : null);
      Set<String> rules = strings(m.get("rules"), at + ".rules", s -> s.isBlank() ? null : s);
      Long amountMin = null;
      Object amount = m.get("amount_minor_min");
      if (amount != null) {
        if (!(amount instanceof Number n) || n.longValue() < 0 || n.doubleValue() != n.longValue()) {
          throw ApiException.invalid("invalid_routing", "amount_minor_min must be a whole number of minor units, 0 or more",
              at + ".amount_minor_min");
        }
        amountMin = n.longValue();
      }
      out.add(new RoutingRule(events, origins, risks, amountMin, rules));
    }
    return out;
  }

  private static <T> Set<T> strings(Object value, String param, Function<String, T> parse) {
    Set<T> out = new LinkedHashSet<>();
    if (value == null) return out;
    if (!(value instanceof List<?> list)) throw ApiException.invalid("invalid_routing", param + " must be a list", param);
    if (list.size() > RoutingRule.VALUES_MAX) {
      throw ApiException.invalid("invalid_routing", param + " lists at most " + RoutingRule.VALUES_MAX + " values", param);
    }
    for (Object o : list) {
      T parsed = o instanceof String s && s.length() <= VALUE_CHARS_MAX ? parse.apply(s) : null;
      if (parsed == null) throw ApiException.invalid("invalid_routing", param + " has a value this field does not take", param);
      out.add(parsed);
    }
    return out;
  }

  public static Map<String, Object> queue(CaseQueue q) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("queue_id", q.queueId());
    m.put("name", q.name());
    m.put("position", q.position());
    m.put("deadline_minutes", q.deadlineMillis() / 60_000L);
    m.put("warning_minutes", q.warningMillis() / 60_000L);
    m.put("escalation_queue_id", q.escalationQueueId());
    m.put("auto_assign", q.autoAssign());
    m.put("reviewer_cap", q.reviewerCap());
    m.put("routing", q.routing().stream().map(QueueJson::rule).toList());
    m.put("members", q.members());
    return m;
  }
}
