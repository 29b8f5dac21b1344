package io.vigil.eval;

import io.vigil.engine.Limits;
import io.vigil.engine.event.ValidationException;
import io.vigil.engine.policy.PolicyDocument;
import io.vigil.engine.policy.PolicyMaps;
import io.vigil.engine.rule.RuleDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A candidate rule set and/or thresholds to backtest ({@code --candidate-policy FILE}): a JSON object
 * with {@code rules} (the whole list, replacing the policy's) and/or {@code thresholds}, in the wire
 * format of {@code GET /v1/policy}, so {@code curl …/v1/policy | jq '{rules, thresholds}'} is a valid
 * file. Everything else (limits, scorecards, holds, weights) stays the replayed policy's.
 */
record CandidatePolicy(List<RuleDefinition> rules, PolicyMaps.ThresholdSet thresholds) {
  static final long FILE_BYTES_MAX = 1 << 20;
  private static final Set<String> FIELDS = Set.of("rules", "thresholds");

  CandidatePolicy {
    if (rules == null && thresholds == null) throw new IllegalArgumentException("a candidate policy needs rules or thresholds");
    if (rules != null && rules.size() > Limits.RULES_PER_POLICY_MAX) {
      throw new IllegalArgumentException("a candidate policy has at most " + Limits.RULES_PER_POLICY_MAX + " rules");
    }
  }

  /** Reads and validates a file; every refusal names the file and the offending field. */
  @SuppressWarnings("unchecked")
  static CandidatePolicy read(Path file) throws IOException {
    if (Files.size(file) > FILE_BYTES_MAX) throw new IllegalArgumentException(file + ": larger than " + FILE_BYTES_MAX + " bytes");
    Object root;
    try {
      root = JsonMapper.builder().build().readValue(Files.readString(file), Object.class);
    } catch (JacksonException e) {
      // Where, not what: Jackson's message can quote the file, and errors never repeat input.
      var at = e.getLocation();
      throw new IllegalArgumentException(file + ": not JSON" + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    }
    if (!(root instanceof Map<?, ?> m)) throw new IllegalArgumentException(file + ": must be a JSON object with rules and/or thresholds");
    for (Object key : m.keySet()) {
      if (!FIELDS.contains(key)) throw new IllegalArgumentException(file + ": unknown field " + PolicyMaps.truncate(String.valueOf(key)));
    }
    try {
      List<RuleDefinition> rules = null;
      if (m.containsKey("rules")) {
        if (!(m.get("rules") instanceof List<?> list)) throw new ValidationException("wrong_type", "rules", "rules must be a list");
        if (list.size() > Limits.RULES_PER_POLICY_MAX) {
          throw new ValidationException("out_of_range", "rules", "at most " + Limits.RULES_PER_POLICY_MAX + " rules");
        }
        rules = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
          if (!(list.get(i) instanceof Map<?, ?> r)) throw new ValidationException("wrong_type", "rules[" + i + "]", "each rule is an object");
          try {
            rules.add(PolicyMaps.parseRule((Map<String, Object>) r, null));
          } catch (ValidationException e) {
            throw within("rules[" + i + "]", e);
          }
        }
      }
      PolicyMaps.ThresholdSet thresholds = null;
      if (m.containsKey("thresholds")) {
        if (!(m.get("thresholds") instanceof Map<?, ?> t)) throw new ValidationException("wrong_type", "thresholds", "thresholds must be an object");
        try {
          thresholds = PolicyMaps.parseThresholds((Map<String, Object>) t);
        } catch (ValidationException e) {
          throw within("thresholds", e);
        }
      }
      return new CandidatePolicy(rules, thresholds);
    } catch (ValidationException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage() + " (field " + e.param() + ", " + e.code() + ")");
    }
  }

  /** The same refusal with its field named from the file's top: {@code rules[2]} + {@code effect.points}. */
  private static ValidationException within(String path, ValidationException e) {
    return new ValidationException(e.code(), path + "." + e.param(), e.getMessage());
  }

  /** The replayed policy with this candidate's rules and thresholds in place of its own. */
  PolicyDocument applyTo(PolicyDocument live) {
    PolicyDocument d = rules == null ? live : live.withRules(live.version() + 1, rules);
    return thresholds == null ? d : d.withThresholds(d.version() + 1, thresholds.defaults(), thresholds.byType());
  }
}
