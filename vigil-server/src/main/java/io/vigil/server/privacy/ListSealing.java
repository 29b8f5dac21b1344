package io.vigil.server.privacy;

import io.vigil.engine.list.ListEntry;
import io.vigil.server.api.Json;
import io.vigil.server.journal.StorageException;
import io.vigil.server.list.ListValueProtection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * List values at rest: {@code entry_value} holds the value's keyed hash ({@code k1:…}), so a
 * decision's phone, e-mail or IP and an operator's lookup find an entry by the hash;
 * {@code entry_value_sealed} holds the value under the lists' data key, and so does the
 * {@code value} of every audit record. Entries stored in plaintext before are sealed at start.
 */
public final class ListSealing implements ListValueProtection {
  private static final Logger log = LoggerFactory.getLogger(ListSealing.class);
  private static final String ENTRY_AD = "vigil-list-entry\n";
  private static final String CHANGE_AD = "vigil-list-change\n";
  private static final int MIGRATE_ROWS = 500;
  private static final String STEP = "list_entries_and_changes";
  private final SealedValues sealed;
  private final LookupHashes hashes;
  private final Clock clock;

  public ListSealing(SealedValues sealed, LookupHashes hashes, Clock clock) {
    this.sealed = sealed;
    this.hashes = hashes;
    this.clock = clock;
  }

  private static boolean done(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM personal_data_sealing_done WHERE step = ?")) {
      ps.setString(1, STEP);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }

  @Override
  public String lookupKey(String value) {
    return hashes.token("list-value", value);
  }

  @Override
  public String seal(ListEntry entry) {
    return sealed.seal(sealed.keys().live(Subjects.LISTS), entry.value(), ENTRY_AD + entry.id());
  }

  @Override
  public String open(String entryId, String lookupKey, String sealedValue) {
    if (sealedValue == null) return lookupKey; // not sealed yet (sealed at the next start)
    return sealed.open(sealedValue, ENTRY_AD + entryId).orElse(SealedValues.ERASED);
  }

  @Override
  public String sealChange(String entryId, String entryJson) {
    Map<String, Object> m = Json.readMap(entryJson);
    if (!(m.get("value") instanceof String v) || SealedValues.isSealed(v)) return entryJson;
    m.put("value", sealed.seal(sealed.keys().live(Subjects.LISTS), v, CHANGE_AD + entryId));
    return Json.write(m);
  }

  @Override
  public String openChange(String entryId, String storedJson) {
    Map<String, Object> m = Json.readMap(storedJson);
    if (!(m.get("value") instanceof String v) || !SealedValues.isSealed(v)) return storedJson;
    m.put("value", sealed.open(v, CHANGE_AD + entryId).orElse(SealedValues.ERASED));
    return Json.write(m);
  }

  /**
   * Seals the entries and audit records stored in plaintext (before protection existed), once: the
   * step is recorded as done and skipped at later starts (every row written since is sealed as it
   * is written). Returns how many rows changed.
   */
  public int sealStoredPlaintext(DataSource ds) {
    int changed = 0;
    try (Connection c = ds.getConnection()) {
      if (done(c)) return 0;
      while (true) {
        List<String[]> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT id, entry_value FROM list_entries WHERE entry_value_sealed IS NULL ORDER BY id LIMIT " + MIGRATE_ROWS);
            ResultSet rs = ps.executeQuery()) {
          while (rs.next()) rows.add(new String[] {rs.getString(1), rs.getString(2)});
        }
        if (rows.isEmpty()) break;
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE list_entries SET entry_value = ?, entry_value_sealed = ? WHERE id = ? AND entry_value_sealed IS NULL")) {
          for (String[] r : rows) {
            ps.setString(1, lookupKey(r[1]));
            ps.setString(2, sealed.seal(sealed.keys().live(Subjects.LISTS), r[1], ENTRY_AD + r[0]));
            ps.setString(3, r[0]);
            ps.addBatch();
          }
          ps.executeBatch();
        }
        changed += rows.size();
      }
      long after = 0;
      while (true) {
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT change_id, entry_id, entry_json FROM list_changes"
            + " WHERE change_id > ? AND entry_json NOT LIKE '%\"value\":\"vpd1:%' ORDER BY change_id LIMIT " + MIGRATE_ROWS)) {
          ps.setLong(1, after);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) rows.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3)});
          }
        }
        if (rows.isEmpty()) break;
        try (PreparedStatement ps = c.prepareStatement("UPDATE list_changes SET entry_json = ? WHERE change_id = ?")) {
          int batched = 0;
          for (Object[] r : rows) {
            String stored = (String) r[2];
            String resealed = sealChange((String) r[1], stored);
            if (!resealed.equals(stored)) {
              ps.setString(1, resealed);
              ps.setLong(2, (Long) r[0]);
              ps.addBatch();
              batched++;
            }
          }
          if (batched > 0) ps.executeBatch();
          changed += batched;
        }
        after = (Long) rows.get(rows.size() - 1)[0];
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO personal_data_sealing_done (step, done_at_millis, rows_sealed) VALUES (?,?,?)")) {
        ps.setString(1, STEP);
        ps.setLong(2, clock.millis());
        ps.setLong(3, changed);
        ps.executeUpdate();
      }
    } catch (SQLException e) {
      throw new StorageException("sealing the stored list entries failed", e);
    }
    if (changed > 0) log.info("sealed {} list rows stored in plaintext before personal-data protection", changed);
    return changed;
  }
}
