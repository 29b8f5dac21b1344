package io.vigil.server.list;

import io.vigil.engine.event.CardNumbers;
import io.vigil.engine.list.ListEntry;
import io.vigil.engine.policy.PolicyMaps;
import io.vigil.server.api.ApiException;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

/**
 * Lists as CSV (RFC 4180, UTF-8, a header row naming the columns): what an export writes and an
 * import reads. Free-text cells (reason, source) that a spreadsheet would run as a formula are
 * written with a leading {@code '}, which an import removes again, so a file round-trips exactly.
 */
final class ListCsv {
  static final List<String> COLUMNS = NewEntry.FIELD_NAMES;
  private static final List<String> REQUIRED = List.of("list", "entity", "value");
  private static final Set<String> FREE_TEXT = Set.of("reason", "source");
  /** A cell starting with one of these is escaped with a {@code '}; the quote itself, so that escaping is reversible. */
  private static final String ESCAPED_FIRST = "=+-@'";
  private static final char BYTE_ORDER_MARK = '\uFEFF';
  /** The param of a card number in a column name. */
  private static final String HEADER_ROW = "lines[1]";
  private static final CSVFormat WRITE = CSVFormat.RFC4180.builder().setHeader(COLUMNS.toArray(String[]::new)).get();
  /** Header names are checked by {@link #header}, which reports them in the API's words. */
  private static final CSVFormat READ = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
      .setIgnoreEmptyLines(true).setAllowMissingColumnNames(true).setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_ALL).get();

  private ListCsv() {}

  /** A printer that has written the header row. */
  static CSVPrinter printer(Writer out) {
    try {
      return new CSVPrinter(out, WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(CSVPrinter printer, ListEntry e) {
    try {
      printer.printRecord(e.kind().wireName(), e.entity().wireName(), e.value(), escape(e.reason()), escape(e.source()),
          NewEntry.expiresAt(e));
    } catch (IOException x) {
      throw new UncheckedIOException(x);
    }
  }

  /** The rows of a CSV import body, at most rowsMax; malformed CSV is refused naming its line. */
  static List<ImportRow> read(byte[] body, int rowsMax) {
    String text = utf8(body);
    if (!text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK) text = text.substring(1); // spreadsheets write one
    if (text.isBlank()) throw invalid("The CSV is empty: its first line names the columns, e.g. " + String.join(",", COLUMNS), null);
    List<ImportRow> rows = new ArrayList<>();
    CSVParser parser = open(text);
    List<String> header = header(parser.getHeaderNames());
    var records = parser.iterator();
    long lastLine = parser.getCurrentLineNumber(); // where the header row ended
    while (true) {
      CSVRecord record;
      try {
        if (!records.hasNext()) break;
        record = records.next();
      } catch (UncheckedIOException | IllegalStateException e) {
        String line = "lines[" + (lastLine + 1) + "]";
        throw invalid("The CSV is malformed from " + line + " on: a quote is unbalanced or not followed by a comma", line);
      }
      // The parser counts the line breaks it has read; a last row without one ends on the next line.
      lastLine = Math.max(parser.getCurrentLineNumber(), lastLine + 1);
      String path = "lines[" + lastLine + "]";
      if (record.size() != header.size()) {
        throw invalid(path + " has " + record.size() + " cells; the header has " + header.size(), path);
      }
      if (rows.size() == rowsMax) {
        throw ApiException.invalid("too_many_items", "An import holds at most " + rowsMax + " rows; split the file", path);
      }
      Map<String, Object> fields = new HashMap<>();
      for (int i = 0; i < header.size(); i++) {
        String cell = record.get(i);
        if (cell.isEmpty()) continue;
        fields.put(header.get(i), FREE_TEXT.contains(header.get(i)) ? unescape(cell) : cell);
      }
      rows.add(new ImportRow(path, fields));
    }
    return rows;
  }

  private static CSVParser open(String text) {
    try {
      return CSVParser.builder().setReader(new StringReader(text)).setFormat(READ).get();
    } catch (IOException | UncheckedIOException e) {
      throw invalid("The CSV header row is malformed: a quote is unbalanced or not followed by a comma", null);
    }
  }

  /** The column names (spaces around them ignored), each known and named once, the required ones present. */
  private static List<String> header(List<String> raw) {
    List<String> names = new ArrayList<>(raw.size());
    for (String cell : raw) {
      String name = cell.strip();
      if (name.isEmpty()) throw invalid("The CSV header row has a column without a name", null);
      if (CardNumbers.in(name)) throw CardNumbers.detected(HEADER_ROW);
      if (!COLUMNS.contains(name)) {
        throw ApiException.invalid("unknown_field", "The CSV header row names a column Vigil does not know (param names it); the columns are "
            + String.join(", ", COLUMNS), PolicyMaps.truncate(name));
      }
      if (names.contains(name)) throw invalid("The CSV header row names the column " + name + " twice", name);
      names.add(name);
    }
    for (String column : REQUIRED) {
      if (!names.contains(column)) throw ApiException.invalid("missing_field", "the header row has no " + column + " column", column);
    }
    return names;
  }

  static String escape(String cell) {
    return cell != null && !cell.isEmpty() && ESCAPED_FIRST.indexOf(cell.charAt(0)) >= 0 ? "'" + cell : cell;
  }

  static String unescape(String cell) {
    return cell.length() > 1 && cell.charAt(0) == '\'' && ESCAPED_FIRST.indexOf(cell.charAt(1)) >= 0 ? cell.substring(1) : cell;
  }

  private static String utf8(byte[] body) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      throw invalid("The CSV is not UTF-8 text", null);
    }
  }

  private static ApiException invalid(String message, String param) {
    return ApiException.invalid("invalid_csv", message, param);
  }
}
