package io.vigil.engine.signal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Reads a line-oriented reference file (CSV or one value per line) with a limit on every line's
 * length and on the number of lines, counting line numbers for error messages and hashing the
 * content for {@link #version()}.
 *
 * <p>{@link #nextDataLine()} skips blank lines and {@code #} comment lines and trims the rest. A
 * UTF-8 byte-order mark at the start is ignored. Not thread-safe: one loader uses one instance.
 */
public final class ReferenceLines {
  /** Characters read from the underlying reader at a time. */
  private static final int BUFFER_CHARS = 8_192;

  /** Hex digits of the content hash that {@link #version()} returns (64 bits). */
  public static final int VERSION_HEX_CHARS = 16;

  private final Reader reader;
  private final String component;
  private final String sourceName;
  private final int lineCharsMax;
  private final long linesMax;
  private final char[] buffer = new char[BUFFER_CHARS];
  private final StringBuilder line;
  private final MessageDigest digest;
  private int bufferEnd;
  private int bufferPos;
  private long lineNumber;
  private boolean ended;

  /**
   * @param component the reference-data name put in every {@link ReferenceDataException}
   * @param sourceName the file name put in every message
   * @param lineCharsMax longest line accepted, terminator excluded
   * @param linesMax most lines accepted, comments and blank lines included
   */
  public ReferenceLines(Reader reader, String component, String sourceName, int lineCharsMax, long linesMax) {
    this.reader = Objects.requireNonNull(reader, "reader");
    this.component = Objects.requireNonNull(component, "component");
    this.sourceName = Objects.requireNonNull(sourceName, "sourceName");
    if (lineCharsMax <= 0) throw new IllegalArgumentException("lineCharsMax must be positive");
    if (linesMax <= 0) throw new IllegalArgumentException("linesMax must be positive");
    this.lineCharsMax = lineCharsMax;
    this.linesMax = linesMax;
    this.line = new StringBuilder(Math.min(lineCharsMax, 256));
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The next line that is neither blank nor a {@code #} comment, trimmed; null at the end. */
  public String nextDataLine() throws ReferenceDataException {
    // Bounded: nextLine() fails once more than linesMax lines have been read.
    while (true) {
      String raw = nextLine();
      if (raw == null) return null;
      String trimmed = raw.strip();
      if (trimmed.isEmpty() || trimmed.charAt(0) == '#') continue;
      return trimmed;
    }
  }

  /** The next line without its terminator ({@code \n} or {@code \r\n}); null at the end. */
  public String nextLine() throws ReferenceDataException {
    if (ended) return null;
    line.setLength(0);
    boolean sawAny = false;
    while (true) {
      if (bufferPos == bufferEnd && !fill()) {
        ended = true;
        if (!sawAny) return null;
        break;
      }
      sawAny = true;
      char c = buffer[bufferPos++];
      if (c == '\n') break;
      if (line.length() == lineCharsMax) {
        lineNumber++;
        throw error("line is longer than " + lineCharsMax + " characters");
      }
      line.append(c);
    }
    lineNumber++;
    if (lineNumber > linesMax) throw error("more than " + linesMax + " lines");
    if (line.length() > 0 && line.charAt(line.length() - 1) == '\r') line.setLength(line.length() - 1);
    if (lineNumber == 1 && line.length() > 0 && line.charAt(0) == '\uFEFF') line.deleteCharAt(0);
    String text = line.toString();
    digest.update(text.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) '\n');
    assert text.length() <= lineCharsMax;
    return text;
  }

  private boolean fill() throws ReferenceDataException {
    try {
      int n = 0;
      // A Reader may return 0 only for a zero-length request; the loop guards against odd readers.
      for (int attempt = 0; attempt < 1_000 && n == 0; attempt++) n = reader.read(buffer, 0, buffer.length);
      if (n <= 0) return false;
      bufferPos = 0;
      bufferEnd = n;
      return true;
    } catch (IOException e) {
      throw new ReferenceDataException(component, sourceName + ": cannot read after line " + lineNumber + ": " + e.getMessage(), e);
    }
  }

  /** The number of the line last returned (1-based); 0 before the first. */
  public long lineNumber() {
    return lineNumber;
  }

  /** An exception for the line last returned: "SOURCE line N: MESSAGE". */
  public ReferenceDataException error(String message) {
    return new ReferenceDataException(component, sourceName + " line " + lineNumber + ": " + message);
  }

  /** An exception about the file as a whole: "SOURCE: MESSAGE". */
  public ReferenceDataException fileError(String message) {
    return new ReferenceDataException(component, sourceName + ": " + message);
  }

  /**
   * The first {@link #VERSION_HEX_CHARS} hex digits of the SHA-256 of every line read so far
   * (normalized to {@code \n} endings). Call once, after the last line: it ends the hash.
   */
  public String version() {
    return HexFormat.of().formatHex(digest.digest()).substring(0, VERSION_HEX_CHARS);
  }

  public String sourceName() {
    return sourceName;
  }
}
