package io.vigil.server.privacy;

import io.vigil.server.journal.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The personal_data_keys and personal_data_erasures tables, in plain JDBC (H2 and PostgreSQL). */
public final class DataKeyRepository {
  /** A key row unless one of its id is stored already (an erased row must not come back). */
  private static final String INSERT_IF_ABSENT = "INSERT INTO personal_data_keys"
      + " (key_id, subject, wrapped_key, master_key_id, created_at_millis, erased_at_millis)"
      + " SELECT ?, ?, ?, ?, ?, 0 WHERE NOT EXISTS (SELECT 1 FROM personal_data_keys WHERE key_id = ?)";
  private final DataSource dataSource;

  DataKeyRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** One stored data key; {@code wrappedKey} is null once erased. */
  public record Row(String keyId, String subject, String wrappedKey, long masterKeyId, long createdAtMillis, long erasedAtMillis) {}

  /** Stores a key in a transaction of its own, unless it is stored already. */
  void insertIfAbsent(Row r) {
    try (Connection c = dataSource.getConnection()) {
      insertIfAbsent(c, List.of(r));
    } catch (SQLException e) {
      throw new StorageException("storing a data key failed", e);
    }
  }

  /** Stores keys in the caller's transaction, skipping those already stored. */
  static void insertIfAbsent(Connection c, List<Row> rows) throws SQLException {
    if (rows.isEmpty()) return;
    try (PreparedStatement ps = c.prepareStatement(INSERT_IF_ABSENT)) {
      for (Row r : rows) {
        ps.setString(1, r.keyId());
        ps.setString(2, r.subject());
        ps.setString(3, r.wrappedKey());
        ps.setLong(4, r.masterKeyId());
        ps.setLong(5, r.createdAtMillis());
        ps.setString(6, r.keyId());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** The newest key of the subject that is not erased. */
  Optional<Row> active(String subject) {
    return one("SELECT * FROM personal_data_keys WHERE subject = ? AND wrapped_key IS NOT NULL"
        + " ORDER BY created_at_millis DESC, key_id LIMIT 1", subject);
  }

  Optional<Row> find(String keyId) {
    return one("SELECT * FROM personal_data_keys WHERE key_id = ?", keyId);
  }

  /**
   * Destroys every key of the subject and records the erasure, in one transaction. Returns the
   * number of keys destroyed (0 when the subject had none left).
   */
  int erase(String erasureId, String subject, String reason, String actor, long atMillis) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        int destroyed;
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE personal_data_keys SET wrapped_key = NULL, erased_at_millis = ? WHERE subject = ? AND wrapped_key IS NOT NULL")) {
          ps.setLong(1, atMillis);
          ps.setString(2, subject);
          destroyed = ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO personal_data_erasures"
            + " (erasure_id, subject, reason, erased_by, erased_at_millis, keys_destroyed) VALUES (?,?,?,?,?,?)")) {
          ps.setString(1, erasureId);
          ps.setString(2, subject);
          ps.setString(3, reason);
          ps.setString(4, actor);
          ps.setLong(5, atMillis);
          ps.setInt(6, destroyed);
          ps.executeUpdate();
        }
        c.commit();
        return destroyed;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StorageException("erasing personal data failed", e);
    }
  }

  /** Up to {@code rows} live keys wrapped under another master key than {@code masterKeyId}. */
  List<Row> wrappedUnderOther(long masterKeyId, int rows) {
    String sql = "SELECT * FROM personal_data_keys WHERE wrapped_key IS NOT NULL AND master_key_id <> ? ORDER BY key_id LIMIT ?";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, masterKeyId);
      ps.setInt(2, rows);
      List<Row> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(read(rs));
      }
      return out;
    } catch (SQLException e) {
      throw new StorageException("reading data keys failed", e);
    }
  }

  /** Replaces a live key's wrapping; false when it was erased meanwhile. */
  boolean rewrap(String keyId, String wrappedKey, long masterKeyId) {
    String sql = "UPDATE personal_data_keys SET wrapped_key = ?, master_key_id = ? WHERE key_id = ? AND wrapped_key IS NOT NULL";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, wrappedKey);
      ps.setLong(2, masterKeyId);
      ps.setString(3, keyId);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new StorageException("re-wrapping a data key failed", e);
    }
  }

  /** Live keys wrapped under another master key than {@code masterKeyId}. */
  long countWrappedUnderOther(long masterKeyId) {
    String sql = "SELECT COUNT(*) FROM personal_data_keys WHERE wrapped_key IS NOT NULL AND master_key_id <> ?";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, masterKeyId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new StorageException("counting data keys failed", e);
    }
  }

  private Optional<Row> one(String sql, String arg) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StorageException("reading a data key failed", e);
    }
  }

  private static Row read(ResultSet rs) throws SQLException {
    return new Row(rs.getString("key_id"), rs.getString("subject"), rs.getString("wrapped_key"), rs.getLong("master_key_id"),
        rs.getLong("created_at_millis"), rs.getLong("erased_at_millis"));
  }
}
