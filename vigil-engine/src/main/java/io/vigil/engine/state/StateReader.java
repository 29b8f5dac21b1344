package io.vigil.engine.state;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads what a {@link StateWriter} wrote. Every count is checked against a bound before anything is
 * allocated, and a bad header or end mark is a {@link StateFormatException}: a damaged part fails
 * loudly, it is never read into a silently wrong state.
 */
public final class StateReader {
  /** The longest string a part may hold (identifiers are far shorter). */
  static final int STRING_BYTES_MAX = 1 << 20;
  private final DataInputStream in;

  public StateReader(InputStream in) {
    this.in = new DataInputStream(in);
  }

  /** Checks the part's name and returns its format version, which must be one the caller knows. */
  public int expectHeader(String part, int formatVersionMax) throws IOException {
    int magic = in.readInt();
    if (magic != StateWriter.MAGIC) throw new StateFormatException("not a state part (bad magic " + Integer.toHexString(magic) + ")");
    String name = readString();
    if (!part.equals(name)) throw new StateFormatException("expected part " + part + ", found " + name);
    int version = in.readInt();
    if (version < 1 || version > formatVersionMax) {
      throw new StateFormatException("part " + part + " has format version " + version + "; this build reads 1 to " + formatVersionMax);
    }
    return version;
  }

  /** Checks the end mark and that nothing follows it. */
  public void expectEnd() throws IOException {
    if (in.readInt() != ~StateWriter.MAGIC) throw new StateFormatException("the part does not end where it should");
    if (in.read() != -1) throw new StateFormatException("bytes follow the end of the part");
  }

  /** A count in [0, max]; anything else means the bytes are not what was written. */
  public int readCount(String what, long max) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > max) throw new StateFormatException(what + " count " + n + " is outside 0.." + max);
    return n;
  }

  public long readLongCount(String what, long max) throws IOException {
    long n = in.readLong();
    if (n < 0 || n > max) throw new StateFormatException(what + " " + n + " is outside 0.." + max);
    return n;
  }

  public int readInt() throws IOException {
    return in.readInt();
  }

  public long readLong() throws IOException {
    return in.readLong();
  }

  public short readShort() throws IOException {
    return in.readShort();
  }

  public byte readByte() throws IOException {
    return in.readByte();
  }

  public boolean readBoolean() throws IOException {
    return in.readBoolean();
  }

  public float readFloat() throws IOException {
    return in.readFloat();
  }

  public double readDouble() throws IOException {
    return in.readDouble();
  }

  public String readString() throws IOException {
    int n = in.readInt();
    if (n == -1) return null;
    if (n < 0 || n > STRING_BYTES_MAX) throw new StateFormatException("string length " + n + " is outside 0.." + STRING_BYTES_MAX);
    byte[] bytes = new byte[n];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** An enum constant by ordinal, checked. */
  public <E extends Enum<E>> E readEnum(E[] values) throws IOException {
    int i = in.readInt();
    if (i < 0 || i >= values.length) throw new StateFormatException("enum ordinal " + i + " is outside 0.." + (values.length - 1));
    return values[i];
  }

  public void readLongs(long[] into, int n) throws IOException {
    for (int i = 0; i < n; i++) into[i] = in.readLong();
  }
}
