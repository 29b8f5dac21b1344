package io.vigil.server.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Valid ONNX models written byte by byte in protobuf (field numbers from onnx/onnx.proto3), so the
 * tests need no Python: a logistic regression (MatMul, Add, Sigmoid) over a number of features,
 * optionally padded with a large doc string to make a large, still loadable, upload.
 */
public final class OnnxFiles {
  private OnnxFiles() {}

  /** A model taking {@code features} floats and answering a probability; about {@code paddingBytes} larger than needed. */
  public static byte[] logisticRegression(int features, int paddingBytes) {
    float[] weights = new float[features];
    for (int i = 0; i < features; i++) weights[i] = 0.01f;
    Proto graph = new Proto()
        .message(1, node("input", "W", "z0", "MatMul"))
        .message(1, node("z0", "B", "z", "Add"))
        .message(1, new Proto().string(1, "z").string(2, "probabilities").string(4, "Sigmoid"))
        .string(2, "logreg")
        .message(5, tensor("W", new long[] {features, 1}, weights))
        .message(5, tensor("B", new long[] {1}, new float[] {-2f}))
        .message(11, valueInfo("input", 1, features))
        .message(12, valueInfo("probabilities", 1, 1));
    Proto model = new Proto()
        .varint(1, 8) // ir_version
        .string(2, "vigil-test")
        .message(7, graph)
        .message(8, new Proto().string(1, "").varint(2, 13)); // opset 13
    if (paddingBytes > 0) {
      byte[] doc = new byte[paddingBytes];
      Arrays.fill(doc, (byte) 'x');
      model.raw(6, doc); // doc_string
    }
    return model.bytes();
  }

  private static Proto node(String a, String b, String out, String op) {
    return new Proto().string(1, a).string(1, b).string(2, out).string(4, op);
  }

  private static Proto tensor(String name, long[] dims, float[] values) {
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

  private static Proto valueInfo(String name, long rows, long cols) {
    Proto shape = new Proto().message(1, new Proto().varint(1, rows)).message(1, new Proto().varint(1, cols));
    Proto tensorType = new Proto().varint(1, 1).message(2, shape);
    return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
  }

  private static final class Proto {
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
