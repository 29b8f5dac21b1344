package io.vigil.engine.state;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory output of any size in chunks of {@value #CHUNK_BYTES} bytes: the sequencer
 * serializes the state into it (no copy when it grows, no 2 GiB limit of one array), and a
 * background thread writes it to disk. Written by one thread, then handed over and only read.
 */
public final class StateBuffer extends OutputStream {
  static final int CHUNK_BYTES = 1 << 20;
  private final List<byte[]> chunks = new ArrayList<>();
  private byte[] current;
  private int position = CHUNK_BYTES;
  private long size;

  @Override
  public void write(int b) {
    if (position == CHUNK_BYTES) nextChunk();
    current[position++] = (byte) b;
    size++;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    while (len > 0) {
      if (position == CHUNK_BYTES) nextChunk();
      int n = Math.min(len, CHUNK_BYTES - position);
      System.arraycopy(b, off, current, position, n);
      position += n;
      off += n;
      len -= n;
      size += n;
    }
  }

  private void nextChunk() {
    current = new byte[CHUNK_BYTES];
    chunks.add(current);
    position = 0;
  }

  public long size() {
    return size;
  }

  /** Writes everything to {@code out}. */
  public void writeTo(OutputStream out) throws IOException {
    long left = size;
    for (byte[] chunk : chunks) {
      int n = (int) Math.min(left, CHUNK_BYTES);
      out.write(chunk, 0, n);
      left -= n;
    }
  }

  /** The bytes written, as a stream (for tests and in-memory restores). */
  public InputStream inputStream() {
    return new InputStream() {
      private long read;

      @Override
      public int read() {
        if (read == size) return -1;
        byte b = chunks.get((int) (read / CHUNK_BYTES))[(int) (read % CHUNK_BYTES)];
        read++;
        return b & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (len == 0) return 0;
        if (read == size) return -1;
        int chunkOffset = (int) (read % CHUNK_BYTES);
        int n = (int) Math.min(Math.min(len, CHUNK_BYTES - chunkOffset), size - read);
        System.arraycopy(chunks.get((int) (read / CHUNK_BYTES)), chunkOffset, b, off, n);
        read += n;
        return n;
      }
    };
  }
}
