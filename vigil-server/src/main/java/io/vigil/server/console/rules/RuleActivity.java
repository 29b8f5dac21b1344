package io.vigil.server.console.rules;

import io.vigil.server.journal.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * How the rules of one page of the rule list did recently, with bounded, indexed queries only:
 * <ul>
 *   <li>The window starts at the first decision that occurred in the last {@link #WINDOW_DAYS} days
 *       (one probe of the {@code decisions_time} index); its sequence bounds the rest.</li>
 *   <li>Fires: the rule's entries in the journal's rule index ({@code decision_rules}, keyed by rule
 *       id then sequence) from that sequence on, counted up to {@link #FIRES_COUNTED_MAX}; beyond it the
 *       list says "10,000+".</li>
 *   <li>Precision: the {@link #LABELS_READ_MAX} fraud or legitimate labels learned most recently
 *       ({@code feedback_labels_known}), joined to their decisions and to the page's rules in the rule
 *       index: of the window's fires with a label, the share labelled fraud.</li>
 * </ul>
 */
@Component
public final class RuleActivity {
  public static final int WINDOW_DAYS = 7;
  /** Fires counted per rule; a page of {@link RulesController#RULES_PER_PAGE} rules reads at most their product. */
  public static final int FIRES_COUNTED_MAX = 10_000;
  /** Labels read for the precisions of one page. */
  public static final int LABELS_READ_MAX = 2_000;
  private static final long DAY_MILLIS = 86_400_000L;

  private final DataSource dataSource;
  private final Clock clock;

  public RuleActivity(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
  }

  /** One rule's window: fires (capped), fires with a label, of them labelled fraud. */
  public record Stats(int fires, boolean firesCapped, int labelled, int fraud) {
    /** Fraud over labelled fires, or null when none is labelled. */
    public Double precision() {
      return labelled == 0 ? null : fraud / (double) labelled;
    }
  }

  /** The stats of these rule ids (one page of the list). */
  public Map<String, Stats> of(List<String> ruleIds) {
    assert ruleIds.size() <= RulesController.RULES_PER_PAGE;
    Map<String, Stats> out = new HashMap<>();
    if (ruleIds.isEmpty()) return out;
    long sinceMillis = clock.millis() - WINDOW_DAYS * DAY_MILLIS;
    try (Connection c = dataSource.getConnection()) {
      Long first = firstSequence(c, sinceMillis);
      if (first == null) {
        for (String id : ruleIds) out.put(id, new Stats(0, false, 0, 0));
        return out;
      }
      Map<String, int[]> labels = labels(c, ruleIds, first, sinceMillis);
      for (String id : ruleIds) {
        int fires = fires(c, id, first);
        int[] l = labels.getOrDefault(id, new int[2]);
        out.put(id, new Stats(Math.min(fires, FIRES_COUNTED_MAX), fires > FIRES_COUNTED_MAX, l[0], l[1]));
      }
      return out;
    } catch (SQLException e) {
      throw new StorageException("reading rule activity failed", e);
    }
  }

  private static Long firstSequence(Connection c, long sinceMillis) throws SQLException {
    String sql = "SELECT sequence FROM decisions WHERE occurred_at_millis >= ? ORDER BY occurred_at_millis LIMIT 1";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, sinceMillis);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  private static int fires(Connection c, String ruleId, long fromSequence) throws SQLException {
    String sql = "SELECT COUNT(*) FROM (SELECT sequence FROM decision_rules WHERE rule_id = ? AND sequence >= ? LIMIT ?) t";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, ruleId);
      ps.setLong(2, fromSequence);
      ps.setInt(3, FIRES_COUNTED_MAX + 1);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** Per rule id: {fires with a label, of them labelled fraud}, each decision once (fraud if any label says so). */
  private static Map<String, int[]> labels(Connection c, List<String> ruleIds, long fromSequence, long sinceMillis)
      throws SQLException {
    String sql = "SELECT r.rule_id, f.decision_id, f.verdict FROM (SELECT decision_id, verdict FROM feedback_labels"
        + " WHERE known_at_millis >= ? AND verdict IN ('fraud', 'legitimate') ORDER BY known_at_millis DESC LIMIT ?) f"
        + " JOIN decisions d ON d.decision_id = f.decision_id"
        + " JOIN decision_rules r ON r.sequence = d.sequence AND r.rule_id IN ("
        + String.join(",", Collections.nCopies(ruleIds.size(), "?")) + ")"
        + " WHERE d.sequence >= ?";
    Map<String, Map<String, Boolean>> byRule = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setLong(i++, sinceMillis);
      ps.setInt(i++, LABELS_READ_MAX);
      for (String id : ruleIds) ps.setString(i++, id);
      ps.setLong(i, fromSequence);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          byRule.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
              .merge(rs.getString(2), "fraud".equals(rs.getString(3)), Boolean::logicalOr);
        }
      }
    }
    Map<String, int[]> out = new HashMap<>();
    byRule.forEach((rule, decisions) -> {
      Set<String> fraud = new HashSet<>();
      decisions.forEach((id, isFraud) -> { if (isFraud) fraud.add(id); });
      out.put(rule, new int[] {decisions.size(), fraud.size()});
    });
    return out;
  }
}
