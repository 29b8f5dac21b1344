package io.vigil.server.privacy;

import io.vigil.server.api.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where an event's personal fields are, and the shape of a sealed event JSON: the event without
 * them, plus {@code "_personal": {"fields": [paths], "value": "vpd1:…"}}, the value sealing a JSON
 * object of path → value. The paths are the contract's personal fields: {@code ip}, {@code phone},
 * {@code email}, {@code device.id}, {@code device.fingerprint}, {@code device.user_agent},
 * {@code identity.national_id}, {@code identity.date_of_birth} and the free-form
 * {@code attributes}. Field names are not personal, so an erased event still says which fields it had.
 */
public final class SealedEvent {
  /** The key of the sealed part; no event field starts with an underscore, so it cannot collide. */
  public static final String KEY = "_personal";
  /** Personal paths: a top-level field, or "object.field" one level down. */
  public static final List<String> PATHS = List.of("ip", "phone", "email", "attributes", "device.id", "device.fingerprint",
      "device.user_agent", "identity.national_id", "identity.date_of_birth");

  private SealedEvent() {}

  /** The stored event without its sealed part: what can be read without any key (the verifier's derived columns). */
  public static Map<String, Object> strip(String storedEventJson) {
    Map<String, Object> event = Json.readMap(storedEventJson);
    event.remove(KEY);
    return event;
  }

  /** Removes the personal paths from {@code event} (a mutable copy) and returns them, path → value, in path order. */
  static Map<String, Object> takePersonal(Map<String, Object> event) {
    Map<String, Object> taken = new LinkedHashMap<>();
    for (String path : PATHS) {
      int dot = path.indexOf('.');
      if (dot < 0) {
        Object v = event.remove(path);
        if (v != null) taken.put(path, v);
        continue;
      }
      if (event.get(path.substring(0, dot)) instanceof Map<?, ?> parent) {
        @SuppressWarnings("unchecked")
        Map<String, Object> sub = (Map<String, Object>) parent;
        Object v = sub.remove(path.substring(dot + 1));
        if (v != null) taken.put(path, v);
      }
    }
    return taken;
  }

  /** Puts path → value back into {@code event}. */
  static void putPersonal(Map<String, Object> event, Map<String, Object> personal) {
    for (Map.Entry<String, Object> e : personal.entrySet()) {
      String path = e.getKey();
      int dot = path.indexOf('.');
      if (dot < 0) {
        event.put(path, e.getValue());
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> sub = (Map<String, Object>) event.computeIfAbsent(path.substring(0, dot), k -> new LinkedHashMap<>());
      sub.put(path.substring(dot + 1), e.getValue());
    }
  }

  /** A deep copy of a parsed JSON object (maps and lists copied, leaves shared). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> copy(Map<String, Object> tree) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : tree.entrySet()) out.put(e.getKey(), copyValue(e.getValue()));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object copyValue(Object v) {
    if (v instanceof Map<?, ?> m) return copy((Map<String, Object>) m);
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object o : l) out.add(copyValue(o));
      return out;
    }
    return v;
  }
}
