package io.vigil.engine.state;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes one part of a checkpoint of the engine's state: big-endian primitives
 * ({@link DataOutputStream}), strings as UTF-8 with a length (−1 for null), and a header naming the
 * part and its format version, so that a reader refuses a part it does not know instead of
 * misreading it. Each state class writes its own fields ({@code writeTo(StateWriter)}) and reads
 * them back in the same order ({@code readFrom(StateReader)}).
 */
public final class StateWriter {
  /** "VGST": the first four bytes of every part. */
  static final int MAGIC = 0x56475354;
  private final DataOutputStream out;

  public StateWriter(OutputStream out) {
    this.out = new DataOutputStream(out);
  }

  /** The part's name and format version; {@link StateReader#expectHeader} checks both. */
  public void header(String part, int formatVersion) throws IOException {
    out.writeInt(MAGIC);
    writeString(part);
    out.writeInt(formatVersion);
  }

  /** Closes a part: a reader checks that it ends here, so a truncated part is never taken for a whole one. */
  public void end() throws IOException {
    out.writeInt(~MAGIC);
    out.flush();
  }

  public void writeInt(int v) throws IOException {
    out.writeInt(v);
  }

  public void writeLong(long v) throws IOException {
    out.writeLong(v);
  }

  public void writeShort(short v) throws IOException {
    out.writeShort(v);
  }

  public void writeByte(byte v) throws IOException {
    out.writeByte(v);
  }

  public void writeBoolean(boolean v) throws IOException {
    out.writeBoolean(v);
  }

  public void writeFloat(float v) throws IOException {
    out.writeFloat(v);
  }

  public void writeDouble(double v) throws IOException {
    out.writeDouble(v);
  }

  /** UTF-8 bytes with their count; null as −1. */
  public void writeString(String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  /** The first {@code n} values, without their count (the caller writes it once for parallel arrays). */
  public void writeLongs(long[] values, int n) throws IOException {
    for (int i = 0; i < n; i++) out.writeLong(values[i]);
  }

  public void flush() throws IOException {
    out.flush();
  }
}
