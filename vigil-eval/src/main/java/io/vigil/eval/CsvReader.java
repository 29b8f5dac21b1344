package io.vigil.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A plain CSV reader for machine-written files (gzip when the name ends in {@code .gz}): a header line,
 * then one record per line, fields separated by commas, no quoting. A quoted field or a line over
 * {@link #LINE_CHARS_MAX} is refused with its line number rather than guessed at.
 */
final class CsvReader implements AutoCloseable {
  static final int LINE_CHARS_MAX = 64 * 1024;
  static final int COLUMNS_MAX = 512;

  private final BufferedReader reader;
  private final Map<String, Integer> columns = new HashMap<>();
  private final String[] fields;
  private long lineNumber;

  CsvReader(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    if (file.getFileName().toString().endsWith(".gz")) in = new GZIPInputStream(in, 1 << 16);
    this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    String header = reader.readLine();
    lineNumber = 1;
    if (header == null) throw new IOException(file + " is empty");
    if (header.startsWith("\uFEFF")) header = header.substring(1);
    List<String> names = split(header);
    if (names.size() > COLUMNS_MAX) throw new IOException(file + ": more than " + COLUMNS_MAX + " columns");
    for (int i = 0; i < names.size(); i++) columns.put(names.get(i).trim(), i);
    fields = new String[names.size()];
  }

  /** Column index of a header name; throws naming the known columns. */
  int column(String name) {
    Integer i = columns.get(name);
    if (i == null) throw new IllegalArgumentException("column '" + name + "' is not in the CSV header " + columns.keySet());
    return i;
  }

  long lineNumber() {
    return lineNumber;
  }

  /** The next record's fields (reused array), or null at the end. */
  String[] next() throws IOException {
    String line;
    do {
      line = reader.readLine();
      lineNumber++;
      if (line == null) return null;
    } while (line.isEmpty());
    if (line.length() > LINE_CHARS_MAX) throw new IOException("line " + lineNumber + " is longer than " + LINE_CHARS_MAX + " characters");
    if (line.indexOf('"') >= 0) throw new IOException("line " + lineNumber + ": quoted CSV fields are not supported");
    int field = 0, start = 0;
    for (int i = 0; i <= line.length(); i++) {
      if (i == line.length() || line.charAt(i) == ',') {
        if (field >= fields.length) throw new IOException("line " + lineNumber + " has more fields than the header");
        fields[field++] = line.substring(start, i);
        start = i + 1;
      }
    }
    if (field != fields.length) throw new IOException("line " + lineNumber + " has " + field + " fields, the header " + fields.length);
    return fields;
  }

  private static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= line.length(); i++) {
      if (i == line.length() || line.charAt(i) == ',') {
        out.add(line.substring(start, i));
        start = i + 1;
      }
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
