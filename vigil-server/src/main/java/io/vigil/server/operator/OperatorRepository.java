package io.vigil.server.operator;

import io.vigil.server.security.Role;
import io.vigil.server.storage.Sql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/** Operator accounts, one row each. */
public final class OperatorRepository {
  /** Most operator accounts a store holds: listing them is one page. */
  public static final int OPERATORS_MAX = 10_000;
  private static final String COLUMNS = "username, display_name, roles, status, password_hash, must_change_password,"
      + " totp_seed_sealed, mfa_enabled, totp_last_step, failed_logins, first_failure_at_millis, lockouts,"
      + " locked_until_millis, created_at_millis, updated_at_millis";

  private final DataSource dataSource;

  public OperatorRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Thrown when an account with this username exists. */
  public static final class DuplicateUsername extends RuntimeException {
    DuplicateUsername() {
      super(null, null, false, false);
    }
  }

  public Optional<Operator> find(String username) {
    return Sql.one(dataSource, "SELECT " + COLUMNS + " FROM operators WHERE username = ?", ps -> ps.setString(1, username),
        OperatorRepository::operator, "reading an operator failed");
  }

  /** Every account, by username. */
  public List<Operator> all() {
    return Sql.list(dataSource, "SELECT " + COLUMNS + " FROM operators ORDER BY username LIMIT " + OPERATORS_MAX, Sql.Binder.NONE,
        OperatorRepository::operator, "listing operators failed");
  }

  public long count() {
    return Sql.number(dataSource, "SELECT COUNT(*) FROM operators", Sql.Binder.NONE, "counting operators failed");
  }

  public void insert(Operator o) {
    if (count() >= OPERATORS_MAX) throw new IllegalStateException("the store holds " + OPERATORS_MAX + " operators already");
    Sql.update(dataSource, "INSERT INTO operators (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        ps -> bind(ps, o), "storing an operator failed", DuplicateUsername::new);
  }

  /** Replaces the stored account with this one (same username). */
  public void update(Operator o) {
    String sql = "UPDATE operators SET username = ?, display_name = ?, roles = ?, status = ?, password_hash = ?,"
        + " must_change_password = ?, totp_seed_sealed = ?, mfa_enabled = ?, totp_last_step = ?, failed_logins = ?,"
        + " first_failure_at_millis = ?, lockouts = ?, locked_until_millis = ?, created_at_millis = ?, updated_at_millis = ?"
        + " WHERE username = ?";
    int rows = Sql.update(dataSource, sql, ps -> {
      bind(ps, o);
      ps.setString(16, o.username());
    }, "updating an operator failed");
    if (rows != 1) throw new IllegalStateException("no operator " + o.username() + " to update");
  }

  static String rolesText(Set<Role> roles) {
    return roles.stream().map(Role::code).sorted().collect(Collectors.joining(","));
  }

  static Set<Role> roles(String text) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    if (text == null || text.isEmpty()) return roles;
    for (String code : text.split(",")) {
      Role r = Role.ofCode(code);
      if (r == null) throw new IllegalStateException("unknown role in the store: " + code);
      roles.add(r);
    }
    return roles;
  }

  private static void bind(PreparedStatement ps, Operator o) throws SQLException {
    ps.setString(1, o.username());
    ps.setString(2, o.displayName());
    ps.setString(3, rolesText(o.roles()));
    ps.setString(4, o.status().name());
    ps.setString(5, o.passwordHash());
    ps.setBoolean(6, o.mustChangePassword());
    ps.setString(7, o.totpSeedSealed());
    ps.setBoolean(8, o.mfaEnabled());
    ps.setLong(9, o.totpLastStep());
    ps.setInt(10, o.failedLogins());
    ps.setLong(11, o.firstFailureAtMillis());
    ps.setInt(12, o.lockouts());
    ps.setLong(13, o.lockedUntilMillis());
    ps.setLong(14, o.createdAtMillis());
    ps.setLong(15, o.updatedAtMillis());
  }

  private static Operator operator(ResultSet rs) throws SQLException {
    return new Operator(rs.getString(1), rs.getString(2), roles(rs.getString(3)), Operator.Status.valueOf(rs.getString(4)),
        rs.getString(5), rs.getBoolean(6), rs.getString(7), rs.getBoolean(8), rs.getLong(9), rs.getInt(10), rs.getLong(11),
        rs.getInt(12), rs.getLong(13), rs.getLong(14), rs.getLong(15));
  }
}
