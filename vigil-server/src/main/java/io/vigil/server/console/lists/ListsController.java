package io.vigil.server.console.lists;

import io.vigil.engine.list.ListEntity;
import io.vigil.engine.list.ListEntry;
import io.vigil.engine.list.ListKind;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import io.vigil.server.api.Page;
import io.vigil.server.api.TimeCursor;
import io.vigil.server.list.ListRepository;
import io.vigil.server.list.ListService;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Block, allow, watch, exempt and confirmed-fraud lists: a search in keyset pages (the list service
 * that {@code GET /v1/lists/entries} reads), the latest changes, and the forms that add, delete,
 * import and export entries through the API.
 */
@Controller
public class ListsController {
  /** Entries per page of the search. */
  static final int PAGE_ROWS = 50;
  /** Changes shown. */
  static final int CHANGES_ROWS = 20;
  /** The longest value a search takes (an entry's value is at most 256 characters). */
  static final int VALUE_CHARS_MAX = 256;

  private final ListService lists;
  private final Clock clock;

  public ListsController(ListService lists, Clock clock) {
    this.lists = lists;
    this.clock = clock;
  }

  @GetMapping("/console/lists")
  public String lists(@RequestParam(name = "list", required = false) String list,
      @RequestParam(name = "entity", required = false) String entity,
      @RequestParam(name = "value", required = false) String value,
      @RequestParam(name = "after", required = false) String after, Model model) {
    String kindText = blankToNull(list);
    String entityText = blankToNull(entity);
    String valueText = blankToNull(value);
    model.addAttribute("kinds", Arrays.stream(ListKind.values()).map(ListKind::wireName).toList());
    model.addAttribute("entities", Arrays.stream(ListEntity.values()).map(ListEntity::wireName).toList());
    model.addAttribute("list", kindText);
    model.addAttribute("entity", entityText);
    model.addAttribute("value", valueText);
    model.addAttribute("exportCsv", exportUrl("csv", kindText, entityText));
    model.addAttribute("exportJson", exportUrl("json", kindText, entityText));
    model.addAttribute("entries", List.of());
    model.addAttribute("next", null);
    try {
      ListKind kind = kindText == null ? null : ListKind.fromWire(kindText);
      if (kindText != null && kind == null) throw ApiException.invalid("invalid_list", "list must be " + ListKind.choices(), "list");
      ListEntity e = entityText == null ? null : ListEntity.fromWire(entityText);
      if (entityText != null && e == null) throw ApiException.invalid("invalid_entity", "unknown entity", "entity");
      if (valueText != null && valueText.length() > VALUE_CHARS_MAX) {
        throw ApiException.invalid("value_too_long", "value is at most " + VALUE_CHARS_MAX + " characters", "value");
      }
      List<ListEntry> fetched = lists.page(kind, e, valueText, TimeCursor.decode(blankToNull(after)), Page.fetchSize(PAGE_ROWS));
      long now = clock.millis();
      List<ListEntry> shown = Page.shown(fetched, PAGE_ROWS);
      model.addAttribute("entries", shown.stream().map(x -> ListService.json(x, now)).toList());
      if (fetched.size() > PAGE_ROWS) {
        ListEntry last = shown.get(shown.size() - 1);
        model.addAttribute("next", new TimeCursor(last.createdAtMillis(), last.id()).encode());
      }
    } catch (ApiException refused) {
      model.addAttribute("searchError", refused.getMessage());
    }
    model.addAttribute("changes", lists.changes(null, null, CHANGES_ROWS).stream().map(ListsController::change).toList());
    return "console/lists/lists";
  }

  private static Map<String, Object> change(ListRepository.Change c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("change_id", c.changeId());
    m.put("entry_id", c.entryId());
    m.put("operation", c.operation());
    m.put("actor", c.actor());
    m.put("at", Instant.ofEpochMilli(c.atMillis()).toString());
    m.put("entry", Json.readMap(c.entryJson()));
    return m;
  }

  /** The export of the list and entity searched (every list or entity when none is). */
  private static String exportUrl(String format, String list, String entity) {
    UriComponentsBuilder url = UriComponentsBuilder.fromPath("/v1/lists/export").queryParam("format", format);
    if (list != null) url.queryParam("list", list);
    if (entity != null) url.queryParam("entity", entity);
    return url.encode().build().toUriString();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
