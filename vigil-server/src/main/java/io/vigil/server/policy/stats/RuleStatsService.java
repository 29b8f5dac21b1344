package io.vigil.server.policy.stats;

import io.vigil.engine.event.EventType;
import io.vigil.engine.rule.RuleDefinition;
import io.vigil.server.api.ApiException;
import io.vigil.server.policy.PolicyService;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Per-rule statistics over a range of days, from the daily roll-ups ({@link RuleStatsRollup}) and
 * the labels and verdicts of the range's fires. Read cost: the range's day rows (rules × days), the
 * rule's (rule, day, account) rows for distinct accounts, its pair rows for co-firing, and a join of
 * labels and case verdicts to the rule index over the range's sequences; never the journal's events.
 */
public final class RuleStatsService {
  /** Co-firing rules listed per rule, most first. */
  public static final int CO_FIRING_SHOWN_MAX = 10;

  private final RuleStatsRepository repository;
  private final PolicyService policies;
  private final RuleReviews reviews;

  public RuleStatsService(RuleStatsRepository repository, PolicyService policies, RuleReviews reviews) {
    this.repository = repository;
    this.policies = policies;
    this.reviews = reviews;
  }

  /** Counts of one rule over the range. */
  public record Counts(long decisions, long fires, long intercepted, long labelled, long fraud, long falseInterceptions) {
    public Double fireRate() {
      return ratio(fires, decisions);
    }

    public Double precision() {
      return ratio(fraud, labelled);
    }

    public Double falseInterceptionRatio() {
      return ratio(falseInterceptions, intercepted);
    }
  }

  static Double ratio(long part, long whole) {
    assert part >= 0 && whole >= 0;
    return whole == 0 ? null : Math.round(1e4 * part / (double) whole) / 1e4;
  }

  /** {@code GET /v1/rules/{id}/stats}. */
  public Map<String, Object> rule(String ruleId, StatsRange range) {
    RuleDefinition rule = policies.rule(ruleId).orElseThrow(() -> ApiException.notFound("rule_not_found", "No rule with this id", "id"));
    List<RuleStatsRepository.DecisionDay> decisionDays = repository.decisionDays(range.fromDay(), range.toDay());
    List<RuleStatsRepository.RuleDay> days = repository.ruleDays(ruleId, range.fromDay(), range.toDay());
    Map<List<String>, RuleStatsRepository.Outcome> outcomes = outcomes(ruleId, decisionDays);
    Counts counts = counts(rule, decisionDays, days, outcomes.values());
    Map<String, Object> m = header(range);
    m.put("rule_id", ruleId);
    m.put("event_types", rule.eventTypes().stream().map(EventType::wireName).sorted().toList());
    put(m, counts);
    long[] accounts = repository.accounts(ruleId, range.fromDay(), range.toDay());
    long repeats = accounts[1] - accounts[0];
    m.put("distinct_accounts", accounts[0]);
    m.put("repeat_fires", repeats);
    m.put("repeat_ratio", ratio(repeats, counts.fires()));
    m.put("trend", trend(rule, range, decisionDays, days));
    m.put("co_firing", repository.coFiring(ruleId, range.fromDay(), range.toDay(), CO_FIRING_SHOWN_MAX).stream()
        .map(c -> Map.<String, Object>of("rule_id", c.ruleId(), "fires", c.fires())).toList());
    m.put("review", reviews.json(reviews.status(ruleId)));
    return m;
  }

  /** {@code GET /v1/rules/stats}: every rule of the policy, in policy order. */
  public Map<String, Object> all(StatsRange range) {
    List<RuleDefinition> rules = policies.document().rules();
    List<RuleStatsRepository.DecisionDay> decisionDays = repository.decisionDays(range.fromDay(), range.toDay());
    Map<String, List<RuleStatsRepository.RuleDay>> days = new HashMap<>();
    for (RuleStatsRepository.RuleDay d : repository.ruleDays(null, range.fromDay(), range.toDay())) {
      days.computeIfAbsent(d.ruleId(), k -> new ArrayList<>()).add(d);
    }
    Map<String, List<RuleStatsRepository.Outcome>> outcomes = new HashMap<>();
    for (RuleStatsRepository.Outcome o : outcomes(null, decisionDays).values()) {
      outcomes.computeIfAbsent(o.ruleId(), k -> new ArrayList<>()).add(o);
    }
    Map<String, RuleReviews.Status> status = reviews.status(rules.stream().map(RuleDefinition::id).toList());
    List<Map<String, Object>> data = new ArrayList<>();
    for (RuleDefinition rule : rules) {
      Counts counts = counts(rule, decisionDays, days.getOrDefault(rule.id(), List.of()), outcomes.getOrDefault(rule.id(), List.of()));
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("rule_id", rule.id());
      r.put("enabled", rule.enabled());
      put(r, counts);
      r.put("review", reviews.json(status.get(rule.id())));
      data.add(r);
    }
    Map<String, Object> m = header(range);
    m.put("data", data);
    return m;
  }

  private Map<String, Object> header(StatsRange range) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("from", range.from().toString());
    m.put("to", range.to().toString());
    m.put("days", range.days());
    m.put("rolled_up_through_sequence", repository.cursor());
    return m;
  }

  private static void put(Map<String, Object> m, Counts c) {
    m.put("decisions", c.decisions());
    m.put("fires", c.fires());
    m.put("fire_rate", c.fireRate());
    m.put("intercepted_fires", c.intercepted());
    m.put("labelled_fires", c.labelled());
    m.put("labelled_fraud", c.fraud());
    m.put("precision", c.precision());
    m.put("false_interceptions", c.falseInterceptions());
    m.put("false_interception_ratio", c.falseInterceptionRatio());
  }

  private Map<List<String>, RuleStatsRepository.Outcome> outcomes(String ruleId, List<RuleStatsRepository.DecisionDay> decisionDays) {
    if (decisionDays.isEmpty()) return Map.of();
    long first = decisionDays.stream().mapToLong(RuleStatsRepository.DecisionDay::sequenceMin).min().orElseThrow();
    long last = decisionDays.stream().mapToLong(RuleStatsRepository.DecisionDay::sequenceMax).max().orElseThrow();
    return repository.outcomes(ruleId, first, last);
  }

  private static Counts counts(RuleDefinition rule, List<RuleStatsRepository.DecisionDay> decisionDays,
      List<RuleStatsRepository.RuleDay> days, Iterable<RuleStatsRepository.Outcome> outcomes) {
    Set<String> types = types(rule);
    long decisions = 0;
    for (RuleStatsRepository.DecisionDay d : decisionDays) {
      if (types.isEmpty() || types.contains(d.eventType())) decisions += d.decisions();
    }
    long fires = 0;
    long intercepted = 0;
    for (RuleStatsRepository.RuleDay d : days) {
      fires += d.fires();
      intercepted += d.intercepted();
    }
    long labelled = 0;
    long fraud = 0;
    long falseInterceptions = 0;
    for (RuleStatsRepository.Outcome o : outcomes) {
      labelled++;
      if (o.fraud()) fraud++;
      else if (o.intercepted()) falseInterceptions++;
    }
    return new Counts(decisions, fires, intercepted, labelled, fraud, falseInterceptions);
  }

  private static Set<String> types(RuleDefinition rule) {
    Set<String> out = new TreeSet<>();
    for (EventType t : rule.eventTypes()) out.add(t.wireName());
    return out;
  }

  /** One entry per day of the range, oldest first, days without fires included. */
  private static List<Map<String, Object>> trend(RuleDefinition rule, StatsRange range,
      List<RuleStatsRepository.DecisionDay> decisionDays, List<RuleStatsRepository.RuleDay> days) {
    Set<String> types = types(rule);
    Map<Integer, long[]> byDay = new HashMap<>();
    for (RuleStatsRepository.DecisionDay d : decisionDays) {
      if (types.isEmpty() || types.contains(d.eventType())) byDay.computeIfAbsent(d.day(), k -> new long[3])[0] += d.decisions();
    }
    for (RuleStatsRepository.RuleDay d : days) {
      long[] v = byDay.computeIfAbsent(d.day(), k -> new long[3]);
      v[1] += d.fires();
      v[2] += d.intercepted();
    }
    List<Map<String, Object>> out = new ArrayList<>(range.days());
    for (int day = range.fromDay(); day <= range.toDay(); day++) {
      long[] v = byDay.getOrDefault(day, new long[3]);
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("date", LocalDate.ofEpochDay(day).toString());
      e.put("decisions", v[0]);
      e.put("fires", v[1]);
      e.put("intercepted_fires", v[2]);
      out.add(e);
    }
    return out;
  }
}
