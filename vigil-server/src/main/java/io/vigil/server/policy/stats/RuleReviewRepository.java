package io.vigil.server.policy.stats;

import io.vigil.server.storage.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** The rule_reviews table: append-only reviews of rules. */
public final class RuleReviewRepository {
  private static final String COLUMNS = "review_id, rule_id, outcome, note, reviewed_by, reviewed_at_millis, policy_version";
  private final DataSource dataSource;

  public RuleReviewRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** One review. */
  public record Review(String reviewId, String ruleId, String outcome, String note, String reviewedBy, long reviewedAtMillis,
      long policyVersion) {}

  public void insert(Review r) {
    Sql.update(dataSource, "INSERT INTO rule_reviews (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?)", ps -> {
      ps.setString(1, r.reviewId());
      ps.setString(2, r.ruleId());
      ps.setString(3, r.outcome());
      ps.setString(4, r.note());
      ps.setString(5, r.reviewedBy());
      ps.setLong(6, r.reviewedAtMillis());
      ps.setLong(7, r.policyVersion());
    }, "storing a rule review failed");
  }

  /** The rule's reviews, newest first, at most {@code limit}. */
  public List<Review> history(String ruleId, int limit) {
    String sql = "SELECT " + COLUMNS + " FROM rule_reviews WHERE rule_id = ? ORDER BY reviewed_at_millis DESC, review_id DESC LIMIT ?";
    return Sql.list(dataSource, sql, ps -> {
      ps.setString(1, ruleId);
      ps.setInt(2, limit);
    }, RuleReviewRepository::read, "reading rule reviews failed");
  }

  /** The newest review of each of these rules that has one (at most 1,000 ids). */
  public Map<String, Review> latest(Collection<String> ruleIds) {
    if (ruleIds.isEmpty()) return Map.of();
    if (ruleIds.size() > 1_000) throw new IllegalArgumentException("at most 1,000 rule ids a call");
    String sql = "SELECT " + COLUMNS + " FROM rule_reviews r WHERE rule_id IN (" + Sql.placeholders(ruleIds.size()) + ")"
        + " AND reviewed_at_millis = (SELECT MAX(reviewed_at_millis) FROM rule_reviews x WHERE x.rule_id = r.rule_id)";
    Map<String, Review> out = new HashMap<>();
    for (Review r : Sql.list(dataSource, sql, Sql.strings(ruleIds), RuleReviewRepository::read, "reading rule reviews failed")) {
      out.merge(r.ruleId(), r, (a, b) -> a.reviewId().compareTo(b.reviewId()) >= 0 ? a : b);
    }
    return out;
  }

  private static Review read(ResultSet rs) throws SQLException {
    return new Review(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6), rs.getLong(7));
  }
}
