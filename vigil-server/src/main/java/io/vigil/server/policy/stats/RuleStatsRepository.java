package io.vigil.server.policy.stats;

import io.vigil.server.storage.Sql;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Reads of the rule statistics: the daily roll-ups of {@link RuleStatsRollup} for a range of days,
 * and the labels and case verdicts of the rules' fires in that range. A null rule id reads every
 * rule at once (the summary).
 */
public final class RuleStatsRepository {
  private final DataSource dataSource;

  public RuleStatsRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** One day of one event type: decisions and their sequence range. */
  public record DecisionDay(int day, String eventType, long decisions, long sequenceMin, long sequenceMax) {}

  /** One day of one rule. */
  public record RuleDay(String ruleId, int day, long fires, long intercepted, long withoutAccount) {}

  /** A decision the rule fired on that has a label or a verdict: whether it was intercepted, and found fraud. */
  public record Outcome(String ruleId, String decisionId, boolean intercepted, boolean fraud) {}

  /** A rule that fired together with the rule, and on how many decisions. */
  public record CoFiring(String ruleId, long fires) {}

  /** The journal sequence rolled up so far. */
  public long cursor() {
    return Sql.number(dataSource, "SELECT sequence FROM rule_stats_cursor WHERE name = ?",
        ps -> ps.setString(1, RuleStatsRollup.JOURNAL_CURSOR), "reading the rule statistics cursor failed");
  }

  public List<DecisionDay> decisionDays(int fromDay, int toDay) {
    String sql = "SELECT epoch_day, event_type, decision_count, sequence_min, sequence_max FROM rule_stats_decisions"
        + " WHERE epoch_day >= ? AND epoch_day <= ?";
    return Sql.list(dataSource, sql, ps -> {
      ps.setInt(1, fromDay);
      ps.setInt(2, toDay);
    }, rs -> new DecisionDay(rs.getInt(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)),
        "reading decisions per day failed");
  }

  /** The rule's days (or every rule's, for a null id) in the range, oldest first. */
  public List<RuleDay> ruleDays(String ruleId, int fromDay, int toDay) {
    String sql = "SELECT rule_id, epoch_day, fires, intercepted, without_account FROM rule_stats_days WHERE "
        + (ruleId == null ? "" : "rule_id = ? AND ") + "epoch_day >= ? AND epoch_day <= ? ORDER BY epoch_day";
    return Sql.list(dataSource, sql, ps -> {
      int i = 1;
      if (ruleId != null) ps.setString(i++, ruleId);
      ps.setInt(i++, fromDay);
      ps.setInt(i, toDay);
    }, rs -> new RuleDay(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)),
        "reading rule fires per day failed");
  }

  /** {distinct accounts, fires with an account} of the rule in the range. */
  public long[] accounts(String ruleId, int fromDay, int toDay) {
    String sql = "SELECT COUNT(DISTINCT account_id), COALESCE(SUM(fires), 0) FROM rule_stats_accounts"
        + " WHERE rule_id = ? AND epoch_day >= ? AND epoch_day <= ?";
    return Sql.one(dataSource, sql, ps -> {
      ps.setString(1, ruleId);
      ps.setInt(2, fromDay);
      ps.setInt(3, toDay);
    }, rs -> new long[] {rs.getLong(1), rs.getLong(2)}, "reading rule accounts failed").orElseThrow();
  }

  /** The rules that fired most often together with the rule in the range, most first, at most {@code limit}. */
  public List<CoFiring> coFiring(String ruleId, int fromDay, int toDay, int limit) {
    String sql = "SELECT other_rule_id, SUM(fires) FROM rule_stats_pairs WHERE rule_id = ? AND epoch_day >= ? AND epoch_day <= ?"
        + " GROUP BY other_rule_id ORDER BY SUM(fires) DESC, other_rule_id LIMIT ?";
    return Sql.list(dataSource, sql, ps -> {
      ps.setString(1, ruleId);
      ps.setInt(2, fromDay);
      ps.setInt(3, toDay);
      ps.setInt(4, limit);
    }, rs -> new CoFiring(rs.getString(1), rs.getLong(2)), "reading co-firing rules failed");
  }

  /**
   * The fires of the rule (every rule, for a null id) among the sequences [first, last] that have a
   * fraud or legitimate label or a confirmed_fraud or legitimate case verdict, one per (rule,
   * decision): fraud when any label or verdict says so. Inconclusive verdicts and other labels are
   * left out.
   */
  public Map<List<String>, Outcome> outcomes(String ruleId, long sequenceFirst, long sequenceLast) {
    String rule = ruleId == null ? "" : " AND r.rule_id = ?";
    String labels = "SELECT r.rule_id, d.decision_id, d.action, l.verdict FROM decision_rules r"
        + " JOIN decisions d ON d.sequence = r.sequence JOIN feedback_labels l ON l.decision_id = d.decision_id"
        + " WHERE r.sequence >= ? AND r.sequence <= ?" + rule + " AND l.verdict IN ('fraud', 'legitimate')";
    String verdicts = "SELECT r.rule_id, d.decision_id, d.action, cs.verdict FROM decision_rules r"
        + " JOIN decisions d ON d.sequence = r.sequence JOIN case_decisions cd ON cd.decision_id = d.decision_id"
        + " JOIN cases cs ON cs.case_id = cd.case_id"
        + " WHERE r.sequence >= ? AND r.sequence <= ?" + rule + " AND cs.verdict IN ('confirmed_fraud', 'legitimate')";
    Map<List<String>, Outcome> out = new HashMap<>();
    for (String sql : List.of(labels, verdicts)) {
      for (Outcome o : Sql.list(dataSource, sql, ps -> {
        ps.setLong(1, sequenceFirst);
        ps.setLong(2, sequenceLast);
        if (ruleId != null) ps.setString(3, ruleId);
      }, rs -> new Outcome(rs.getString(1), rs.getString(2), !"ALLOW".equals(rs.getString(3)),
          "fraud".equals(rs.getString(4)) || "confirmed_fraud".equals(rs.getString(4))), "reading rule outcomes failed")) {
        out.merge(List.of(o.ruleId(), o.decisionId()), o,
            (a, b) -> new Outcome(a.ruleId(), a.decisionId(), a.intercepted(), a.fraud() || b.fraud()));
      }
    }
    return out;
  }
}
