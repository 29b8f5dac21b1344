package io.vigil.server.reports;

import io.vigil.server.storage.Sql;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import javax.sql.DataSource;

/**
 * The hash-chained register of filed reports: each row's hash covers the previous row's hash and
 * every field of the row, so a changed, removed or inserted row breaks the chain from there on.
 */
public final class ReportRegister {
  public static final String GENESIS = "0".repeat(64);
  /** Rows the verifier reads per page. */
  private static final int VERIFY_PAGE_ROWS = 1_000;
  private static final String COLUMNS = "seq, filed_at_millis, filed_by, report_type, report_id, case_id, digest, prev_hash, hash";

  private final DataSource dataSource;

  public ReportRegister(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Appends a row in the caller's transaction (the report's status changes in the same one). */
  public synchronized RegisterEntry append(Connection c, long atMillis, String by, String reportType, String reportId, String caseId,
      String digest) throws SQLException {
    long seq = 1;
    String prev = GENESIS;
    try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash FROM report_register ORDER BY seq DESC LIMIT 1");
        ResultSet rs = ps.executeQuery()) {
      if (rs.next()) {
        seq = rs.getLong(1) + 1;
        prev = rs.getString(2);
      }
    }
    String hash = hash(prev, seq, atMillis, by, reportType, reportId, caseId, digest);
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO report_register (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?)")) {
      ps.setLong(1, seq);
      ps.setLong(2, atMillis);
      ps.setString(3, by);
      ps.setString(4, reportType);
      ps.setString(5, reportId);
      ps.setString(6, caseId);
      ps.setString(7, digest);
      ps.setString(8, prev);
      ps.setString(9, hash);
      ps.executeUpdate();
    }
    return new RegisterEntry(seq, atMillis, by, reportType, reportId, caseId, digest, prev, hash);
  }

  /** Newest first; {@code beforeSeq} is the keyset cursor (exclusive). */
  public List<RegisterEntry> list(Long beforeSeq, int rows) {
    return Sql.list(dataSource, "SELECT " + COLUMNS + " FROM report_register" + (beforeSeq == null ? "" : " WHERE seq < ?")
        + " ORDER BY seq DESC LIMIT ?", ps -> {
          int i = 1;
          if (beforeSeq != null) ps.setLong(i++, beforeSeq);
          ps.setInt(i, rows);
        }, ReportRegister::read, "reading the report register failed");
  }

  /** The outcome of a walk over the chain: rows checked, and the first broken row (null when intact). */
  public record Verification(long rows, Long brokenAtSeq, String reason) {
    public boolean intact() {
      return brokenAtSeq == null;
    }
  }

  public Verification verify() {
    long expectedSeq = 1;
    String prev = GENESIS;
    while (true) {
      long from = expectedSeq;
      List<RegisterEntry> page = Sql.list(dataSource, "SELECT " + COLUMNS + " FROM report_register WHERE seq >= ? ORDER BY seq LIMIT ?",
          ps -> {
            ps.setLong(1, from);
            ps.setInt(2, VERIFY_PAGE_ROWS);
          }, ReportRegister::read, "reading the report register failed");
      for (RegisterEntry e : page) {
        if (e.seq() != expectedSeq) return new Verification(expectedSeq - 1, expectedSeq, "row " + expectedSeq + " is missing");
        if (!e.prevHash().equals(prev)) return new Verification(expectedSeq - 1, e.seq(), "prev_hash does not match the row before");
        String h = hash(e.prevHash(), e.seq(), e.filedAtMillis(), e.filedBy(), e.reportType(), e.reportId(), e.caseId(), e.digest());
        if (!h.equals(e.hash())) return new Verification(expectedSeq - 1, e.seq(), "the row's hash does not match its fields");
        prev = e.hash();
        expectedSeq++;
      }
      if (page.size() < VERIFY_PAGE_ROWS) return new Verification(expectedSeq - 1, null, null);
    }
  }

  static String hash(String prev, long seq, long atMillis, String by, String type, String reportId, String caseId, String digest) {
    String line = String.join("\n", prev, Long.toString(seq), Long.toString(atMillis), by, type, reportId, caseId == null ? "" : caseId,
        digest);
    return sha256(line.getBytes(StandardCharsets.UTF_8));
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RegisterEntry read(ResultSet rs) throws SQLException {
    return new RegisterEntry(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
        rs.getString(7), rs.getString(8), rs.getString(9));
  }
}
