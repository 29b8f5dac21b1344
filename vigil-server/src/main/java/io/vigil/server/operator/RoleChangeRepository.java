package io.vigil.server.operator;

import io.vigil.server.storage.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Role change requests, one row each. */
public final class RoleChangeRepository {
  public static final int PAGE_MAX = 500;
  private static final String COLUMNS = "id, username, roles, reason, proposed_by, proposed_at_millis, status, decided_by,"
      + " decided_at_millis, sole_administrator";
  private final DataSource dataSource;

  public RoleChangeRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public void insert(RoleChange c) {
    Sql.update(dataSource, "INSERT INTO role_changes (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?)", ps -> {
      ps.setString(1, c.id());
      ps.setString(2, c.username());
      ps.setString(3, OperatorRepository.rolesText(c.roles()));
      ps.setString(4, c.reason());
      ps.setString(5, c.proposedBy());
      ps.setLong(6, c.proposedAtMillis());
      ps.setString(7, c.status());
      ps.setString(8, c.decidedBy());
      ps.setLong(9, c.decidedAtMillis());
      ps.setBoolean(10, c.soleAdministrator());
    }, "storing a role change failed");
  }

  /** Records the decision of a pending change; false when it was no longer pending. */
  public boolean decide(RoleChange c) {
    String sql = "UPDATE role_changes SET status = ?, decided_by = ?, decided_at_millis = ?, sole_administrator = ?"
        + " WHERE id = ? AND status = ?";
    return Sql.update(dataSource, sql, ps -> {
      ps.setString(1, c.status());
      ps.setString(2, c.decidedBy());
      ps.setLong(3, c.decidedAtMillis());
      ps.setBoolean(4, c.soleAdministrator());
      ps.setString(5, c.id());
      ps.setString(6, RoleChange.PENDING);
    }, "deciding a role change failed") == 1;
  }

  public Optional<RoleChange> find(String id) {
    return Sql.one(dataSource, "SELECT " + COLUMNS + " FROM role_changes WHERE id = ?", ps -> ps.setString(1, id),
        RoleChangeRepository::change, "reading a role change failed");
  }

  /** The newest changes with this status (every status when null), at most limit. */
  public List<RoleChange> list(String status, int limit) {
    String sql = "SELECT " + COLUMNS + " FROM role_changes" + (status == null ? "" : " WHERE status = ?")
        + " ORDER BY proposed_at_millis DESC, id LIMIT ?";
    return Sql.list(dataSource, sql, ps -> {
      int i = 1;
      if (status != null) ps.setString(i++, status);
      ps.setInt(i, Math.min(limit, PAGE_MAX));
    }, RoleChangeRepository::change, "listing role changes failed");
  }

  private static RoleChange change(ResultSet rs) throws SQLException {
    return new RoleChange(rs.getString(1), rs.getString(2), OperatorRepository.roles(rs.getString(3)), rs.getString(4),
        rs.getString(5), rs.getLong(6), rs.getString(7), rs.getString(8), rs.getLong(9), rs.getBoolean(10));
  }
}
