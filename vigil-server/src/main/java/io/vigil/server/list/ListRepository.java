package io.vigil.server.list;

import io.vigil.engine.list.ListEntity;
import io.vigil.engine.list.ListEntry;
import io.vigil.engine.list.ListKind;
import io.vigil.server.journal.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** List entries and their audit trail. An entry and its change record are written in one transaction. */
public final class ListRepository {
  private static final String COLUMNS = "id, list_kind, entity, entry_value, reason, source, created_by, created_at_millis, expires_at_millis";
  private final DataSource dataSource;

  public ListRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** One audit record. */
  public record Change(long changeId, String entryId, String operation, String actor, long atMillis, String entryJson) {}

  /** Thrown when the same list already holds the value. */
  public static final class DuplicateEntry extends RuntimeException {
    public DuplicateEntry() {
      super(null, null, false, false);
    }
  }

  public void insert(ListEntry e, String actor, String entryJson) {
    inTransaction(c -> {
      if (findValue(c, e.kind(), e.entity(), e.value()).isPresent()) throw new DuplicateEntry();
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO list_entries (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?)")) {
        ps.setString(1, e.id());
        ps.setString(2, e.kind().wireName());
        ps.setString(3, e.entity().wireName());
        ps.setString(4, e.value());
        ps.setString(5, e.reason());
        ps.setString(6, e.source());
        ps.setString(7, e.createdBy());
        ps.setLong(8, e.createdAtMillis());
        ps.setLong(9, e.expiresAtMillis());
        ps.executeUpdate();
      }
      recordChange(c, e.id(), "create", actor, e.createdAtMillis(), entryJson);
    });
  }

  public boolean delete(String id, String actor, long atMillis, String entryJson) {
    boolean[] deleted = {false};
    inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM list_entries WHERE id = ?")) {
        ps.setString(1, id);
        deleted[0] = ps.executeUpdate() == 1;
      }
      if (deleted[0]) recordChange(c, id, "delete", actor, atMillis, entryJson);
    });
    return deleted[0];
  }

  public List<ListEntry> all() {
    return query(null, null, null, Integer.MAX_VALUE);
  }

  public List<ListEntry> query(ListKind kind, ListEntity entity, String value, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM list_entries WHERE 1=1");
    List<String> args = new ArrayList<>();
    if (kind != null) { sql.append(" AND list_kind = ?"); args.add(kind.wireName()); }
    if (entity != null) { sql.append(" AND entity = ?"); args.add(entity.wireName()); }
    if (value != null) { sql.append(" AND entry_value = ?"); args.add(value); }
    sql.append(" ORDER BY created_at_millis DESC, id");
    if (limit != Integer.MAX_VALUE) sql.append(" LIMIT ").append(limit);
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) ps.setString(i + 1, args.get(i));
      List<ListEntry> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(read(rs));
      }
      return out;
    } catch (SQLException e) {
      throw new StorageException("reading list entries failed", e);
    }
  }

  public List<Change> changes(String entryId, int limit) {
    String sql = "SELECT change_id, entry_id, operation, actor, at_millis, entry_json FROM list_changes"
        + (entryId == null ? "" : " WHERE entry_id = ?") + " ORDER BY change_id DESC LIMIT ?";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      if (entryId != null) ps.setString(i++, entryId);
      ps.setInt(i, limit);
      List<Change> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(new Change(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getString(6)));
      }
      return out;
    } catch (SQLException e) {
      throw new StorageException("reading list changes failed", e);
    }
  }

  private Optional<ListEntry> findValue(Connection c, ListKind kind, ListEntity entity, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM list_entries WHERE list_kind = ? AND entity = ? AND entry_value = ?")) {
      ps.setString(1, kind.wireName());
      ps.setString(2, entity.wireName());
      ps.setString(3, value);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  private static void recordChange(Connection c, String entryId, String operation, String actor, long atMillis,
      String entryJson) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO list_changes (entry_id, operation, actor, at_millis, entry_json) VALUES (?,?,?,?,?)")) {
      ps.setString(1, entryId);
      ps.setString(2, operation);
      ps.setString(3, actor);
      ps.setLong(4, atMillis);
      ps.setString(5, entryJson);
      ps.executeUpdate();
    }
  }

  private interface SqlWork {
    void run(Connection c) throws SQLException;
  }

  private void inTransaction(SqlWork work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        work.run(c);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StorageException("writing a list entry failed", e);
    }
  }

  private static ListEntry read(ResultSet rs) throws SQLException {
    return new ListEntry(rs.getString(1), ListKind.fromWire(rs.getString(2)), ListEntity.fromWire(rs.getString(3)),
        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8), rs.getLong(9));
  }
}
