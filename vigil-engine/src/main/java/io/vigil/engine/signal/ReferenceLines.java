package io.vigil.engine.signal;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Reads a line-oriented reference file (CSV or one value per line) with a limit on every line's
 * length and on the number of lines, counting line numbers for error messages and hashing the
 * content for {@link #version()}.
 *
 * <p>{@link #nextDataLine()} skips blank lines and {@code #} comment lines and trims the rest; with
 * {@link #stripTrailingComments()} a {@code #} anywhere starts a comment (for lists, never for CSV
 * whose fields may hold a {@code #}). A UTF-8 byte-order mark at the start is ignored. Lines end in
 * {@code \n} or {@code \r\n}. {@link #open} reads a file as strict UTF-8;
 * {@link #digestContentInto} shares one hash among several files. Not thread-safe: one loader uses
 * one instance.
 */
public final class ReferenceLines implements AutoCloseable {
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
  /** Null unless {@link #digestContentInto} was called. */
  private MessageDigest contentDigest;
  private boolean trailingComments;
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

  /**
   * Reads a file as strict UTF-8 (a malformed byte is an error, not a U+FFFD); messages name the
   * file by its path. {@link #close()} closes the file.
   */
  public static ReferenceLines open(Path file, String component, int lineCharsMax, long linesMax) throws ReferenceDataException {
    return new ReferenceLines(openUtf8(file, component), component, file.toString(), lineCharsMax, linesMax);
  }

  /** The reader {@link #open} uses: strict UTF-8, unbuffered (this class reads in blocks). */
  public static Reader openUtf8(Path file, String component) throws ReferenceDataException {
    Objects.requireNonNull(file, "file");
    if (!Files.isRegularFile(file)) throw new ReferenceDataException(component, file + " is missing or not a regular file");
    try {
      var decoder = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
      return new InputStreamReader(Files.newInputStream(file), decoder);
    } catch (IOException e) {
      throw new ReferenceDataException(component, file + " cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * From now on {@link #nextDataLine()} also drops everything from a {@code #} to the end of the
   * line. Off by default: a CSV field (an issuer, an operator name) may hold a {@code #}.
   */
  public ReferenceLines stripTrailingComments() {
    if (lineNumber != 0) throw new IllegalStateException("set options before the first line");
    trailingComments = true;
    return this;
  }

  /**
   * Also feeds the text, exactly as read (UTF-8; byte-order mark, {@code \r}, comments and blank
   * lines included), into digest, which the caller may share among several readers for one
   * version of several files. For a well-formed UTF-8 file these are the file's bytes.
   */
  public ReferenceLines digestContentInto(MessageDigest digest) {
    if (lineNumber != 0) throw new IllegalStateException("set options before the first line");
    this.contentDigest = Objects.requireNonNull(digest, "digest");
    return this;
  }

  /**
   * The next line that is neither blank nor a {@code #} comment, trimmed (and cut at its first
   * {@code #} with {@link #stripTrailingComments()}); null at the end.
   */
  public String nextDataLine() throws ReferenceDataException {
    // Bounded: nextLine() fails once more than linesMax lines have been read.
    while (true) {
      String raw = nextLine();
      if (raw == null) return null;
      int comment = trailingComments ? raw.indexOf('#') : -1;
      String trimmed = (comment < 0 ? raw : raw.substring(0, comment)).strip();
      if (trimmed.isEmpty() || trimmed.charAt(0) == '#') continue;
      assert !trailingComments || trimmed.indexOf('#') < 0;
      return trimmed;
    }
  }

  /** The next line without its terminator ({@code \n} or {@code \r\n}); null at the end. */
  public String nextLine() throws ReferenceDataException {
    if (ended) return null;
    line.setLength(0);
    boolean sawAny = false;
    boolean terminated = false;
    while (true) {
      if (bufferPos == bufferEnd && !fill()) {
        ended = true;
        if (!sawAny) return null;
        break;
      }
      sawAny = true;
      char c = buffer[bufferPos++];
      if (c == '\n') {
        terminated = true;
        break;
      }
      // One character past the limit is held only if it is the '\r' of a "\r\n" ending.
      if (line.length() > lineCharsMax || (line.length() == lineCharsMax && c != '\r')) {
        lineNumber++;
        throw error("line is longer than " + lineCharsMax + " characters");
      }
      line.append(c);
    }
    lineNumber++;
    if (lineNumber > linesMax) throw error("more than " + linesMax + " lines");
    if (contentDigest != null) {
      contentDigest.update(line.toString().getBytes(StandardCharsets.UTF_8));
      if (terminated) contentDigest.update((byte) '\n');
    }
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
    } catch (CharacterCodingException e) {
      throw new ReferenceDataException(component, sourceName + ": not UTF-8 text"
          + (lineNumber > 0 ? " after line " + lineNumber : "") + ": " + e.getMessage(), e);
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

  /** Closes the reader: the file for {@link #open}, else the caller's reader. */
  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException ignored) {
      // Reading is over and nothing was written: a failed close loses nothing.
    }
  }
}
