package io.vigil.engine.model;

import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A model trained elsewhere (scikit-learn, XGBoost, a network …) and exported to ONNX, scored with
 * ONNX Runtime (CPU, one intra-op thread). The graph takes one float tensor {@code [1, features]} in
 * schema order and yields the fraud probability: a {@code [1, 2]} or {@code [1, 1]} float tensor, or
 * scikit-learn's ZipMap sequence. Which output is used: {@code params["onnx.output"]} if set, else an
 * output named {@code probabilities}, else the last one. {@code params["onnx.output_kind"] = margin}
 * declares that the output is a log-odds instead of a probability.
 *
 * <p><b>No contributions.</b> ONNX Runtime has no generic tree-SHAP; {@link #supportsContributions()}
 * is false and {@link #explain} throws. Decisions scored by an ONNX model carry the probability but
 * no per-feature explanation (the rules' reasons still explain the decision).
 */
public final class OnnxModel implements Model {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final ModelMetadata metadata;
  private final String inputName;
  private final String outputName;
  private final boolean outputIsMargin;
  private final int featureCount;

  private OnnxModel(OrtEnvironment env, OrtSession session, ModelMetadata metadata, String inputName, String outputName,
      boolean outputIsMargin) {
    this.env = env;
    this.session = session;
    this.metadata = metadata;
    this.inputName = inputName;
    this.outputName = outputName;
    this.outputIsMargin = outputIsMargin;
    this.featureCount = metadata.schema().size();
  }

  /** How a session is made: from bytes in memory, or from a file that ONNX Runtime reads itself. */
  private interface SessionSource {
    OrtSession open(OrtEnvironment env, OrtSession.SessionOptions options) throws OrtException;
  }

  public static OnnxModel fromBytes(byte[] onnx, ModelMetadata metadata) {
    return open((env, options) -> env.createSession(onnx, options), metadata);
  }

  /** Loads the model from a file without copying it into the Java heap. */
  public static OnnxModel fromFile(Path onnx, ModelMetadata metadata) {
    return open((env, options) -> env.createSession(onnx.toString(), options), metadata);
  }

  private static OnnxModel open(SessionSource source, ModelMetadata metadata) {
    if (!ModelMetadata.FORMAT_ONNX.equals(metadata.format())) throw new IllegalArgumentException("not an ONNX artifact");
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession session = null;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      session = source.open(env, options);
      if (session.getInputNames().size() != 1) throw new IllegalArgumentException("the ONNX graph must take exactly one input");
      String input = session.getInputNames().iterator().next();
      List<String> outputs = List.copyOf(session.getOutputNames());
      String output = metadata.params().get("onnx.output");
      if (output == null) output = outputs.contains("probabilities") ? "probabilities" : outputs.get(outputs.size() - 1);
      if (!outputs.contains(output)) throw new IllegalArgumentException("the ONNX graph has no output '" + output + "'");
      boolean margin = "margin".equals(metadata.params().get("onnx.output_kind"));
      return new OnnxModel(env, session, metadata, input, output, margin);
    } catch (OrtException e) {
      closeQuietly(session);
      throw new IllegalArgumentException("ONNX Runtime refused the model: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(session);
      throw e;
    }
  }

  @Override
  public ModelMetadata metadata() {
    return metadata;
  }

  @Override
  public double margin(double[] features) {
    double out = run(features);
    return outputIsMargin ? out : Model.logit(out);
  }

  @Override
  public double probability(double[] features) {
    double out = run(features);
    return outputIsMargin ? Model.sigmoid(out) : out;
  }

  private double run(double[] features) {
    if (features.length != featureCount) throw new IllegalArgumentException("vector must have " + featureCount + " values");
    float[][] x = new float[1][featureCount];
    for (int i = 0; i < featureCount; i++) x[0][i] = (float) features[i];
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, x);
        OrtSession.Result result = session.run(Map.of(inputName, tensor), java.util.Set.of(outputName))) {
      return positiveClass(result.get(0));
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime prediction failed: " + e.getMessage(), e);
    }
  }

  private static double positiveClass(OnnxValue value) throws OrtException {
    Object v = value.getValue();
    if (v instanceof float[][] m) return m[0][m[0].length - 1];
    if (v instanceof double[][] m) return m[0][m[0].length - 1];
    if (v instanceof float[] a) return a[a.length - 1];
    if (v instanceof double[] a) return a[a.length - 1];
    if (value instanceof OnnxSequence seq) {
      Object first = seq.getValue().get(0);
      if (first instanceof OnnxMap map) {
        Map<?, ?> probabilities = map.getValue();
        Object p = probabilities.containsKey(1L) ? probabilities.get(1L) : probabilities.get("1");
        if (p instanceof Number n) return n.doubleValue();
      }
    }
    throw new IllegalStateException("ONNX output is neither a probability tensor nor a ZipMap of class 1");
  }

  @Override
  public boolean supportsContributions() {
    return false;
  }

  @Override
  public Explanation explain(double[] features) {
    throw new UnsupportedOperationException("ONNX models give no per-feature contributions (model " + metadata.modelId() + ")");
  }

  @Override
  public void close() {
    closeQuietly(session);
  }

  private static void closeQuietly(OrtSession session) {
    if (session == null) return;
    try {
      session.close();
    } catch (OrtException e) {
      // Nothing more to do: the session is unusable either way.
    }
  }
}
