package io.vigil.server.storage;

import io.vigil.server.journal.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Small JDBC helpers the repositories share. */
public final class Sql {
  private Sql() {}

  /** Sets a statement's parameters. */
  public interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  /** The single number a {@code SELECT COUNT(*) …} answers; {@code what} names it in a storage error. */
  public static long count(DataSource dataSource, String sql, Binder binder, String what) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new StorageException("counting " + what + " failed", e);
    }
  }

  /** An integrity-constraint violation (SQLState class 23), e.g. a duplicate primary key, on H2 and PostgreSQL. */
  public static boolean isConstraintViolation(SQLException e) {
    return e.getSQLState() != null && e.getSQLState().startsWith("23");
  }
}
