package io.vigil.engine.model;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a model is and how it was made: recorded with every artifact and every decision it scores.
 *
 * @param modelId unique, e.g. {@code lgbm-20180808T000000Z}
 * @param format {@link #FORMAT_LIGHTGBM} or {@link #FORMAT_ONNX}
 * @param trainedAtMillis when training ran (the replay's simulated clock in a replay)
 * @param trainFromMillis first event time of the training rows (inclusive)
 * @param trainToMillis end of the training rows' event times (exclusive)
 * @param trainRows rows trained on; {@code trainPositives} of them fraud
 * @param params the training parameters, as text
 * @param metrics evaluation metrics measured before activation (e.g. validation AP)
 */
public record ModelMetadata(
    String modelId,
    String format,
    FeatureSchema schema,
    long trainedAtMillis,
    long trainFromMillis,
    long trainToMillis,
    long trainRows,
    long trainPositives,
    Map<String, String> params,
    Map<String, Double> metrics) {

  public static final String FORMAT_LIGHTGBM = "lightgbm-text";
  public static final String FORMAT_ONNX = "onnx";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  public ModelMetadata {
    if (modelId == null || !ID.matcher(modelId).matches()) throw new IllegalArgumentException("model id must match " + ID);
    if (!FORMAT_LIGHTGBM.equals(format) && !FORMAT_ONNX.equals(format)) throw new IllegalArgumentException("unknown model format");
    if (schema == null) throw new IllegalArgumentException("schema is required");
    if (trainRows < 0 || trainPositives < 0 || trainPositives > trainRows) throw new IllegalArgumentException("bad row counts");
    params = Map.copyOf(new TreeMap<>(params));
    metrics = Map.copyOf(new TreeMap<>(metrics));
  }

  public ModelMetadata withMetrics(Map<String, Double> newMetrics) {
    return new ModelMetadata(modelId, format, schema, trainedAtMillis, trainFromMillis, trainToMillis, trainRows,
        trainPositives, params, newMetrics);
  }
}
