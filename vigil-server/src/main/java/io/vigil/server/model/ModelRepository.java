package io.vigil.server.model;

import io.vigil.engine.model.ModelArtifact;
import io.vigil.engine.model.ModelMetadata;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.TimeCursor;
import io.vigil.server.journal.StorageException;
import io.vigil.server.storage.Sql;
import io.vigil.server.storage.Sql.TimeOrder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Model artifacts with their metadata and role: {@code live} (at most one), {@code shadow} (at
 * most one) or {@code inactive}. The artifact text is stored in chunks, in one transaction.
 */
public final class ModelRepository {
  public static final String LIVE = "live";
  public static final String SHADOW = "shadow";
  public static final String INACTIVE = "inactive";
  static final int CHUNK_CHARS = 500_000;
  /** Bytes of a file-borne body per chunk: their base64 is exactly {@link #CHUNK_CHARS} characters. */
  static final int CHUNK_BYTES = CHUNK_CHARS / 4 * 3;
  private final DataSource dataSource;

  public ModelRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A stored model without its body. */
  public record Summary(String modelId, String format, String metadataJson, String role, long createdAtMillis, String createdBy) {}

  /** Writes a model's text, chunk by chunk, to the chunks statement. */
  private interface ChunkWriter {
    void write(ChunkSink sink) throws SQLException, IOException;
  }

  private interface ChunkSink {
    void accept(String chunk) throws SQLException;
  }

  public void insert(ModelArtifact artifact, String metadataJson, String actor, long createdAtMillis) {
    String text = artifact.toText();
    insert(artifact.metadata(), metadataJson, actor, createdAtMillis, sink -> {
      for (int i = 0; i < text.length(); i += CHUNK_CHARS) sink.accept(text.substring(i, Math.min(text.length(), i + CHUNK_CHARS)));
    });
  }

  /**
   * Stores an ONNX model whose body is a file: the artifact's header, then the body's base64 a
   * chunk at a time, so that no more than one chunk of it is in memory.
   */
  public void insertOnnx(ModelMetadata metadata, String metadataJson, Path body, String actor, long createdAtMillis) {
    insert(metadata, metadataJson, actor, createdAtMillis, sink -> {
      sink.accept(ModelArtifact.header(metadata));
      Base64.Encoder base64 = Base64.getEncoder();
      try (InputStream in = Files.newInputStream(body)) {
        for (byte[] piece; (piece = in.readNBytes(CHUNK_BYTES)).length > 0; ) sink.accept(base64.encodeToString(piece));
      }
    });
  }

  private void insert(ModelMetadata metadata, String metadataJson, String actor, long createdAtMillis, ChunkWriter body) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO models (model_id, format, metadata, role, created_at_millis,"
            + " created_by) VALUES (?,?,?,?,?,?)")) {
          ps.setString(1, metadata.modelId());
          ps.setString(2, metadata.format());
          ps.setString(3, metadataJson);
          ps.setString(4, INACTIVE);
          ps.setLong(5, createdAtMillis);
          ps.setString(6, actor);
          ps.executeUpdate();
        }
        // One statement per chunk, not a batch: a batch would hold every chunk until it runs.
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO model_chunks (model_id, chunk, body) VALUES (?,?,?)")) {
          int[] chunk = {0};
          body.write(text -> {
            ps.setString(1, metadata.modelId());
            ps.setInt(2, chunk[0]++);
            ps.setString(3, text);
            ps.executeUpdate();
          });
        }
        c.commit();
      } catch (IOException e) {
        c.rollback();
        throw new StorageException("reading an uploaded model failed", e);
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        if (e instanceof SQLException sql && Sql.isConstraintViolation(sql)) {
          throw ApiException.conflict("invalid_request_error", "model_exists", "A model with this id exists",
              "model_id");
        }
        throw e;
      }
    } catch (SQLException e) {
      throw new StorageException("storing a model failed", e);
    }
  }

  /** Models newest first (then by id), after the cursor when given; at most rows. */
  public List<Summary> list(TimeCursor after, int rows) {
    String sql = "SELECT model_id, format, metadata, role, created_at_millis, created_by FROM models"
        + (after == null ? "" : " WHERE " + Sql.startingAfter("created_at_millis", "model_id", TimeOrder.NEWEST_FIRST))
        + Sql.orderBy("created_at_millis", "model_id", TimeOrder.NEWEST_FIRST) + " LIMIT ?";
    return Sql.list(dataSource, sql, ps -> {
      int i = 1;
      if (after != null) i = Sql.bindStartingAfter(ps, i, after);
      ps.setInt(i, rows);
    }, ModelRepository::summary, "listing models failed");
  }

  public Optional<Summary> find(String modelId) {
    return Sql.one(dataSource, "SELECT model_id, format, metadata, role, created_at_millis, created_by FROM models WHERE model_id = ?",
        ps -> ps.setString(1, modelId), ModelRepository::summary, "reading a model failed");
  }

  public Optional<Summary> withRole(String role) {
    return Sql.one(dataSource, "SELECT model_id, format, metadata, role, created_at_millis, created_by FROM models WHERE role = ?",
        ps -> ps.setString(1, role), ModelRepository::summary, "reading a model failed");
  }

  public ModelArtifact artifact(String modelId) {
    List<String> chunks = Sql.list(dataSource, "SELECT body FROM model_chunks WHERE model_id = ? ORDER BY chunk",
        ps -> ps.setString(1, modelId), rs -> rs.getString(1), "reading a model failed");
    if (chunks.isEmpty()) throw new StorageException("model " + modelId + " has no stored body", null);
    return ModelArtifact.parse(String.join("", chunks));
  }

  /**
   * Gives a model a role in one transaction: the model that held {@code live} or {@code shadow}
   * before becomes {@code inactive}.
   */
  public void setRole(String modelId, String role) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        if (!INACTIVE.equals(role)) {
          try (PreparedStatement ps = c.prepareStatement("UPDATE models SET role = ? WHERE role = ? AND model_id <> ?")) {
            ps.setString(1, INACTIVE);
            ps.setString(2, role);
            ps.setString(3, modelId);
            ps.executeUpdate();
          }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE models SET role = ? WHERE model_id = ?")) {
          ps.setString(1, role);
          ps.setString(2, modelId);
          ps.executeUpdate();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StorageException("changing a model's role failed", e);
    }
  }

  private static Summary summary(ResultSet rs) throws SQLException {
    return new Summary(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getString(6));
  }
}
