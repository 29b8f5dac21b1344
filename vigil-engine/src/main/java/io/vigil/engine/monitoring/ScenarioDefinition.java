package io.vigil.engine.monitoring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A scenario's id, what it looks for, and its parameters with their defaults and ranges. */
public record ScenarioDefinition(String id, String description, List<Param> params) {
  public ScenarioDefinition {
    params = List.copyOf(params);
  }

  public Param param(String name) {
    for (Param p : params) {
      if (p.name().equals(name)) return p;
    }
    return null;
  }

  public Map<String, Long> defaults() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (Param p : params) m.put(p.name(), p.defaultValue());
    return m;
  }
}
