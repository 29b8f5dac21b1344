package io.vigil.server.model;

import io.vigil.engine.model.ModelOutcome;
import io.vigil.server.journal.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The feature vector of every decided money movement, stored in the decision's own transaction so
 * that a model can be trained on exactly what the engine saw (D5).
 */
public final class DecisionFeatures {
  private static final String COLUMNS = "sequence, decision_id, event_id, account_id, occurred_at_millis, schema_id, features,"
      + " model_id, probability, challenger_id, challenger_probability";
  private static final String INSERT = "INSERT INTO decision_features (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)";
  private final DataSource dataSource;

  public DecisionFeatures(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** One stored vector. */
  public record Row(long sequence, String decisionId, String eventId, String accountId, long occurredAtMillis, String schemaId,
      double[] features, String modelId, Double probability, String challengerId, Double challengerProbability) {}

  /** A vector to write with its decision. */
  public record Pending(long sequence, String decisionId, String eventId, String accountId, long occurredAtMillis,
      ModelOutcome model) {}

  /** Writes the vectors of a decision batch inside the batch's transaction. */
  public static void insertAll(Connection c, List<Pending> rows) throws SQLException {
    if (rows.isEmpty()) return;
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (Pending p : rows) {
        ModelOutcome m = p.model();
        ps.setLong(1, p.sequence());
        ps.setString(2, p.decisionId());
        ps.setString(3, p.eventId());
        ps.setString(4, p.accountId());
        ps.setLong(5, p.occurredAtMillis());
        ps.setString(6, m.schema().id());
        ps.setString(7, encode(m.features()));
        ps.setString(8, m.modelId());
        setDouble(ps, 9, m.probability());
        ps.setString(10, m.challengerId());
        setDouble(ps, 11, m.challengerProbability());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void setDouble(PreparedStatement ps, int i, double v) throws SQLException {
    if (Double.isNaN(v)) ps.setNull(i, Types.DOUBLE);
    else ps.setDouble(i, v);
  }

  /** Comma-separated, each value as the float the model scored (so the text round-trips exactly). */
  static String encode(double[] vector) {
    StringBuilder sb = new StringBuilder(vector.length * 6);
    for (int i = 0; i < vector.length; i++) {
      if (i > 0) sb.append(',');
      sb.append((float) vector[i]);
    }
    return sb.toString();
  }

  static double[] decode(String text, int size) {
    String[] parts = text.split(",", -1);
    if (parts.length != size) throw new IllegalStateException("a stored vector has " + parts.length + " values, the schema " + size);
    double[] out = new double[size];
    for (int i = 0; i < size; i++) out[i] = Float.parseFloat(parts[i]);
    return out;
  }

  /** The vectors of one schema decided in [fromMillis, toMillis), oldest first, at most rowsMax. */
  public void forEach(String schemaId, int size, long fromMillis, long toMillis, int rowsMax, Consumer<Row> sink) {
    String sql = "SELECT " + COLUMNS + " FROM decision_features WHERE schema_id = ? AND occurred_at_millis >= ?"
        + " AND occurred_at_millis < ? ORDER BY occurred_at_millis, sequence";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, schemaId);
      ps.setLong(2, fromMillis);
      ps.setLong(3, toMillis);
      ps.setMaxRows(rowsMax);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) sink.accept(read(rs, size));
      }
    } catch (SQLException e) {
      throw new StorageException("reading decision features failed", e);
    }
  }

  /** Decisions a shadow model's comparison reads at most. */
  public static final int SHADOW_ROWS_MAX = 1_000;

  /** What the live and the shadow model said about one decision. */
  public record Comparison(long sequence, String decisionId, long occurredAtMillis, String modelId, Double probability,
      Double challengerProbability) {}

  /**
   * The newest decisions this shadow model scored (newest first, at most {@code rows}), with the
   * live model's probability beside it; reads the index on (challenger_id, sequence).
   */
  public List<Comparison> scoredByShadow(String challengerId, int rows) {
    if (rows < 1 || rows > SHADOW_ROWS_MAX) throw new IllegalArgumentException("rows must be 1 to " + SHADOW_ROWS_MAX);
    String sql = "SELECT sequence, decision_id, occurred_at_millis, model_id, probability, challenger_probability"
        + " FROM decision_features WHERE challenger_id = ? ORDER BY sequence DESC LIMIT ?";
    return io.vigil.server.storage.Sql.list(dataSource, sql, ps -> {
      ps.setString(1, challengerId);
      ps.setInt(2, rows);
    }, rs -> {
      double p = rs.getDouble(5);
      Double probability = rs.wasNull() ? null : p;
      double q = rs.getDouble(6);
      Double challenger = rs.wasNull() ? null : q;
      return new Comparison(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), probability, challenger);
    }, "reading shadow scores failed");
  }

  /** The vector stored with one decision, if any. */
  public java.util.Optional<Row> find(String decisionId, int size) {
    return io.vigil.server.storage.Sql.one(dataSource, "SELECT " + COLUMNS + " FROM decision_features WHERE decision_id = ?",
        ps -> ps.setString(1, decisionId), rs -> read(rs, size), "reading decision features failed");
  }

  private static Row read(ResultSet rs, int size) throws SQLException {
    double p = rs.getDouble(9);
    Double probability = rs.wasNull() ? null : p;
    double q = rs.getDouble(11);
    Double challenger = rs.wasNull() ? null : q;
    return new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getString(6),
        decode(rs.getString(7), size), rs.getString(8), probability, rs.getString(10), challenger);
  }
}
