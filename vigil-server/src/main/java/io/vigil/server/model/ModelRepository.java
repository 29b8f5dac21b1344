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
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Model artifacts with their metadata and role: {@code live} (at most one), {@code shadow} (at
 * most one) or {@code inactive}. An artifact's text is a file of {@link ModelFiles}, written and
 * forced to the disk before the model's row, which names it by its SHA-256, is inserted; rows
 * stored before that keep their text in chunks ({@code model_chunks}), still read.
 */
public final class ModelRepository {
  public static final String LIVE = "live";
  public static final String SHADOW = "shadow";
  public static final String INACTIVE = "inactive";
  /** Bytes of a file-borne body per piece written: a multiple of 3, so that the base64 pieces join without padding. */
  static final int PIECE_BYTES = 375_000;
  private final DataSource dataSource;
  private final ModelFiles files;

  public ModelRepository(DataSource dataSource, ModelFiles files) {
    this.dataSource = dataSource;
    this.files = files;
  }

  /** A stored model without its body. */
  public record Summary(String modelId, String format, String metadataJson, String role, long createdAtMillis, String createdBy) {}

  public void insert(ModelArtifact artifact, String metadataJson, String actor, long createdAtMillis) {
    String text = artifact.toText();
    insert(artifact.metadata(), metadataJson, actor, createdAtMillis, sink -> sink.accept(text));
  }

  /**
   * Stores an ONNX model whose body is a file: the artifact's header, then the body's base64 a
   * piece at a time, so that no more than one piece of it is in memory.
   */
  public void insertOnnx(ModelMetadata metadata, String metadataJson, Path body, String actor, long createdAtMillis) {
    insert(metadata, metadataJson, actor, createdAtMillis, sink -> {
      sink.accept(ModelArtifact.header(metadata));
      Base64.Encoder base64 = Base64.getEncoder();
      try (InputStream in = Files.newInputStream(body)) {
        for (byte[] piece; (piece = in.readNBytes(PIECE_BYTES)).length > 0; ) sink.accept(base64.encodeToString(piece));
      }
    });
  }

  /** The file first (durable), then one small row that names it: the database never holds the body. */
  private void insert(ModelMetadata metadata, String metadataJson, String actor, long createdAtMillis, ModelFiles.TextWriter body) {
    if (find(metadata.modelId()).isPresent()) throw exists();
    ModelFiles.Stored stored;
    try {
      stored = files.write(body);
    } catch (IOException e) {
      throw new StorageException("writing a model's file failed", e);
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO models (model_id, format, metadata, role, created_at_millis,"
            + " created_by, body_sha256, body_bytes) VALUES (?,?,?,?,?,?,?,?)")) {
      ps.setString(1, metadata.modelId());
      ps.setString(2, metadata.format());
      ps.setString(3, metadataJson);
      ps.setString(4, INACTIVE);
      ps.setLong(5, createdAtMillis);
      ps.setString(6, actor);
      ps.setString(7, stored.sha256());
      ps.setLong(8, stored.bytes());
      ps.executeUpdate();
    } catch (SQLException e) {
      deleteIfUnreferenced(stored.sha256());
      if (Sql.isConstraintViolation(e)) throw exists();
      throw new StorageException("storing a model failed", e);
    }
  }

  private static ApiException exists() {
    return ApiException.conflict("invalid_request_error", "model_exists", "A model with this id exists", "model_id");
  }

  /** After a refused insert; when the database cannot tell, the file stays until the next start-up's clean-up. */
  private void deleteIfUnreferenced(String sha256) {
    try {
      if (!referenced().contains(sha256)) files.deleteQuietly(sha256);
    } catch (StorageException e) {
      // left for the start-up clean-up
    }
  }

  /** The file names the stored rows hold. */
  private Set<String> referenced() {
    return new HashSet<>(Sql.list(dataSource, "SELECT body_sha256 FROM models WHERE body_sha256 IS NOT NULL", Sql.Binder.NONE,
        rs -> rs.getString(1), "reading the models' files failed"));
  }

  /** Deletes the model files that no row names: what a store interrupted between the file and its row left. */
  public void deleteUnreferencedFiles() {
    files.deleteUnreferenced(referenced());
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

  /**
   * A stored model's artifact, from its file (checked against its SHA-256) or, for a row stored
   * before files, its chunks. A missing or damaged file is an {@link IllegalStateException}.
   */
  public ModelArtifact artifact(String modelId) {
    Optional<ModelFiles.Stored> row = Sql.one(dataSource, "SELECT body_sha256, body_bytes FROM models WHERE model_id = ?",
        ps -> ps.setString(1, modelId), rs -> new ModelFiles.Stored(rs.getString(1), rs.getLong(2)), "reading a model failed");
    if (row.isPresent() && row.get().sha256() != null) return files.read(row.get().sha256(), row.get().bytes());
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
