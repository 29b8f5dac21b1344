package io.vigil.engine.signal.geo;

import io.vigil.engine.signal.ReferenceDataException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;

/**
 * The content lines of a UTF-8 reference text file: a {@code #} starts a comment that runs to
 * the end of the line, surrounding white space is dropped, blank lines are skipped. Every line,
 * blank or not, counts for line numbers in messages. Lines longer than {@link #LINE_CHARS_MAX}
 * and files with more than the caller's line limit are refused, so a wrong file (a binary, a
 * dump) fails fast instead of filling memory.
 */
final class TextLines implements AutoCloseable {
  /** Longest line accepted, in characters: an address, a name and a comment fit easily. */
  static final int LINE_CHARS_MAX = 1024;

  private final String component;
  private final String source;
  private final Reader reader;
  private final long linesMax;
  private final char[] line = new char[LINE_CHARS_MAX];
  private long lineNumber;
  private boolean ended;

  /**
   * @param source how messages name the text, e.g. its path
   * @param linesMax most lines read, blank and comment lines included
   */
  TextLines(String component, String source, Reader text, long linesMax) {
    assert linesMax > 0 : linesMax;
    this.component = component;
    this.source = source;
    this.reader = text instanceof BufferedReader ? text : new BufferedReader(text);
    this.linesMax = linesMax;
  }

  /** Opens a file as strict UTF-8; when digest is not null, every byte read also goes into it. */
  static TextLines open(String component, Path file, MessageDigest digest, long linesMax) throws ReferenceDataException {
    if (!Files.isRegularFile(file)) throw new ReferenceDataException(component, file + " is missing or not a regular file");
    try {
      InputStream in = Files.newInputStream(file);
      if (digest != null) in = new DigestInputStream(in, digest);
      var decoder = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
      return new TextLines(component, file.toString(), new InputStreamReader(in, decoder), linesMax);
    } catch (IOException e) {
      throw new ReferenceDataException(component, file + " cannot be read: " + e.getMessage(), e);
    }
  }

  /** The next content line, comment removed and stripped, or null at the end of the text. */
  String next() throws ReferenceDataException {
    while (!ended) {
      int length = readLine();
      if (length < 0) return null;
      String content = new String(line, 0, length);
      if (lineNumber == 1 && content.startsWith("\uFEFF")) content = content.substring(1);
      int hash = content.indexOf('#');
      if (hash >= 0) content = content.substring(0, hash);
      content = content.strip();
      if (!content.isEmpty()) return content;
    }
    return null;
  }

  /** Line number of the line {@link #next} returned last, from 1. */
  long lineNumber() {
    return lineNumber;
  }

  /** An error about the current line, naming the source and the line number. */
  ReferenceDataException error(String message) {
    return new ReferenceDataException(component, source + " line " + lineNumber + ": " + message);
  }

  /** An error about the whole text, naming the source. */
  ReferenceDataException errorInFile(String message) {
    return new ReferenceDataException(component, source + ": " + message);
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException ignored) {
      // Reading is over; nothing was written.
    }
  }

  /** Reads one line into {@link #line}; its length, or -1 at the end of the text. */
  private int readLine() throws ReferenceDataException {
    int length = 0;
    try {
      for (int c = reader.read(); ; c = reader.read()) {
        if (c < 0) {
          ended = true;
          return length == 0 ? -1 : countLine(length);
        }
        if (c == '\n') return countLine(length);
        if (c == '\r') continue;
        if (length == LINE_CHARS_MAX) {
          countLine(length);
          throw error("longer than " + LINE_CHARS_MAX + " characters (is this a text list?)");
        }
        line[length++] = (char) c;
      }
    } catch (IOException e) {
      throw new ReferenceDataException(component, source + " line " + (lineNumber + 1) + " cannot be read: " + e.getMessage(), e);
    }
  }

  private int countLine(int length) throws ReferenceDataException {
    lineNumber++;
    if (lineNumber > linesMax) throw errorInFile("more than " + linesMax + " lines");
    return length;
  }
}
