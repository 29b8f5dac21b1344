package io.vigil.server.cases.verdict;

import io.vigil.server.api.Json;
import io.vigil.server.cases.CaseRepository;
import io.vigil.server.storage.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Stored verdicts and their effects ({@code case_verdicts}, {@code case_verdict_effects}). A verdict
 * and its effects are inserted in the transaction that closes the case; an effect is marked applied
 * once, by a conditional update, in the transaction that writes its timeline entry.
 */
public final class VerdictRepository {
  private final DataSource dataSource;

  public VerdictRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * One closing of a case with a verdict; {@code appliedAtMillis} null until every effect is applied;
   * {@code duplicateOf} the case this one was closed as a duplicate of, else null.
   */
  public record Stored(String verdictId, String caseId, String verdict, String reasonCode, String reviewerId, String hold,
      String restrictions, long decidedAtMillis, Long appliedAtMillis, String duplicateOf) {}

  /**
   * One effect of a verdict. kind: {@code label}, {@code restriction_lift}, {@code hold_release},
   * {@code hold_deny}, {@code list_entry}; target: the decision, account or list the effect acts on.
   */
  public record Effect(String verdictId, int seq, String kind, String target, Map<String, Object> detail, Long appliedAtMillis,
      Map<String, Object> result, int attempts, String lastError) {
    public boolean applied() {
      return appliedAtMillis != null;
    }
  }

  private static final String INSERT_COLUMNS = "verdict_id, case_id, verdict, reason_code, reviewer_id, hold_choice,"
      + " restrictions_choice, decided_at_millis, applied_at_millis, duplicate_of";
  /** The same columns of the table read as {@code v}. */
  private static final String VERDICT_COLUMNS = "v.verdict_id, v.case_id, v.verdict, v.reason_code, v.reviewer_id, v.hold_choice,"
      + " v.restrictions_choice, v.decided_at_millis, v.applied_at_millis, v.duplicate_of";
  private static final String EFFECT_COLUMNS = "verdict_id, seq, kind, target, detail_json, applied_at_millis, result_json,"
      + " attempts, last_error";
  /** The longest error text an effect keeps. */
  static final int ERROR_CHARS_MAX = 1_000;

  public void insert(Connection c, Stored v, List<Effect> effects) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO case_verdicts (" + INSERT_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?)")) {
      ps.setString(1, v.verdictId());
      ps.setString(2, v.caseId());
      ps.setString(3, v.verdict());
      ps.setString(4, v.reasonCode());
      ps.setString(5, v.reviewerId());
      ps.setString(6, v.hold());
      ps.setString(7, v.restrictions());
      ps.setLong(8, v.decidedAtMillis());
      ps.setNull(9, Types.BIGINT);
      ps.setString(10, v.duplicateOf());
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO case_verdict_effects (" + EFFECT_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?)")) {
      for (Effect e : effects) {
        ps.setString(1, e.verdictId());
        ps.setInt(2, e.seq());
        ps.setString(3, e.kind());
        ps.setString(4, e.target());
        ps.setString(5, Json.write(e.detail()));
        ps.setNull(6, Types.BIGINT);
        ps.setNull(7, Types.VARCHAR);
        ps.setInt(8, 0);
        ps.setNull(9, Types.VARCHAR);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  public Optional<Stored> find(String verdictId) {
    return Sql.one(dataSource, "SELECT " + VERDICT_COLUMNS + " FROM case_verdicts v WHERE v.verdict_id = ?", ps -> ps.setString(1, verdictId),
        VerdictRepository::stored, "reading a verdict failed");
  }

  /**
   * The case named by the case's latest verdict as the one it duplicates; empty when that verdict is
   * not a close as duplicate, or the case has none.
   */
  public Optional<String> latestDuplicateOf(String caseId) {
    List<String> latest = Sql.list(dataSource, "SELECT duplicate_of FROM case_verdicts WHERE case_id = ?"
        + " ORDER BY " + CaseRepository.LATEST_VERDICT_FIRST + " LIMIT 1", ps -> ps.setString(1, caseId), rs -> rs.getString(1),
        "reading a case's latest verdict failed");
    return latest.isEmpty() ? Optional.empty() : Optional.ofNullable(latest.get(0));
  }

  /**
   * Verdicts with an effect not yet applied that has had fewer than {@code attemptsMax} attempts,
   * oldest first, at most {@code rows}: effects given up on do not keep newer verdicts waiting.
   */
  public List<Stored> unapplied(int attemptsMax, int rows) {
    return Sql.list(dataSource, "SELECT " + VERDICT_COLUMNS + " FROM case_verdicts v WHERE v.applied_at_millis IS NULL"
        + " AND EXISTS (SELECT 1 FROM case_verdict_effects e WHERE e.verdict_id = v.verdict_id AND e.applied_at_millis IS NULL"
        + " AND e.attempts < ?) ORDER BY v.decided_at_millis, v.verdict_id LIMIT ?", ps -> {
          ps.setInt(1, attemptsMax);
          ps.setInt(2, rows);
        }, VerdictRepository::stored, "reading unapplied verdicts failed");
  }

  private static Stored stored(ResultSet rs) throws SQLException {
    long applied = rs.getLong(9);
    Long appliedAt = rs.wasNull() ? null : applied;
    return new Stored(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
        rs.getString(7), rs.getLong(8), appliedAt, rs.getString(10));
  }

  /** A verdict's effects in the order they are applied. */
  public List<Effect> effects(String verdictId) {
    return Sql.list(dataSource, "SELECT " + EFFECT_COLUMNS + " FROM case_verdict_effects WHERE verdict_id = ? ORDER BY seq",
        ps -> ps.setString(1, verdictId), rs -> {
          long applied = rs.getLong(6);
          Long appliedAt = rs.wasNull() ? null : applied;
          String result = rs.getString(7);
          return new Effect(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), Json.readMap(rs.getString(5)), appliedAt,
              result == null ? null : Json.readMap(result), rs.getInt(8), rs.getString(9));
        }, "reading a verdict's effects failed");
  }

  /**
   * Marks the effect applied with its result (and, when given, a new detail: a list entry's value is
   * dropped once the list holds it); false when it was already marked (another pass applied it).
   */
  public boolean markApplied(Connection c, String verdictId, int seq, long atMillis, Map<String, Object> result,
      Map<String, Object> detail) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE case_verdict_effects SET applied_at_millis = ?, result_json = ?,"
        + " detail_json = ?, last_error = NULL, attempts = attempts + 1 WHERE verdict_id = ? AND seq = ? AND applied_at_millis IS NULL")) {
      ps.setLong(1, atMillis);
      ps.setString(2, Json.write(result));
      ps.setString(3, Json.write(detail));
      ps.setString(4, verdictId);
      ps.setInt(5, seq);
      return ps.executeUpdate() == 1;
    }
  }

  /** Counts a failed attempt of the effect and keeps why. */
  public void recordFailure(String verdictId, int seq, String error) {
    String text = error == null ? "failed" : error.length() > ERROR_CHARS_MAX ? error.substring(0, ERROR_CHARS_MAX) : error;
    Sql.update(dataSource, "UPDATE case_verdict_effects SET attempts = attempts + 1, last_error = ? WHERE verdict_id = ? AND seq = ?"
        + " AND applied_at_millis IS NULL", ps -> {
          ps.setString(1, text);
          ps.setString(2, verdictId);
          ps.setInt(3, seq);
        }, "recording a verdict effect's failure failed");
  }

  /** Marks the verdict applied (every effect is); false when it already was. */
  public boolean markVerdictApplied(String verdictId, long atMillis) {
    return Sql.update(dataSource, "UPDATE case_verdicts SET applied_at_millis = ? WHERE verdict_id = ? AND applied_at_millis IS NULL",
        ps -> {
          ps.setLong(1, atMillis);
          ps.setString(2, verdictId);
        }, "marking a verdict applied failed") == 1;
  }
}
