package io.vigil.server.challenge;

import io.vigil.server.storage.Sql;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** Challenge results, one per decision (the primary key refuses a second). */
public final class ChallengeRepository {
  private final DataSource dataSource;

  public ChallengeRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public record Result(String decisionId, String accountId, String result, String method, long recordedAtMillis,
      String recordedBy) {}

  /** Thrown when the decision already has a result. */
  public static final class AlreadyRecorded extends RuntimeException {
    AlreadyRecorded() {
      super(null, null, false, false);
    }
  }

  public void insert(Result r) {
    String sql = "INSERT INTO challenge_results (decision_id, account_id, result, method, recorded_at_millis, recorded_by)"
        + " VALUES (?,?,?,?,?,?)";
    Sql.update(dataSource, sql, ps -> {
      ps.setString(1, r.decisionId());
      ps.setString(2, r.accountId());
      ps.setString(3, r.result());
      ps.setString(4, r.method());
      ps.setLong(5, r.recordedAtMillis());
      ps.setString(6, r.recordedBy());
    }, "storing a challenge result failed", AlreadyRecorded::new);
  }

  public Optional<Result> find(String decisionId) {
    String sql = "SELECT decision_id, account_id, result, method, recorded_at_millis, recorded_by FROM challenge_results"
        + " WHERE decision_id = ?";
    return Sql.one(dataSource, sql, ps -> ps.setString(1, decisionId),
        rs -> new Result(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getString(6)),
        "reading a challenge result failed");
  }

  /** The results of these decisions (a few hundred ids at most), by decision id; decisions without one are absent. */
  public Map<String, Result> findAll(Collection<String> decisionIds) {
    Map<String, Result> out = new HashMap<>();
    if (decisionIds.isEmpty()) return out;
    String sql = "SELECT decision_id, account_id, result, method, recorded_at_millis, recorded_by FROM challenge_results"
        + " WHERE decision_id IN (" + Sql.placeholders(decisionIds.size()) + ")";
    for (Result r : Sql.list(dataSource, sql, Sql.strings(decisionIds),
        rs -> new Result(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getString(6)),
        "reading challenge results failed")) {
      out.put(r.decisionId(), r);
    }
    return out;
  }

  /** Failed challenges of an account recorded after sinceMillis. */
  public int failuresSince(String accountId, long sinceMillis) {
    String sql = "SELECT COUNT(*) FROM challenge_results WHERE account_id = ? AND result = 'failed' AND recorded_at_millis > ?";
    return (int) Sql.number(dataSource, sql, ps -> {
      ps.setString(1, accountId);
      ps.setLong(2, sinceMillis);
    }, "counting failed challenges failed");
  }

  /** A failed challenge: whose, and when it was recorded. */
  public record Failure(String accountId, long recordedAtMillis) {}

  /** Every failed challenge recorded after sinceMillis (what a rebuilt engine's features count). */
  public java.util.List<Failure> failuresSince(long sinceMillis) {
    String sql = "SELECT account_id, recorded_at_millis FROM challenge_results WHERE result = 'failed' AND account_id IS NOT NULL"
        + " AND recorded_at_millis > ? ORDER BY recorded_at_millis";
    return io.vigil.server.storage.Sql.list(dataSource, sql, ps -> ps.setLong(1, sinceMillis),
        rs -> new Failure(rs.getString(1), rs.getLong(2)), "reading failed challenges failed");
  }
}
