package io.vigil.server.journal;

import io.vigil.engine.policy.Reason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rule index of the journal: which rule ids ({@code reasons[].rule_id}) each decision carries,
 * so that the decisions query can filter by a rule that fired without reading every response.
 */
public final class DecisionRules {
  /** Longest rule id the index holds: a scorecard factor's id, the longest kind, is under 150. */
  public static final int RULE_ID_CHARS_MAX = 200;
  private static final String INSERT = "INSERT INTO decision_rules (rule_id, sequence) VALUES (?,?)";

  private DecisionRules() {}

  /** One decision's distinct rule ids. */
  public record Fired(long sequence, Set<String> ruleIds) {}

  /** The distinct rule ids of a decision's reasons. */
  public static Set<String> ruleIds(List<Reason> reasons) {
    Set<String> ids = new LinkedHashSet<>();
    for (Reason r : reasons) add(ids, r.ruleId());
    return ids;
  }

  /** The distinct rule ids of a stored response's {@code reasons}. */
  public static Set<String> ruleIds(Map<String, Object> response) {
    Set<String> ids = new LinkedHashSet<>();
    if (response.get("reasons") instanceof List<?> reasons) {
      for (Object r : reasons) {
        if (r instanceof Map<?, ?> reason && reason.get("rule_id") instanceof String id) add(ids, id);
      }
    }
    return ids;
  }

  private static void add(Set<String> ids, String id) {
    if (id.length() <= RULE_ID_CHARS_MAX) ids.add(id);
  }

  /** Writes the index rows of these decisions on the given connection, in its transaction. */
  public static void insertAll(Connection c, List<Fired> fired) throws SQLException {
    if (fired.stream().allMatch(f -> f.ruleIds().isEmpty())) return;
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (Fired f : fired) {
        for (String id : f.ruleIds()) {
          ps.setString(1, id);
          ps.setLong(2, f.sequence());
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
  }
}
