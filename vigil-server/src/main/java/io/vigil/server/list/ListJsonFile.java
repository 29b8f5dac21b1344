package io.vigil.server.list;

import io.vigil.engine.Limits;
import io.vigil.engine.list.ListEntry;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import io.vigil.server.api.Params;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lists as JSON, {@code {"entries": [{"list", "entity", "value", "reason", "source", "expires_at"}, …]}}:
 * what an export writes and an import reads. An import is read entry by entry, so a large file
 * never becomes one large tree in memory.
 */
final class ListJsonFile {
  static final String ENTRIES = "entries";
  private static final Set<String> FIELDS = Set.of(ENTRIES);
  /** The API's mapper allows 64 KiB; an import file may be as large as {@link Limits#LIST_IMPORT_BYTES_MAX}. */
  private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder()
              .maxNestingDepth(4)
              .maxDocumentLength(Limits.LIST_IMPORT_BYTES_MAX)
              .build())
          .build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      // Entries are read one at a time from the array; read() checks what follows the whole document.
      .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private ListJsonFile() {}

  static void open(Writer out) {
    write(out, "{\"" + ENTRIES + "\":[");
  }

  static void write(Writer out, ListEntry e, boolean first) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("list", e.kind().wireName());
    m.put("entity", e.entity().wireName());
    m.put("value", e.value());
    m.put("reason", e.reason());
    m.put("source", e.source());
    m.put("expires_at", NewEntry.expiresAt(e));
    write(out, (first ? "\n" : ",\n") + Json.write(m));
  }

  static void close(Writer out) {
    write(out, "\n]}\n");
  }

  /** The entries of a JSON import body, at most rowsMax. */
  @SuppressWarnings("unchecked")
  static List<ImportRow> read(byte[] body, int rowsMax) {
    if (body.length == 0) throw ApiException.invalid("invalid_json", "The request body is empty; send {\"entries\": [...]}", null);
    List<ImportRow> rows = new ArrayList<>();
    String path = null;
    try (JsonParser p = MAPPER.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw notAnImport();
      boolean seen = false;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        Params.checkField(p.currentName(), FIELDS, "");
        seen = true;
        if (p.nextToken() != JsonToken.START_ARRAY) throw ApiException.invalid("wrong_type", "entries must be an array", ENTRIES);
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          path = ENTRIES + "[" + rows.size() + "]";
          if (rows.size() == rowsMax) {
            throw ApiException.invalid("too_many_items", "An import holds at most " + rowsMax + " entries; split the file", path);
          }
          if (e != JsonToken.START_OBJECT) throw ApiException.invalid("wrong_type", path + " must be an object", path);
          rows.add(new ImportRow(path, MAPPER.readValue(p, LinkedHashMap.class)));
        }
        path = null;
      }
      if (!seen) throw ApiException.invalid("missing_field", "entries is required", ENTRIES);
      if (p.nextToken() != null) throw ApiException.invalid("invalid_json", "The request body has more after its closing brace", null);
    } catch (JacksonException e) {
      throw Json.refused(e, path);
    }
    return rows;
  }

  private static ApiException notAnImport() {
    return ApiException.invalid("invalid_json", "The request body must be a JSON object: {\"entries\": [...]}", null);
  }

  private static void write(Writer out, String text) {
    try {
      out.write(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
