package io.vigil.server.cases.verdict;

import io.vigil.server.storage.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** Customers' appeals ({@code case_appeals}); the key (appeal_id) makes receiving one idempotent. */
public final class AppealRepository {
  private final DataSource dataSource;

  public AppealRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** status: {@code case_opened}, {@code joined} or {@code reopen_requested}: what receiving it did. */
  public record Appeal(String appealId, String decisionId, String reason, String channel, String caseId, String status,
      String reopenRequestId, long receivedAtMillis, String receivedBy) {}

  private static final String COLUMNS = "appeal_id, decision_id, reason, channel, case_id, status, reopen_request_id,"
      + " received_at_millis, received_by";

  /** Stores the appeal in the caller's transaction (with its timeline entry). */
  public void insert(Connection c, Appeal a) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO case_appeals (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?)")) {
      ps.setString(1, a.appealId());
      ps.setString(2, a.decisionId());
      ps.setString(3, a.reason());
      ps.setString(4, a.channel());
      ps.setString(5, a.caseId());
      ps.setString(6, a.status());
      ps.setString(7, a.reopenRequestId());
      ps.setLong(8, a.receivedAtMillis());
      ps.setString(9, a.receivedBy());
      ps.executeUpdate();
    }
  }

  public Optional<Appeal> find(String appealId) {
    return Sql.one(dataSource, "SELECT " + COLUMNS + " FROM case_appeals WHERE appeal_id = ?", ps -> ps.setString(1, appealId),
        AppealRepository::appeal, "reading an appeal failed");
  }

  private static Appeal appeal(ResultSet rs) throws SQLException {
    return new Appeal(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
        rs.getString(7), rs.getLong(8), rs.getString(9));
  }
}
