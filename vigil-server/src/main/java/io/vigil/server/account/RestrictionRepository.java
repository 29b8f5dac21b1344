package io.vigil.server.account;

import io.vigil.engine.restriction.Restriction;
import io.vigil.engine.restriction.RestrictionKind;
import io.vigil.server.api.TimeCursor;
import io.vigil.server.storage.Sql;
import io.vigil.server.storage.Sql.TimeOrder;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/** Account restrictions and their history; a lifted restriction keeps its row. */
public final class RestrictionRepository {
  private static final String COLUMNS = "restriction_id, account_id, kind, source, reason, created_by, created_at_millis,"
      + " expires_at_millis, lifted_at_millis, lifted_by, lift_reason, verification_method, daily_limit_minor, currency";
  private static final String INSERT = "INSERT INTO account_restrictions (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
  private final DataSource dataSource;

  public RestrictionRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A restriction with how it was lifted, if it was. */
  public record Row(Restriction restriction, String liftedBy, String liftReason, String verificationMethod) {}

  public void insert(Restriction r) {
    Sql.update(dataSource, INSERT, ps -> bind(ps, r), "storing a restriction failed");
  }

  /** Inserts restrictions set by rules inside the caller's transaction: the decision batch's. */
  public static void insertAll(java.sql.Connection c, List<Restriction> restrictions) throws SQLException {
    if (restrictions.isEmpty()) return;
    try (java.sql.PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (Restriction r : restrictions) {
        bind(ps, r);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void bind(java.sql.PreparedStatement ps, Restriction r) throws SQLException {
    ps.setString(1, r.id());
    ps.setString(2, r.accountId());
    ps.setString(3, r.kind().wireName());
    ps.setString(4, r.source());
    ps.setString(5, r.reason());
    ps.setString(6, r.createdBy());
    ps.setLong(7, r.createdAtMillis());
    ps.setLong(8, r.expiresAtMillis());
    ps.setLong(9, 0);
    ps.setString(10, null);
    ps.setString(11, null);
    ps.setString(12, null);
    ps.setLong(13, r.dailyLimitMinor());
    ps.setString(14, r.currency());
  }

  /** Marks a restriction lifted; false when it was already lifted (or does not exist). */
  public boolean lift(String restrictionId, long atMillis, String by, String reason, String verificationMethod) {
    String sql = "UPDATE account_restrictions SET lifted_at_millis = ?, lifted_by = ?, lift_reason = ?, verification_method = ?"
        + " WHERE restriction_id = ? AND lifted_at_millis = 0";
    return Sql.update(dataSource, sql, ps -> {
      ps.setLong(1, atMillis);
      ps.setString(2, by);
      ps.setString(3, reason);
      ps.setString(4, verificationMethod);
      ps.setString(5, restrictionId);
    }, "lifting a restriction failed") == 1;
  }

  /** Restrictions not lifted and not expired at nowMillis: what the engine must honour. */
  public List<Restriction> inForce(long nowMillis) {
    String sql = "SELECT " + COLUMNS + " FROM account_restrictions WHERE lifted_at_millis = 0"
        + " AND (expires_at_millis = 0 OR expires_at_millis > ?)";
    return Sql.list(dataSource, sql, ps -> ps.setLong(1, nowMillis), rs -> read(rs).restriction(), "reading restrictions failed");
  }

  /** One account's restrictions, newest first (then by id), after the cursor when given; at most rows. */
  public List<Row> ofAccount(String accountId, TimeCursor after, int rows) {
    String sql = "SELECT " + COLUMNS + " FROM account_restrictions WHERE account_id = ?"
        + (after == null ? "" : " AND " + Sql.startingAfter("created_at_millis", "restriction_id", TimeOrder.NEWEST_FIRST))
        + Sql.orderBy("created_at_millis", "restriction_id", TimeOrder.NEWEST_FIRST) + " LIMIT ?";
    return Sql.list(dataSource, sql, ps -> {
      int i = 1;
      ps.setString(i++, accountId);
      if (after != null) i = Sql.bindStartingAfter(ps, i, after);
      ps.setInt(i, rows);
    }, RestrictionRepository::read, "reading restrictions failed");
  }

  private static Row read(ResultSet rs) throws SQLException {
    Restriction r = new Restriction(rs.getString(1), rs.getString(2), RestrictionKind.fromWire(rs.getString(3)),
        rs.getString(4), rs.getString(5), rs.getString(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(13),
        rs.getString(14));
    return new Row(r, rs.getString(10), rs.getString(11), rs.getString(12));
  }
}
