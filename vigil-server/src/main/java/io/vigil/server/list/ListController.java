package io.vigil.server.list;

import io.vigil.server.audit.AuditContext;
import io.vigil.engine.Limits;
import io.vigil.engine.list.ListEntity;
import io.vigil.engine.list.ListKind;
import io.vigil.server.api.Actor;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Json;
import io.vigil.server.api.Page;
import io.vigil.server.api.TimeCursor;
import io.vigil.server.api.UploadSlots;
import io.vigil.server.config.VigilProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Writer;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Block, allow and watch list entries, their change history, and whole lists exported and imported. */
@RestController
public class ListController {
  private final ListService lists;
  private final ListImport importer;
  private final ListExport exporter;
  private final Clock clock;

  private final UploadSlots importSlots;

  public ListController(ListService lists, ListImport importer, ListExport exporter, VigilProperties properties, Clock clock) {
    this.importSlots = new UploadSlots(properties.uploads().listImportsConcurrentMax());
    this.lists = lists;
    this.importer = importer;
    this.exporter = exporter;
    this.clock = clock;
  }

  /** The two file formats of an export and an import. */
  private enum Format {
    JSON("application/json; charset=utf-8", ".json"),
    CSV("text/csv; charset=utf-8", ".csv");

    final String contentType;
    final String fileExtension;

    Format(String contentType, String fileExtension) {
      this.contentType = contentType;
      this.fileExtension = fileExtension;
    }

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Format of(String format) {
      if (format == null || format.equals("json")) return JSON;
      if (format.equals("csv")) return CSV;
      throw ApiException.invalid("invalid_parameter", "format must be json or csv", "format");
    }
  }

  @PostMapping("/v1/lists/entries")
  public ResponseEntity<Map<String, Object>> create(HttpServletRequest request) {
    var entry = lists.create(Json.parseObject(Bodies.read(request), NewEntry.CARD_NUMBER_EXEMPTION), Actor.of(request));
    Map<String, Object> created = ListService.json(entry, clock.millis());
    AuditContext.entity(request, "list_entry", entry.id());
    AuditContext.after(request, withoutValue(created));
    return ResponseEntity.status(HttpStatus.CREATED).body(created);
  }

  /**
   * An entry as the audit trail records it: without its value, a phone, e-mail or IP that is
   * personal data; the value is in the list's own change records, sealed (docs/security.md).
   */
  private static Map<String, Object> withoutValue(Map<String, Object> entry) {
    Map<String, Object> m = new LinkedHashMap<>(entry);
    m.remove("value");
    return m;
  }

  @GetMapping("/v1/lists/entries/{id}")
  public Map<String, Object> get(@PathVariable String id) {
    return ListService.json(lists.get(id), clock.millis());
  }

  @DeleteMapping("/v1/lists/entries/{id}")
  public Map<String, Object> delete(@PathVariable String id, HttpServletRequest request) {
    Map<String, Object> m = ListService.json(lists.delete(id, Actor.of(request)), clock.millis());
    AuditContext.before(request, withoutValue(m));
    AuditContext.after(request, null);
    m.put("deleted", true);
    return m;
  }

  @GetMapping("/v1/lists/entries")
  public Map<String, Object> query(
      @RequestParam(name = "list", required = false) String list,
      @RequestParam(name = "entity", required = false) String entity,
      @RequestParam(name = "value", required = false) String value,
      @RequestParam(name = "limit", required = false) Integer limit,
      @RequestParam(name = "starting_after", required = false) String startingAfter) {
    int pageSize = Page.limit(limit);
    TimeCursor after = TimeCursor.decode(startingAfter);
    long now = clock.millis();
    return Page.of(lists.page(kind(list), entity(entity), value, after, Page.fetchSize(pageSize)), pageSize,
        e -> ListService.json(e, now), e -> new TimeCursor(e.createdAtMillis(), e.id()).encode());
  }

  @GetMapping("/v1/lists/changes")
  public Map<String, Object> changes(@RequestParam(name = "entry_id", required = false) String entryId,
      @RequestParam(name = "limit", required = false) Integer limit,
      @RequestParam(name = "starting_after", required = false) Long startingAfter) {
    int pageSize = Page.limit(limit);
    return Page.of(lists.changes(entryId, startingAfter, Page.fetchSize(pageSize)), pageSize, c -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("change_id", c.changeId());
      m.put("entry_id", c.entryId());
      m.put("operation", c.operation());
      m.put("actor", c.actor());
      m.put("at", Instant.ofEpochMilli(c.atMillis()).toString());
      m.put("entry", Json.readMap(c.entryJson()));
      return m;
    }, ListRepository.Change::changeId);
  }

  /** The entries in force, as a file that {@code POST /v1/lists/import} takes; streamed, of any size. */
  @GetMapping(path = "/v1/lists/export", produces = {"text/csv", MediaType.APPLICATION_JSON_VALUE})
  public void export(@RequestParam(name = "format", required = false) String format,
      @RequestParam(name = "list", required = false) String list,
      @RequestParam(name = "entity", required = false) String entity,
      HttpServletResponse response) throws IOException {
    Format f = Format.of(format);
    ListKind kind = kind(list);
    ListEntity e = entity(entity);
    String name = "vigil-lists" + (kind == null ? "" : "-" + kind.wireName()) + (e == null ? "" : "-" + e.wireName());
    response.setContentType(f.contentType);
    response.setHeader("Content-Disposition", "attachment; filename=\"" + name + f.fileExtension + "\"");
    Writer out = response.getWriter();
    if (f == Format.CSV) {
      exporter.csv(kind, e, out);
    } else {
      exporter.json(kind, e, out);
    }
    out.flush();
  }

  /** Adds the entries of a CSV or JSON file, all or none; see {@link ListImport}. */
  @PostMapping("/v1/lists/import")
  public Map<String, Object> importFile(@RequestParam(name = "format", required = false) String format, HttpServletRequest request) {
    Format f = Format.of(format);
    String actor = Actor.of(request);
    ListImport.Result r;
    // Read whole (at most 16 MiB) and parsed in memory: bounded by the number of imports at once.
    try (UploadSlots.Slot slot = importSlots.take()) {
      byte[] body = Bodies.read(request, Limits.LIST_IMPORT_BYTES_MAX);
      List<ImportRow> rows = f == Format.CSV
          ? ListCsv.read(body, Limits.LIST_IMPORT_ROWS_MAX)
          : ListJsonFile.read(body, Limits.LIST_IMPORT_ROWS_MAX);
      r = importer.run(rows, actor);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", f.wireName());
    m.put("rows", r.rows());
    m.put("created", r.created());
    m.put("unchanged", r.unchanged());
    m.put("kept", r.kept());
    m.put("kept_rows", r.keptShown().stream().map(k -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("row", k.row());
      row.put("entry_id", k.entryId());
      row.put("differs", k.fields());
      return row;
    }).toList());
    return m;
  }

  private static ListKind kind(String list) {
    ListKind kind = list == null ? null : ListKind.fromWire(list);
    if (list != null && kind == null) throw ApiException.invalid("invalid_list", "list must be " + ListKind.choices(), "list");
    return kind;
  }

  private static ListEntity entity(String entity) {
    ListEntity e = entity == null ? null : ListEntity.fromWire(entity);
    if (entity != null && e == null) throw ApiException.invalid("invalid_entity", "unknown entity", "entity");
    return e;
  }
}
