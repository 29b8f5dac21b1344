package io.vigil.server.policy;

import io.vigil.engine.limit.LimitDefinition;
import io.vigil.engine.policy.ChallengePolicy;
import io.vigil.engine.policy.HoldPolicy;
import io.vigil.engine.policy.PolicyDocument;
import io.vigil.engine.policy.PolicyMaps;
import io.vigil.engine.rule.RuleCompileException;
import io.vigil.engine.rule.RuleCompiler;
import io.vigil.engine.rule.RuleDefinition;
import io.vigil.engine.scorecard.ScorecardDefinition;
import io.vigil.engine.event.ValidationException;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Params;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A whole policy document from untrusted JSON (a change request's proposal, an import): every
 * section checked for its type, every error naming its place under {@code prefix} (e.g.
 * {@code proposed.rules[2].expression}), and every rule compiled. Never a half-checked document.
 */
public final class PolicyDocuments {
  /** The sections of a document as {@link PolicyJson#document} writes it. */
  public static final Set<String> SECTIONS = Set.of("version", "rules", "thresholds", "weights", "default_timezone", "scorecards",
      "holds", "limits", "challenges");

  private PolicyDocuments() {}

  public static Map<String, Object> render(PolicyDocument d) {
    return PolicyJson.document(d);
  }

  /** The document, checked and compiled; {@code version} is the number to give it. */
  public static PolicyDocument parse(Map<String, Object> m, long version, RuleCompiler compiler, String prefix) {
    for (String key : m.keySet()) Params.checkField(key, SECTIONS, prefix);
    for (String section : SECTIONS) {
      if (!section.equals("version") && !m.containsKey(section)) {
        throw ApiException.invalid("missing_field", prefix + "." + section + " is required", prefix + "." + section);
      }
    }
    List<RuleDefinition> rules = rules(m.get("rules"), compiler, prefix + ".rules");
    PolicyMaps.ThresholdSet thresholds = at(prefix + ".thresholds", () -> PolicyMaps.parseThresholds(object(m, "thresholds", prefix)));
    Map<String, Object> weights = object(m, "weights", prefix);
    double rulesWeight = number(weights, "rules", prefix + ".weights");
    double modelWeight = number(weights, "model", prefix + ".weights");
    if (rulesWeight < 0 || modelWeight < 0 || Math.abs(rulesWeight + modelWeight - 1.0) > 1e-9) {
      throw ApiException.invalid("invalid_weights", "weights.rules and weights.model are 0-1 and sum to 1", prefix + ".weights");
    }
    String zone = zone(m.get("default_timezone"), prefix + ".default_timezone");
    if (!(m.get("scorecards") instanceof List<?> cards)) throw wrongType(prefix + ".scorecards", "a list");
    @SuppressWarnings("unchecked")
    List<ScorecardDefinition> scorecards = at(prefix + ".scorecards", () -> ScorecardJson.parseAll((List<Object>) cards));
    List<HoldPolicy> holds = at(prefix, () -> PolicyJson.parseHolds(m.get("holds")));
    List<LimitDefinition> limits = at(prefix, () -> LimitJson.parseLimits(m.get("limits")));
    ChallengePolicy challenges = at(prefix, () -> LimitJson.parseChallenges(m.get("challenges")));
    try {
      return new PolicyDocument(version, rules, thresholds.defaults(), thresholds.byType(), rulesWeight, modelWeight, zone, scorecards,
          holds, limits, challenges);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("invalid_policy", e.getMessage(), prefix);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<RuleDefinition> rules(Object raw, RuleCompiler compiler, String param) {
    if (!(raw instanceof List<?> list)) throw wrongType(param, "a list");
    List<RuleDefinition> rules = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String at = param + "[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> r)) throw wrongType(at, "an object");
      RuleDefinition rule = at(at, () -> PolicyMaps.parseRule((Map<String, Object>) r, null));
      if (!ids.add(rule.id())) throw ApiException.invalid("invalid_policy", at + ".id repeats an earlier rule's id", at + ".id");
      try {
        compiler.compile(rule);
      } catch (RuleCompileException e) {
        throw ApiException.invalid("rule_compile_error", e.getMessage(), at + (e.param() == null ? "" : "." + e.param()));
      }
      rules.add(rule);
    }
    return rules;
  }

  /** Runs a section's parser, putting the section's place in front of the field its error names. */
  private static <T> T at(String place, Supplier<T> parse) {
    try {
      return parse.get();
    } catch (ValidationException e) {
      throw ApiException.invalid(e.code(), e.getMessage(), join(place, e.param()));
    } catch (ApiException e) {
      throw new ApiException(e.status(), e.type(), e.code(), e.getMessage(), join(place, e.param()));
    } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
      throw ApiException.invalid("invalid_policy", place + " is not valid: " + e.getMessage(), place);
    }
  }

  private static String join(String place, String param) {
    return param == null || param.isEmpty() ? place : place + "." + param;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Map<String, Object> m, String key, String prefix) {
    if (!(m.get(key) instanceof Map<?, ?> o)) throw wrongType(prefix + "." + key, "an object");
    return (Map<String, Object>) o;
  }

  private static double number(Map<String, Object> m, String key, String prefix) {
    if (!(m.get(key) instanceof Number n)) throw wrongType(prefix + "." + key, "a number");
    return n.doubleValue();
  }

  private static String zone(Object raw, String param) {
    if (!(raw instanceof String s) || s.length() > 64) throw wrongType(param, "an IANA time zone");
    try {
      ZoneId.of(s);
      return s;
    } catch (DateTimeException e) {
      throw ApiException.invalid("invalid_timezone", param + " must be an IANA time zone", param);
    }
  }

  private static ApiException wrongType(String param, String what) {
    return ApiException.invalid("wrong_type", param + " must be " + what, param);
  }
}
