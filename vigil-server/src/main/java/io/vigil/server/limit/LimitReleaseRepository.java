package io.vigil.server.limit;

import io.vigil.server.api.ApiException;
import io.vigil.server.storage.Sql;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Limit releases, one per decision. */
public final class LimitReleaseRepository {
  private static final String COLUMNS = "decision_id, event_id, account_id, outcome, released_minor, currency, reason,"
      + " released_at_millis, released_by";
  private final DataSource dataSource;

  public LimitReleaseRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public record Release(String decisionId, String eventId, String accountId, String outcome, long releasedMinor,
      String currency, String reason, long releasedAtMillis, String releasedBy) {}

  /** Stores a release; a second one for the same decision is 409 outcome_exists. */
  public void insert(Release r) {
    Sql.update(dataSource, "INSERT INTO limit_releases (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?)", ps -> {
      ps.setString(1, r.decisionId());
      ps.setString(2, r.eventId());
      ps.setString(3, r.accountId());
      ps.setString(4, r.outcome());
      ps.setLong(5, r.releasedMinor());
      ps.setString(6, r.currency());
      ps.setString(7, r.reason());
      ps.setLong(8, r.releasedAtMillis());
      ps.setString(9, r.releasedBy());
    }, "storing a limit release failed", () -> ApiException.conflict("invalid_request_error", "outcome_exists",
        "This decision already has a reported outcome", "decision_id"));
  }

  public Optional<Release> find(String decisionId) {
    return Sql.one(dataSource, "SELECT " + COLUMNS + " FROM limit_releases WHERE decision_id = ?",
        ps -> ps.setString(1, decisionId), LimitReleaseRepository::read, "reading a limit release failed");
  }

  /** Releases made after sinceMillis, oldest first: what a rebuilt ledger applies. */
  public List<Release> since(long sinceMillis) {
    return Sql.list(dataSource, "SELECT " + COLUMNS + " FROM limit_releases WHERE released_at_millis > ? ORDER BY released_at_millis",
        ps -> ps.setLong(1, sinceMillis), LimitReleaseRepository::read, "reading limit releases failed");
  }

  private static Release read(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Release(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getString(6),
        rs.getString(7), rs.getLong(8), rs.getString(9));
  }
}
