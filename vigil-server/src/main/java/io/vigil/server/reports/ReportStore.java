package io.vigil.server.reports;

import io.vigil.server.storage.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@code reports} table. */
public final class ReportStore {
  private static final String COLUMNS = "report_id, report_type, case_id, status, xml, transactions, prepared_by, prepared_at_millis,"
      + " filed_by, filed_at_millis, digest";

  private final DataSource dataSource;

  public ReportStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public void insert(StoredReport r) {
    Sql.update(dataSource, "INSERT INTO reports (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)", ps -> {
      ps.setString(1, r.reportId());
      ps.setString(2, r.reportType());
      ps.setString(3, r.caseId());
      ps.setString(4, r.status());
      ps.setString(5, r.xml());
      ps.setInt(6, r.transactions());
      ps.setString(7, r.preparedBy());
      ps.setLong(8, r.preparedAtMillis());
      ps.setString(9, null);
      ps.setObject(10, null);
      ps.setString(11, null);
    }, "storing a report failed");
  }

  public Optional<StoredReport> find(String reportId) {
    return Sql.one(dataSource, "SELECT " + COLUMNS + " FROM reports WHERE report_id = ?", ps -> ps.setString(1, reportId),
        ReportStore::read, "reading a report failed");
  }

  /** Marks a prepared report filed; false when it was filed meanwhile. */
  public boolean markFiled(Connection c, String reportId, String signedXml, String by, long atMillis, String digest) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE reports SET status = ?, xml = ?, filed_by = ?, filed_at_millis = ?, digest = ?"
        + " WHERE report_id = ? AND status = ?")) {
      ps.setString(1, StoredReport.FILED);
      ps.setString(2, signedXml);
      ps.setString(3, by);
      ps.setLong(4, atMillis);
      ps.setString(5, digest);
      ps.setString(6, reportId);
      ps.setString(7, StoredReport.PREPARED);
      return ps.executeUpdate() == 1;
    }
  }

  /** Reports of a case, newest first (without their XML). */
  public List<StoredReport> ofCase(String caseId, int rows) {
    return Sql.list(dataSource, "SELECT " + COLUMNS + " FROM reports WHERE case_id = ? ORDER BY prepared_at_millis DESC, report_id LIMIT ?",
        ps -> {
          ps.setString(1, caseId);
          ps.setInt(2, rows);
        }, ReportStore::read, "reading a case's reports failed");
  }

  /** Reports prepared since {@code fromMillis}, newest first. */
  public List<StoredReport> recent(long fromMillis, int rows) {
    return Sql.list(dataSource, "SELECT " + COLUMNS + " FROM reports WHERE prepared_at_millis >= ? ORDER BY prepared_at_millis DESC,"
        + " report_id LIMIT ?", ps -> {
          ps.setLong(1, fromMillis);
          ps.setInt(2, rows);
        }, ReportStore::read, "reading reports failed");
  }

  private static StoredReport read(ResultSet rs) throws SQLException {
    long filedAt = rs.getLong(10);
    Long filedAtMillis = rs.wasNull() ? null : filedAt;
    return new StoredReport(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6),
        rs.getString(7), rs.getLong(8), rs.getString(9), filedAtMillis, rs.getString(11));
  }
}
