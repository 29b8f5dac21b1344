package io.vigil.server.storage;

import io.vigil.server.api.TimeCursor;
import io.vigil.server.journal.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The JDBC shapes the small repositories share: one statement on its own connection (auto-commit),
 * with a {@link StorageException} carrying the caller's message when the database fails.
 */
public final class Sql {
  private Sql() {}

  /** {@code ?,?,?} for an IN list of n values (n ≥ 1). */
  public static String placeholders(int n) {
    if (n < 1) throw new IllegalArgumentException("an IN list needs at least one value");
    return "?" + ",?".repeat(n - 1);
  }

  /** The order of a page of rows by a time column, then by an id column (always ascending). */
  public enum TimeOrder { OLDEST_FIRST, NEWEST_FIRST }

  /**
   * {@code time <= ? AND (time < ? OR id > ?)} (or {@code >=}, {@code >} when oldest first): the rows
   * that come after a {@link TimeCursor} in that order. The first comparison alone bounds an index
   * range; the second skips the rows of the cursor's own millisecond up to its id. Its values are
   * bound with {@link #bindStartingAfter}.
   */
  public static String startingAfter(String timeColumn, String idColumn, TimeOrder order) {
    String sameOrLater = order == TimeOrder.NEWEST_FIRST ? " <= ?" : " >= ?";
    String later = order == TimeOrder.NEWEST_FIRST ? " < ?" : " > ?";
    return timeColumn + sameOrLater + " AND (" + timeColumn + later + " OR " + idColumn + " > ?)";
  }

  /**
   * {@code ORDER BY time DESC, id} (or {@code ORDER BY time, id} when oldest first): the order that
   * {@link #startingAfter} pages through, with a leading space.
   */
  public static String orderBy(String timeColumn, String idColumn, TimeOrder order) {
    return " ORDER BY " + timeColumn + (order == TimeOrder.NEWEST_FIRST ? " DESC, " : ", ") + idColumn;
  }

  /** Binds the cursor to the parameters of {@link #startingAfter} from index on; the index after them. */
  public static int bindStartingAfter(PreparedStatement ps, int index, TimeCursor cursor) throws SQLException {
    ps.setLong(index, cursor.atMillis());
    ps.setLong(index + 1, cursor.atMillis());
    ps.setString(index + 2, cursor.id());
    return index + 3;
  }

  /** Sets a statement's parameters. */
  public interface Binder {
    Binder NONE = ps -> {};

    void bind(PreparedStatement ps) throws SQLException;
  }

  /** Binds the values, in order, as the statement's string parameters from the first on. */
  public static Binder strings(Collection<String> values) {
    return ps -> {
      int i = 1;
      for (String v : values) ps.setString(i++, v);
    };
  }

  /** Reads one row. */
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Every row the query answers, mapped. */
  public static <T> List<T> list(DataSource dataSource, String sql, Binder binder, RowMapper<T> mapper, String failure) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      List<T> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(mapper.map(rs));
      }
      return out;
    } catch (SQLException e) {
      throw new StorageException(failure, e);
    }
  }

  /** The first row the query answers, mapped; empty when none. */
  public static <T> Optional<T> one(DataSource dataSource, String sql, Binder binder, RowMapper<T> mapper, String failure) {
    List<T> rows = list(dataSource, sql, binder, mapper, failure);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** The single number a query such as {@code SELECT COUNT(*) …} answers. */
  public static long number(DataSource dataSource, String sql, Binder binder, String failure) {
    return one(dataSource, sql, binder, rs -> rs.getLong(1), failure).orElseThrow();
  }

  /**
   * The rows of a table keyed by a numeric {@code version}, newest first, below beforeVersion when
   * it is not null; at most rows.
   */
  public static <T> List<T> versionsBefore(DataSource dataSource, String columns, String table, Long beforeVersion,
      int rows, RowMapper<T> mapper, String failure) {
    String sql = "SELECT " + columns + " FROM " + table + (beforeVersion == null ? "" : " WHERE version < ?")
        + " ORDER BY version DESC LIMIT ?";
    return list(dataSource, sql, ps -> {
      int i = 1;
      if (beforeVersion != null) ps.setLong(i++, beforeVersion);
      ps.setInt(i, rows);
    }, mapper, failure);
  }

  /** Runs an INSERT, UPDATE or DELETE; the number of rows it changed. */
  public static int update(DataSource dataSource, String sql, Binder binder, String failure) {
    return update(dataSource, sql, binder, failure, null);
  }

  /**
   * As {@link #update(DataSource, String, Binder, String)}, throwing what {@code onViolation} gives
   * when an integrity constraint refuses the row ({@link #isConstraintViolation}).
   */
  public static int update(DataSource dataSource, String sql, Binder binder, String failure,
      Supplier<? extends RuntimeException> onViolation) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      return ps.executeUpdate();
    } catch (SQLException e) {
      if (onViolation != null && isConstraintViolation(e)) throw onViolation.get();
      throw new StorageException(failure, e);
    }
  }

  /** Work done on one connection inside a transaction. */
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws, so
   * nothing half-written survives. A runtime exception (an {@code ApiException}, say) passes through
   * unchanged; a database failure becomes a {@link StorageException} with {@code failure}.
   */
  public static <T> T transaction(DataSource dataSource, Work<T> work, String failure) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new StorageException(failure, e);
    }
  }

  /**
   * Whether the database refused a row for an integrity constraint: SQLState class 23 on H2 and
   * PostgreSQL, on the exception or on one chained after it (a batch reports each row's failure so).
   */
  public static boolean isConstraintViolation(SQLException e) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      if (s.getSQLState() != null && s.getSQLState().startsWith("23")) return true;
    }
    return false;
  }
}
