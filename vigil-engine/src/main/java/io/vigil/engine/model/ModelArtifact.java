package io.vigil.engine.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model as data: its metadata and its body (LightGBM's model text, or ONNX bytes), in one UTF-8
 * text file that a registry stores, a reviewer can read and a server loads.
 *
 * <pre>
 * vigil-model-artifact 1
 * model_id=lgbm-20180808T000000Z
 * format=lightgbm-text
 * schema=vigil.payment@1
 * features=amount_major,hour_of_day,…
 * trained_at=2018-08-08T00:00:00Z
 * …
 * param.learning_rate=0.05
 * metric.validation_average_precision=0.71
 * ---
 * (LightGBM model text, or base64 of the ONNX file)
 * </pre>
 */
public record ModelArtifact(ModelMetadata metadata, byte[] body) {
  /** Largest artifact accepted: a 1,000-tree model text is a few MB. */
  public static final int BYTES_MAX = 256 * 1024 * 1024;
  private static final String MAGIC = "vigil-model-artifact 1";
  private static final String SEPARATOR = "\n---\n";

  public ModelArtifact {
    if (body == null || body.length == 0 || body.length > BYTES_MAX) throw new IllegalArgumentException("artifact body must be 1 B - 256 MiB");
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  /** Loads the model (native memory: close it when done). */
  public Model load() {
    return ModelMetadata.FORMAT_LIGHTGBM.equals(metadata.format())
        ? LightGbmModel.fromText(new String(body, StandardCharsets.UTF_8), metadata)
        : OnnxModel.fromBytes(body, metadata);
  }

  public String toText() {
    String text = ModelMetadata.FORMAT_ONNX.equals(metadata.format())
        ? Base64.getEncoder().encodeToString(body) : new String(body, StandardCharsets.UTF_8);
    return header(metadata) + text;
  }

  /**
   * The artifact's text before its body, up to and including the {@code ---} line: with the body's
   * text appended (base64 for ONNX), it is {@link #toText()}, so a large body can be written after
   * it piece by piece.
   */
  public static String header(ModelMetadata m) {
    Map<String, String> header = new LinkedHashMap<>();
    header.put("model_id", m.modelId());
    header.put("format", m.format());
    header.put("schema", m.schema().id());
    header.put("features", String.join(",", m.schema().featureNames()));
    header.put("trained_at", Instant.ofEpochMilli(m.trainedAtMillis()).toString());
    header.put("train_from", Instant.ofEpochMilli(m.trainFromMillis()).toString());
    header.put("train_to", Instant.ofEpochMilli(m.trainToMillis()).toString());
    header.put("train_rows", Long.toString(m.trainRows()));
    header.put("train_positives", Long.toString(m.trainPositives()));
    m.params().forEach((k, v) -> header.put("param." + k, v));
    m.metrics().forEach((k, v) -> header.put("metric." + k, Double.toString(v)));
    StringBuilder out = new StringBuilder(MAGIC).append('\n');
    header.forEach((k, v) -> {
      if (v.indexOf('\n') >= 0 || k.indexOf('=') >= 0) throw new IllegalArgumentException("artifact header " + k + " has a newline or '='");
      out.append(k).append('=').append(v).append('\n');
    });
    return out.append("---\n").toString();
  }

  public static ModelArtifact parse(String text) {
    if (!text.startsWith(MAGIC + "\n")) throw new IllegalArgumentException("not a vigil model artifact (first line must be '" + MAGIC + "')");
    int split = text.indexOf(SEPARATOR);
    if (split < 0) throw new IllegalArgumentException("artifact has no '---' line before the model body");
    Map<String, String> h = new LinkedHashMap<>();
    Map<String, String> params = new LinkedHashMap<>();
    Map<String, Double> metrics = new LinkedHashMap<>();
    for (String line : text.substring(MAGIC.length() + 1, split).split("\n")) {
      int eq = line.indexOf('=');
      if (eq <= 0) throw new IllegalArgumentException("artifact header line without key=value");
      String k = line.substring(0, eq), v = line.substring(eq + 1);
      if (k.startsWith("param.")) params.put(k.substring(6), v);
      else if (k.startsWith("metric.")) metrics.put(k.substring(7), Double.parseDouble(v));
      else h.put(k, v);
    }
    FeatureSchema schema = FeatureSchema.of(require(h, "schema"), List.of(require(h, "features").split(",")));
    ModelMetadata m = new ModelMetadata(require(h, "model_id"), require(h, "format"), schema,
        Instant.parse(require(h, "trained_at")).toEpochMilli(), Instant.parse(require(h, "train_from")).toEpochMilli(),
        Instant.parse(require(h, "train_to")).toEpochMilli(), Long.parseLong(require(h, "train_rows")),
        Long.parseLong(require(h, "train_positives")), params, metrics);
    String body = text.substring(split + SEPARATOR.length());
    return new ModelArtifact(m, ModelMetadata.FORMAT_ONNX.equals(m.format())
        ? Base64.getMimeDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8));
  }

  private static String require(Map<String, String> header, String key) {
    String v = header.get(key);
    if (v == null) throw new IllegalArgumentException("artifact header lacks " + key);
    return v;
  }

  public void write(Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, toText(), StandardCharsets.UTF_8);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  public static ModelArtifact read(Path file) throws IOException {
    if (Files.size(file) > BYTES_MAX * 2L) throw new IOException("artifact " + file + " is larger than 512 MiB");
    return parse(Files.readString(file, StandardCharsets.UTF_8));
  }
}
