package io.vigil.server.list;

import io.vigil.engine.list.ListEntity;
import io.vigil.engine.list.ListEntry;
import io.vigil.engine.list.ListKind;
import io.vigil.server.api.TimeCursor;
import io.vigil.server.journal.StorageException;
import io.vigil.server.storage.Sql;
import io.vigil.server.storage.Sql.TimeOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;

/** List entries and their audit trail. An entry and its change record are written in one transaction. */
public final class ListRepository {
  private static final String COLUMNS = "id, list_kind, entity, entry_value, reason, source, created_by, created_at_millis, expires_at_millis,"
      + " entry_value_sealed";
  /** Newest first; the index list_entries_created serves it. */
  private static final TimeOrder ORDER = TimeOrder.NEWEST_FIRST;
  private static final String INSERT_CHANGE = "INSERT INTO list_changes (entry_id, operation, actor, at_millis, entry_json) VALUES (?,?,?,?,?)";
  /** Rows {@link #each} reads per connection. */
  private static final int EACH_PAGE_ROWS = 1_000;
  /** Values per IN (...) lookup: well under every driver's bound on parameters. */
  private static final int LOOKUP_CHUNK = 500;
  private static final int INSERT_BATCH = 1_000;
  private final DataSource dataSource;
  private final ListValueProtection protection;

  public ListRepository(DataSource dataSource) {
    this(dataSource, ListValueProtection.NONE);
  }

  /** Values stored as {@code protection} says (sealed, found by their keyed hash). */
  public ListRepository(DataSource dataSource, ListValueProtection protection) {
    this.dataSource = dataSource;
    this.protection = protection;
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
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO list_entries (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?)")) {
        bindEntry(ps, e);
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
    List<ListEntry> out = new ArrayList<>();
    each(null, null, out::add);
    return out;
  }

  /**
   * Entries newest first (by creation time, then id), matching the filters that are not null,
   * after the cursor when there is one; at most rows.
   */
  public List<ListEntry> page(ListKind kind, ListEntity entity, String value, TimeCursor after, int rows) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM list_entries WHERE 1=1");
    List<Object> args = new ArrayList<>();
    filter(kind, entity, sql, args);
    if (value != null) { sql.append(" AND entry_value = ?"); args.add(protection.lookupKey(value)); }
    if (after != null) sql.append(" AND ").append(Sql.startingAfter("created_at_millis", "id", ORDER));
    sql.append(Sql.orderBy("created_at_millis", "id", ORDER)).append(" LIMIT ").append(rows);
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
      bind(ps, args);
      if (after != null) Sql.bindStartingAfter(ps, args.size() + 1, after);
      List<ListEntry> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(read(rs));
      }
      return out;
    } catch (SQLException e) {
      throw new StorageException("reading list entries failed", e);
    }
  }

  /**
   * Every entry of the list kind and entity (all when null), newest first, read a page at a time:
   * each page on its own short connection, so a slow consumer (an export download) holds none.
   */
  public void each(ListKind kind, ListEntity entity, Consumer<ListEntry> sink) {
    TimeCursor after = null;
    while (true) {
      List<ListEntry> rows = page(kind, entity, null, after, EACH_PAGE_ROWS);
      rows.forEach(sink);
      if (rows.size() < EACH_PAGE_ROWS) return;
      ListEntry last = rows.get(rows.size() - 1);
      after = new TimeCursor(last.createdAtMillis(), last.id());
    }
  }

  /** The audit trail, newest first, of one entry or all (entryId null), after a change id when given; at most rows. */
  public List<Change> changes(String entryId, Long afterChangeId, int rows) {
    String sql = "SELECT change_id, entry_id, operation, actor, at_millis, entry_json FROM list_changes WHERE 1=1"
        + (entryId == null ? "" : " AND entry_id = ?") + (afterChangeId == null ? "" : " AND change_id < ?")
        + " ORDER BY change_id DESC LIMIT ?";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      if (entryId != null) ps.setString(i++, entryId);
      if (afterChangeId != null) ps.setLong(i++, afterChangeId);
      ps.setInt(i, rows);
      List<Change> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Change(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
              protection.openChange(rs.getString(2), rs.getString(6))));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StorageException("reading list changes failed", e);
    }
  }

  /** The stored entries of one list kind and entity holding any of the (normalized) values, by value. */
  public Map<String, ListEntry> findValues(ListKind kind, ListEntity entity, Collection<String> values) {
    Map<String, ListEntry> found = new HashMap<>();
    List<String> all = List.copyOf(values);
    try (Connection c = dataSource.getConnection()) {
      for (int from = 0; from < all.size(); from += LOOKUP_CHUNK) {
        List<String> chunk = all.subList(from, Math.min(all.size(), from + LOOKUP_CHUNK));
        String sql = "SELECT " + COLUMNS + " FROM list_entries WHERE list_kind = ? AND entity = ? AND entry_value IN ("
            + Sql.placeholders(chunk.size()) + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setString(1, kind.wireName());
          ps.setString(2, entity.wireName());
          for (int i = 0; i < chunk.size(); i++) ps.setString(i + 3, protection.lookupKey(chunk.get(i)));
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              ListEntry e = read(rs);
              found.put(e.value(), e);
            }
          }
        }
      }
      return found;
    } catch (SQLException e) {
      throw new StorageException("reading list entries failed", e);
    }
  }

  /**
   * Inserts every entry with its "create" change record in one transaction: all are stored or none.
   * Throws {@link DuplicateEntry} when one of the values was stored meanwhile (the unique constraint).
   */
  public void insertAll(List<ListEntry> entries, String actor, Function<ListEntry, String> entryJson) {
    inTransaction(c -> {
      try (PreparedStatement entryRows = c.prepareStatement("INSERT INTO list_entries (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?)");
          PreparedStatement changeRows = c.prepareStatement(INSERT_CHANGE)) {
        int pending = 0;
        for (ListEntry e : entries) {
          bindEntry(entryRows, e);
          entryRows.addBatch();
          bindChange(changeRows, e.id(), "create", actor, e.createdAtMillis(), entryJson.apply(e));
          changeRows.addBatch();
          if (++pending == INSERT_BATCH) {
            entryRows.executeBatch();
            changeRows.executeBatch();
            pending = 0;
          }
        }
        if (pending > 0) {
          entryRows.executeBatch();
          changeRows.executeBatch();
        }
      } catch (SQLException e) {
        if (Sql.isConstraintViolation(e)) throw new DuplicateEntry();
        throw e;
      }
    });
  }

  private Optional<ListEntry> findValue(Connection c, ListKind kind, ListEntity entity, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM list_entries WHERE list_kind = ? AND entity = ? AND entry_value = ?")) {
      ps.setString(1, kind.wireName());
      ps.setString(2, entity.wireName());
      ps.setString(3, protection.lookupKey(value));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  private void recordChange(Connection c, String entryId, String operation, String actor, long atMillis,
      String entryJson) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT_CHANGE)) {
      bindChange(ps, entryId, operation, actor, atMillis, entryJson);
      ps.executeUpdate();
    }
  }

  private void bindChange(PreparedStatement ps, String entryId, String operation, String actor, long atMillis,
      String entryJson) throws SQLException {
    ps.setString(1, entryId);
    ps.setString(2, operation);
    ps.setString(3, actor);
    ps.setLong(4, atMillis);
    ps.setString(5, protection.sealChange(entryId, entryJson));
  }

  private void bindEntry(PreparedStatement ps, ListEntry e) throws SQLException {
    ps.setString(1, e.id());
    ps.setString(2, e.kind().wireName());
    ps.setString(3, e.entity().wireName());
    ps.setString(4, protection.lookupKey(e.value()));
    ps.setString(5, e.reason());
    ps.setString(6, e.source());
    ps.setString(7, e.createdBy());
    ps.setLong(8, e.createdAtMillis());
    ps.setLong(9, e.expiresAtMillis());
    ps.setString(10, protection.seal(e));
  }

  private static void filter(ListKind kind, ListEntity entity, StringBuilder sql, List<Object> args) {
    if (kind != null) { sql.append(" AND list_kind = ?"); args.add(kind.wireName()); }
    if (entity != null) { sql.append(" AND entity = ?"); args.add(entity.wireName()); }
  }

  private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
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

  private ListEntry read(ResultSet rs) throws SQLException {
    String id = rs.getString(1);
    return new ListEntry(id, ListKind.fromWire(rs.getString(2)), ListEntity.fromWire(rs.getString(3)),
        protection.open(id, rs.getString(4), rs.getString(10)), rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8), rs.getLong(9));
  }
}
