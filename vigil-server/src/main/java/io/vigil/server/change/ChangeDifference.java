package io.vigil.server.change;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The difference between two configurations as JSON-ready values, for an approver to read: per
 * section, {@code {before, after}} when it changed; a list of objects with ids is compared by id
 * ({@code added}, {@code removed}, {@code changed} with each item's before and after).
 */
public final class ChangeDifference {
  private ChangeDifference() {}

  /** Only the sections that differ; an empty map when nothing does. */
  public static Map<String, Object> of(Map<String, Object> live, Map<String, Object> proposed, Iterable<String> sections) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String section : sections) {
      Object before = live.get(section);
      Object after = proposed.get(section);
      if (Objects.equals(before, after)) continue;
      if (isIdList(before) && isIdList(after)) {
        out.put(section, byId(asList(before), asList(after)));
      } else {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("before", before);
        m.put("after", after);
        out.put(section, m);
      }
    }
    return out;
  }

  /** Items added, removed and changed, matched by their {@code id}. */
  public static Map<String, Object> byId(List<Map<String, Object>> before, List<Map<String, Object>> after) {
    Map<Object, Map<String, Object>> old = new LinkedHashMap<>();
    for (Map<String, Object> item : before) old.put(item.get("id"), item);
    List<Object> added = new ArrayList<>();
    List<Object> changed = new ArrayList<>();
    for (Map<String, Object> item : after) {
      Map<String, Object> was = old.remove(item.get("id"));
      if (was == null) {
        added.add(item);
      } else if (!was.equals(item)) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", item.get("id"));
        c.put("before", was);
        c.put("after", item);
        changed.add(c);
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("added", added);
    m.put("removed", new ArrayList<>(old.values()));
    m.put("changed", changed);
    return m;
  }

  private static boolean isIdList(Object value) {
    if (!(value instanceof List<?> list)) return false;
    for (Object item : list) {
      if (!(item instanceof Map<?, ?> m) || !(m.get("id") instanceof String)) return false;
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> asList(Object value) {
    return (List<Map<String, Object>>) value;
  }

  /** The sections of {@code proposed} that {@code difference} names: what the author changed. */
  public static Map<String, Object> changedSections(Map<String, Object> difference, Map<String, Object> proposed) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (String section : difference.keySet()) {
      if (proposed.containsKey(section)) m.put(section, proposed.get(section));
    }
    return m;
  }
}
