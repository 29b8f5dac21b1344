package io.vigil.server.change;

import io.vigil.server.api.ApiException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/** Every {@link ChangeKind} bean, by name. */
@Component
public final class ChangeKinds {
  private final Map<String, ChangeKind> byName = new TreeMap<>();

  public ChangeKinds(List<ChangeKind> kinds) {
    for (ChangeKind k : kinds) {
      if (byName.put(k.name(), k) != null) throw new IllegalStateException("two change kinds are named " + k.name());
    }
  }

  /** The kind with this name, or {@code 400 unknown_kind}. */
  public ChangeKind get(String name) {
    ChangeKind k = name == null ? null : byName.get(name);
    if (k == null) throw ApiException.invalid("unknown_kind", "kind must be one of " + byName.keySet(), "kind");
    return k;
  }

  public List<String> names() {
    return List.copyOf(byName.keySet());
  }
}
