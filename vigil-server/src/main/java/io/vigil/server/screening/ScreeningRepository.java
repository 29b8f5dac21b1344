package io.vigil.server.screening;

import io.vigil.server.storage.Sql;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The screening tables: list versions, subjects, hits, suppressions and exemptions. */
public final class ScreeningRepository {
  private static final String VERSION_COLUMNS = "list_name, version, format, entry_count, threshold, loaded_at_millis, loaded_by, content_sha256";
  private static final String HIT_COLUMNS = "hit_id, subject_id, party, screened_name, list_name, list_version, entry_id, "
      + "entry_name, entry_hash, score, evidence, source, event_id, found_at_millis, false_positive";
  private static final String EXEMPTION_COLUMNS = "exemption_id, entity_kind, entity_id, country, reason, status, proposed_by, "
      + "proposed_at_millis, approved_by, approved_at_millis";
  private final DataSource ds;

  public ScreeningRepository(DataSource ds) {
    this.ds = ds;
  }

  public record ListVersion(String listName, long version, String format, int entryCount, double threshold,
      long loadedAtMillis, String loadedBy, String contentSha256) {}

  public record Subject(String subjectId, String name, String country, LocalDate dateOfBirth, String idNumber) {}

  public record Hit(long hitId, String subjectId, String party, String screenedName, String listName, long listVersion,
      String entryId, String entryName, String entryHash, double score, String evidence, String source, String eventId,
      long foundAtMillis, boolean falsePositive) {}

  public record Exemption(long exemptionId, String entityKind, String entityId, String country, String reason, String status,
      String proposedBy, long proposedAtMillis, String approvedBy, Long approvedAtMillis) {}

  // ---- lists ----

  public long latestVersion(Connection c, String listName) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(version), 0) FROM screening_list_versions WHERE list_name = ?")) {
      ps.setString(1, listName);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  public void insertVersion(Connection c, ListVersion v, byte[] content) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO screening_list_versions (" + VERSION_COLUMNS
        + ", content) VALUES (?,?,?,?,?,?,?,?,?)")) {
      ps.setString(1, v.listName());
      ps.setLong(2, v.version());
      ps.setString(3, v.format());
      ps.setInt(4, v.entryCount());
      ps.setDouble(5, v.threshold());
      ps.setLong(6, v.loadedAtMillis());
      ps.setString(7, v.loadedBy());
      ps.setString(8, v.contentSha256());
      ps.setBytes(9, content);
      ps.executeUpdate();
    }
  }

  /** The newest version of every list. */
  public List<ListVersion> latestVersions() {
    return Sql.list(ds, "SELECT " + VERSION_COLUMNS + " FROM screening_list_versions v WHERE version = "
        + "(SELECT MAX(version) FROM screening_list_versions w WHERE w.list_name = v.list_name) ORDER BY list_name",
        Sql.Binder.NONE, ScreeningRepository::version, "reading screening lists failed");
  }

  public List<ListVersion> versions(String listName, int rows) {
    return Sql.list(ds, "SELECT " + VERSION_COLUMNS + " FROM screening_list_versions WHERE list_name = ? ORDER BY version DESC LIMIT ?",
        ps -> {
          ps.setString(1, listName);
          ps.setInt(2, rows);
        }, ScreeningRepository::version, "reading screening list versions failed");
  }

  public Optional<byte[]> content(String listName, long version) {
    return Sql.one(ds, "SELECT content FROM screening_list_versions WHERE list_name = ? AND version = ?", ps -> {
      ps.setString(1, listName);
      ps.setLong(2, version);
    }, rs -> rs.getBytes(1), "reading a screening list failed");
  }

  private static ListVersion version(ResultSet rs) throws SQLException {
    return new ListVersion(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getDouble(5), rs.getLong(6),
        rs.getString(7), rs.getString(8));
  }

  // ---- subjects ----

  /** Records the subject's latest name and evidence (update, else insert: portable to H2 and PostgreSQL). */
  public void upsertSubject(Subject s, long nowMillis) {
    Sql.transaction(ds, c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE screening_subjects SET name = ?, country = ?, date_of_birth = ?, "
          + "id_number = ?, updated_at_millis = ? WHERE subject_id = ?")) {
        bindSubject(ps, s, nowMillis);
        if (ps.executeUpdate() == 1) return null;
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO screening_subjects (name, country, date_of_birth, id_number, "
          + "updated_at_millis, subject_id) VALUES (?,?,?,?,?,?)")) {
        bindSubject(ps, s, nowMillis);
        ps.executeUpdate();
      }
      return null;
    }, "recording a screened subject failed");
  }

  private static void bindSubject(PreparedStatement ps, Subject s, long nowMillis) throws SQLException {
    ps.setString(1, s.name());
    ps.setString(2, s.country());
    if (s.dateOfBirth() == null) ps.setNull(3, Types.DATE); else ps.setDate(3, Date.valueOf(s.dateOfBirth()));
    ps.setString(4, s.idNumber());
    ps.setLong(5, nowMillis);
    ps.setString(6, s.subjectId());
  }

  /** Subjects after afterId in id order, at most rows: the re-screening walks them in bounded batches. */
  public List<Subject> subjectsAfter(String afterId, int rows) {
    return Sql.list(ds, "SELECT subject_id, name, country, date_of_birth, id_number FROM screening_subjects "
        + "WHERE subject_id > ? ORDER BY subject_id LIMIT ?", ps -> {
          ps.setString(1, afterId);
          ps.setInt(2, rows);
        }, rs -> new Subject(rs.getString(1), rs.getString(2), rs.getString(3),
            rs.getDate(4) == null ? null : rs.getDate(4).toLocalDate(), rs.getString(5)), "reading screened subjects failed");
  }

  // ---- hits ----

  public void insertHits(List<Hit> hits) {
    if (hits.isEmpty()) return;
    Sql.transaction(ds, c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO screening_hits (subject_id, party, screened_name, list_name, "
          + "list_version, entry_id, entry_name, entry_hash, score, evidence, source, event_id, found_at_millis) "
          + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
        for (Hit h : hits) {
          ps.setString(1, h.subjectId());
          ps.setString(2, h.party());
          ps.setString(3, h.screenedName());
          ps.setString(4, h.listName());
          ps.setLong(5, h.listVersion());
          ps.setString(6, h.entryId());
          ps.setString(7, h.entryName());
          ps.setString(8, h.entryHash());
          ps.setDouble(9, h.score());
          ps.setString(10, h.evidence());
          ps.setString(11, h.source());
          ps.setString(12, h.eventId());
          ps.setLong(13, h.foundAtMillis());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    }, "recording screening hits failed");
  }

  /** Hits newest first, of one subject when given, below beforeId when given. */
  public List<Hit> hits(String subjectId, Long beforeId, int rows) {
    String where = (subjectId == null ? "1 = 1" : "subject_id = ?") + (beforeId == null ? "" : " AND hit_id < ?");
    return Sql.list(ds, "SELECT " + HIT_COLUMNS + " FROM screening_hits WHERE " + where + " ORDER BY hit_id DESC LIMIT ?", ps -> {
      int i = 1;
      if (subjectId != null) ps.setString(i++, subjectId);
      if (beforeId != null) ps.setLong(i++, beforeId);
      ps.setInt(i, rows);
    }, ScreeningRepository::hit, "reading screening hits failed");
  }

  public Optional<Hit> hit(long hitId) {
    return Sql.one(ds, "SELECT " + HIT_COLUMNS + " FROM screening_hits WHERE hit_id = ?", ps -> ps.setLong(1, hitId),
        ScreeningRepository::hit, "reading a screening hit failed");
  }

  private static Hit hit(ResultSet rs) throws SQLException {
    return new Hit(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6),
        rs.getString(7), rs.getString(8), rs.getString(9), rs.getDouble(10), rs.getString(11), rs.getString(12),
        rs.getString(13), rs.getLong(14), rs.getBoolean(15));
  }

  // ---- suppressions ----

  /** Marks the hit a false positive and suppresses its entry for its subject, in one transaction. */
  public void markFalsePositive(Hit h, String by, long nowMillis) {
    Sql.transaction(ds, c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE screening_hits SET false_positive = TRUE WHERE hit_id = ?")) {
        ps.setLong(1, h.hitId());
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM screening_suppressions WHERE subject_id = ? AND list_name = ? "
          + "AND entry_id = ?")) {
        ps.setString(1, h.subjectId());
        ps.setString(2, h.listName());
        ps.setString(3, h.entryId());
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO screening_suppressions (subject_id, list_name, entry_id, "
          + "entry_hash, marked_by, marked_at_millis) VALUES (?,?,?,?,?,?)")) {
        ps.setString(1, h.subjectId());
        ps.setString(2, h.listName());
        ps.setString(3, h.entryId());
        ps.setString(4, h.entryHash());
        ps.setString(5, by);
        ps.setLong(6, nowMillis);
        ps.executeUpdate();
      }
      return null;
    }, "marking a false positive failed");
  }

  /** Every suppression as "subject\u0001list\u0001entry" → entry hash. */
  public List<String[]> suppressions() {
    return Sql.list(ds, "SELECT subject_id, list_name, entry_id, entry_hash FROM screening_suppressions", Sql.Binder.NONE,
        rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)},
        "reading screening suppressions failed");
  }

  // ---- exemptions ----

  public long proposeExemption(String kind, String entityId, String country, String reason, String by, long nowMillis) {
    return Sql.transaction(ds, c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO screening_exemptions (entity_kind, entity_id, country, reason, "
          + "status, proposed_by, proposed_at_millis) VALUES (?,?,?,?, 'proposed', ?, ?)", new String[] {"exemption_id"})) {
        ps.setString(1, kind);
        ps.setString(2, entityId);
        ps.setString(3, country);
        ps.setString(4, reason);
        ps.setString(5, by);
        ps.setLong(6, nowMillis);
        ps.executeUpdate();
        try (ResultSet rs = ps.getGeneratedKeys()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    }, "proposing an exemption failed");
  }

  /** Approves a proposed exemption; false when it was not (or no longer) proposed. */
  public boolean approveExemption(long id, String by, long nowMillis) {
    return Sql.update(ds, "UPDATE screening_exemptions SET status = 'approved', approved_by = ?, approved_at_millis = ? "
        + "WHERE exemption_id = ? AND status = 'proposed'", ps -> {
          ps.setString(1, by);
          ps.setLong(2, nowMillis);
          ps.setLong(3, id);
        }, "approving an exemption failed") == 1;
  }

  public Optional<Exemption> exemption(long id) {
    return Sql.one(ds, "SELECT " + EXEMPTION_COLUMNS + " FROM screening_exemptions WHERE exemption_id = ?", ps -> ps.setLong(1, id),
        ScreeningRepository::exemption, "reading an exemption failed");
  }

  public List<Exemption> exemptions(int rows) {
    return Sql.list(ds, "SELECT " + EXEMPTION_COLUMNS + " FROM screening_exemptions ORDER BY exemption_id DESC LIMIT ?",
        ps -> ps.setInt(1, rows), ScreeningRepository::exemption, "reading exemptions failed");
  }

  private static Exemption exemption(ResultSet rs) throws SQLException {
    long approvedAt = rs.getLong(10);
    return new Exemption(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
        rs.getString(7), rs.getLong(8), rs.getString(9), rs.wasNull() ? null : approvedAt);
  }
}
