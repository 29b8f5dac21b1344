package io.vigil.server.challenge;

import io.vigil.server.journal.StorageException;
import io.vigil.server.storage.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, r.decisionId());
      ps.setString(2, r.accountId());
      ps.setString(3, r.result());
      ps.setString(4, r.method());
      ps.setLong(5, r.recordedAtMillis());
      ps.setString(6, r.recordedBy());
      ps.executeUpdate();
    } catch (SQLException e) {
      if (Sql.isConstraintViolation(e)) throw new AlreadyRecorded();
      throw new StorageException("storing a challenge result failed", e);
    }
  }

  public Optional<Result> find(String decisionId) {
    String sql = "SELECT decision_id, account_id, result, method, recorded_at_millis, recorded_by FROM challenge_results"
        + " WHERE decision_id = ?";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, decisionId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return Optional.empty();
        return Optional.of(new Result(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
            rs.getString(6)));
      }
    } catch (SQLException e) {
      throw new StorageException("reading a challenge result failed", e);
    }
  }

  /** Failed challenges of an account recorded after sinceMillis. */
  public int failuresSince(String accountId, long sinceMillis) {
    String sql = "SELECT COUNT(*) FROM challenge_results WHERE account_id = ? AND result = 'failed' AND recorded_at_millis > ?";
    return (int) Sql.count(dataSource, sql, ps -> {
      ps.setString(1, accountId);
      ps.setLong(2, sinceMillis);
    }, "failed challenges");
  }
}
