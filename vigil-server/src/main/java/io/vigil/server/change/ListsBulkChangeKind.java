package io.vigil.server.change;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.Params;
import io.vigil.server.list.ListImport;
import io.vigil.server.list.ListService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Many list changes at once: {@code {"add": [entry, …], "remove": ["entry id", …]}}. Single
 * entries stay immediate; a bulk change waits for approval. Lists have no version of their own
 * (single entries change them all day), so a bulk change never conflicts: every entry is checked
 * again when it goes live. The additions are one transaction; removals follow, each its own.
 */
@Component
public final class ListsBulkChangeKind implements ChangeKind {
  public static final String NAME = "lists_bulk";
  public static final int ENTRIES_MAX = 10_000;
  private final ListService lists;
  private final ListImport importer;

  public ListsBulkChangeKind(ListService lists, ListImport importer) {
    this.lists = lists;
    this.importer = importer;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Live live() {
    return new Live(0, Map.of());
  }

  @Override
  public void validate(Map<String, Object> proposed) {
    Params.checkFields(proposed, Set.of("add", "remove"), "proposed");
    List<Map<String, Object>> add = entries(proposed);
    List<String> remove = ids(proposed);
    if (add.isEmpty() && remove.isEmpty()) {
      throw ApiException.invalid("missing_field", "proposed needs entries to add or ids to remove", "proposed.add");
    }
    importer.checkEntries(add, "proposed.add");
    for (int i = 0; i < remove.size(); i++) {
      String id = remove.get(i);
      try {
        lists.get(id);
      } catch (ApiException e) {
        throw ApiException.invalid("list_entry_not_found", "No list entry has this id", "proposed.remove[" + i + "]");
      }
    }
  }

  @Override
  public Map<String, Object> difference(Map<String, Object> proposed) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("add", entries(proposed));
    List<Object> removed = new ArrayList<>();
    for (String id : ids(proposed)) removed.add(Map.of("id", id));
    m.put("remove", removed);
    return m;
  }

  @Override
  public long apply(Map<String, Object> proposed, long baseVersion, String actor, String summary) {
    validate(proposed);
    List<Map<String, Object>> add = entries(proposed);
    if (!add.isEmpty()) importer.runEntries(add, "proposed.add", actor);
    for (String id : ids(proposed)) lists.delete(id, actor);
    return 0;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> entries(Map<String, Object> proposed) {
    Object raw = proposed.getOrDefault("add", List.of());
    if (!(raw instanceof List<?> list)) throw ApiException.invalid("wrong_type", "proposed.add must be a list", "proposed.add");
    if (list.size() > ENTRIES_MAX) throw ApiException.invalid("too_many_items", "at most " + ENTRIES_MAX + " entries", "proposed.add");
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> m)) {
        throw ApiException.invalid("wrong_type", "proposed.add[" + i + "] must be an object", "proposed.add[" + i + "]");
      }
      out.add((Map<String, Object>) m);
    }
    return out;
  }

  private static List<String> ids(Map<String, Object> proposed) {
    Object raw = proposed.getOrDefault("remove", List.of());
    if (!(raw instanceof List<?> list)) throw ApiException.invalid("wrong_type", "proposed.remove must be a list", "proposed.remove");
    if (list.size() > ENTRIES_MAX) throw ApiException.invalid("too_many_items", "at most " + ENTRIES_MAX + " ids", "proposed.remove");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof String s) || s.length() > 64) {
        throw ApiException.invalid("wrong_type", "proposed.remove[" + i + "] must be an entry id", "proposed.remove[" + i + "]");
      }
      out.add(s);
    }
    return out;
  }
}
