package io.vigil.server.list;

import io.vigil.engine.Limits;
import io.vigil.engine.list.ListEntity;
import io.vigil.engine.list.ListKind;
import io.vigil.server.api.Actor;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Bodies;
import io.vigil.server.api.Json;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Block, allow and watch list entries, and their change history. */
@RestController
public class ListController {
  private final ListService lists;
  private final Clock clock;

  public ListController(ListService lists, Clock clock) {
    this.clock = clock;
    this.lists = lists;
  }

  @PostMapping("/v1/lists/entries")
  public ResponseEntity<Map<String, Object>> create(HttpServletRequest request) {
    var entry = lists.create(Json.parseObject(Bodies.read(request)), Actor.of(request));
    return ResponseEntity.status(HttpStatus.CREATED).body(ListService.json(entry, clock.millis()));
  }

  @GetMapping("/v1/lists/entries/{id}")
  public Map<String, Object> get(@PathVariable String id) {
    return ListService.json(lists.get(id), clock.millis());
  }

  @DeleteMapping("/v1/lists/entries/{id}")
  public Map<String, Object> delete(@PathVariable String id, HttpServletRequest request) {
    Map<String, Object> m = ListService.json(lists.delete(id, Actor.of(request)), clock.millis());
    m.put("deleted", true);
    return m;
  }

  @GetMapping("/v1/lists/entries")
  public Map<String, Object> query(
      @RequestParam(name = "list", required = false) String list,
      @RequestParam(name = "entity", required = false) String entity,
      @RequestParam(name = "value", required = false) String value,
      @RequestParam(name = "limit", required = false) Integer limit) {
    ListKind kind = list == null ? null : ListKind.fromWire(list);
    if (list != null && kind == null) throw ApiException.invalid("invalid_list", "list must be " + ListKind.choices(), "list");
    ListEntity e = entity == null ? null : ListEntity.fromWire(entity);
    if (entity != null && e == null) throw ApiException.invalid("invalid_entity", "unknown entity", "entity");
    int n = Math.max(1, Math.min(limit == null ? 100 : limit, Limits.QUERY_PAGE_SIZE_MAX));
    long now = clock.millis();
    List<Map<String, Object>> data = lists.query(kind, e, value, n).stream().map(x -> ListService.json(x, now)).toList();
    return Map.of("data", data);
  }

  @GetMapping("/v1/lists/changes")
  public Map<String, Object> changes(@RequestParam(name = "entry_id", required = false) String entryId,
      @RequestParam(name = "limit", required = false) Integer limit) {
    int n = Math.max(1, Math.min(limit == null ? 100 : limit, Limits.QUERY_PAGE_SIZE_MAX));
    List<Map<String, Object>> data = lists.changes(entryId, n).stream().map(c -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("change_id", c.changeId());
      m.put("entry_id", c.entryId());
      m.put("operation", c.operation());
      m.put("actor", c.actor());
      m.put("at", Instant.ofEpochMilli(c.atMillis()).toString());
      m.put("entry", Json.readMap(c.entryJson()));
      return m;
    }).toList();
    return Map.of("data", data);
  }
}
