package io.vigil.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An ONNX model trained "elsewhere": a logistic regression written as an ONNX graph
 * (MatMul → Add → Sigmoid), encoded here byte by byte in protobuf so that the test needs no Python.
 */
class OnnxModelTest {
  static final double[] WEIGHTS = {0.02, 1.5, 0.3, -0.7, 0.0};
  static final double BIAS = -4.0;

  static ModelMetadata metadata() {
    return new ModelMetadata("onnx-logreg", ModelMetadata.FORMAT_ONNX, SyntheticData.SCHEMA, 0, 0, 0, 0, 0, Map.of(), Map.of());
  }

  @Test
  void scoresLikeTheModelItEncodesAndSaysItHasNoContributions() {
    byte[] onnx = logisticRegression(WEIGHTS, BIAS);
    SyntheticData data = new SyntheticData(200, 3);
    ModelArtifact artifact = ModelArtifact.parse(new ModelArtifact(metadata(), onnx).toText());
    try (Model model = artifact.load()) {
      assertThat(model).isInstanceOf(OnnxModel.class);
      for (int i = 0; i < data.rows; i++) {
        double[] x = data.row(i);
        double z = BIAS;
        for (int f = 0; f < x.length; f++) z += WEIGHTS[f] * x[f];
        double expected = 1 / (1 + Math.exp(-z));
        assertThat(model.probability(x)).isCloseTo(expected, within(1e-5));
        if (expected > 1e-4 && expected < 1 - 1e-4) assertThat(model.margin(x)).isCloseTo(z, within(1e-2));
      }
      assertThat(model.supportsContributions()).isFalse();
      assertThatThrownBy(() -> model.explain(data.row(0))).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> model.probability(new double[2])).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void garbageIsRefusedWithAClearError() {
    assertThatThrownBy(() -> OnnxModel.fromBytes("not onnx".getBytes(StandardCharsets.UTF_8), metadata()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ONNX Runtime refused");
  }

  // ---- a minimal protobuf writer for onnx.proto (field numbers from onnx/onnx.proto3) ------------

  static byte[] logisticRegression(double[] w, double b) {
    int n = w.length;
    float[] wf = new float[n];
    for (int i = 0; i < n; i++) wf[i] = (float) w[i];
    Proto graph = new Proto()
        .message(1, node("input", "W", "z0", "MatMul"))
        .message(1, node("z0", "B", "z", "Add"))
        .message(1, new Proto().string(1, "z").string(2, "probabilities").string(4, "Sigmoid"))
        .string(2, "logreg")
        .message(5, tensor("W", new long[] {n, 1}, wf))
        .message(5, tensor("B", new long[] {1}, new float[] {(float) b}))
        .message(11, valueInfo("input", 1, n))
        .message(12, valueInfo("probabilities", 1, 1));
    return new Proto()
        .varint(1, 8) // ir_version
        .string(2, "vigil-test")
        .message(7, graph)
        .message(8, new Proto().string(1, "").varint(2, 13)) // opset 13
        .bytes();
  }

  static Proto node(String a, String b, String out, String op) {
    return new Proto().string(1, a).string(1, b).string(2, out).string(4, op);
  }

  static Proto tensor(String name, long[] dims, float[] values) {
    Proto t = new Proto();
    for (long d : dims) t.varint(1, d);
    t.varint(2, 1); // FLOAT
    ByteArrayOutputStream packed = new ByteArrayOutputStream();
    for (float v : values) {
      int bits = Float.floatToIntBits(v);
      for (int k = 0; k < 4; k++) packed.write((bits >>> (8 * k)) & 0xff);
    }
    t.raw(4, packed.toByteArray());
    return t.string(8, name);
  }

  static Proto valueInfo(String name, long rows, long cols) {
    Proto shape = new Proto().message(1, new Proto().varint(1, rows)).message(1, new Proto().varint(1, cols));
    Proto tensorType = new Proto().varint(1, 1).message(2, shape);
    return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
  }

  static final class Proto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Proto varint(int field, long value) {
      tag(field, 0);
      writeVarint(value);
      return this;
    }

    Proto string(int field, String s) {
      return raw(field, s.getBytes(StandardCharsets.UTF_8));
    }

    Proto message(int field, Proto m) {
      return raw(field, m.bytes());
    }

    Proto raw(int field, byte[] bytes) {
      tag(field, 2);
      writeVarint(bytes.length);
      out.writeBytes(bytes);
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    private void tag(int field, int wireType) {
      writeVarint(((long) field << 3) | wireType);
    }

    private void writeVarint(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }
  }
}
