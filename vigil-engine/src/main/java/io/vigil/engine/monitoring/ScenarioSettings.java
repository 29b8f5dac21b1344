package io.vigil.engine.monitoring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live configuration of every scenario: enabled or not, and its parameters. Immutable. A
 * proposal ({@code {"scenarios": {"structuring": {"enabled": true, "parameters": {"count_min": 4}}}}})
 * names only what it changes; everything else keeps its value in the base it is merged into.
 */
public final class ScenarioSettings {
  /** One scenario's settings. */
  public record Setting(boolean enabled, Map<String, Long> params) {
    public Setting {
      params = Map.copyOf(params);
    }

    public long get(String name) {
      Long v = params.get(name);
      if (v == null) throw new IllegalStateException("no parameter " + name);
      return v;
    }
  }

  /** A refused proposal: the path of the offending field inside the proposal, and why. */
  public static final class InvalidSetting extends RuntimeException {
    private final String path;

    public InvalidSetting(String path, String message) {
      super(message);
      this.path = path;
    }

    public String path() {
      return path;
    }
  }

  private final Map<String, Setting> settings;

  private ScenarioSettings(Map<String, Setting> settings) {
    this.settings = Map.copyOf(settings);
  }

  /** Every scenario enabled with its default parameters. */
  public static ScenarioSettings defaults() {
    Map<String, Setting> m = new LinkedHashMap<>();
    for (ScenarioDefinition d : ScenarioCatalog.all()) m.put(d.id(), new Setting(true, d.defaults()));
    return new ScenarioSettings(m);
  }

  public Setting get(String scenarioId) {
    Setting s = settings.get(scenarioId);
    if (s == null) throw new IllegalArgumentException("unknown scenario " + scenarioId);
    return s;
  }

  public boolean enabled(String scenarioId) {
    return get(scenarioId).enabled();
  }

  /**
   * This configuration with the proposal's changes; throws {@link InvalidSetting} naming the first
   * offending field (unknown scenario or parameter, wrong type, out of range, hops_min above hops_max).
   */
  public ScenarioSettings merge(Map<String, Object> proposal) {
    if (proposal == null) throw new InvalidSetting("scenarios", "a proposal is an object with \"scenarios\"");
    for (String key : proposal.keySet()) {
      if (!"scenarios".equals(key)) throw new InvalidSetting(key, "unknown field " + key + "; a proposal holds only \"scenarios\"");
    }
    if (!(proposal.get("scenarios") instanceof Map<?, ?> scenarios)) {
      throw new InvalidSetting("scenarios", "scenarios must be an object of scenario id to settings");
    }
    Map<String, Setting> out = new LinkedHashMap<>(settings);
    for (Map.Entry<?, ?> e : scenarios.entrySet()) {
      String id = String.valueOf(e.getKey());
      String path = "scenarios." + id;
      ScenarioDefinition def = ScenarioCatalog.find(id);
      if (def == null) throw new InvalidSetting(path, "unknown scenario " + id);
      out.put(id, mergeOne(def, out.get(id), e.getValue(), path));
    }
    return new ScenarioSettings(out);
  }

  private static Setting mergeOne(ScenarioDefinition def, Setting base, Object value, String path) {
    if (!(value instanceof Map<?, ?> body)) throw new InvalidSetting(path, path + " must be an object with enabled and parameters");
    for (Object key : body.keySet()) {
      if (!"enabled".equals(key) && !"parameters".equals(key)) {
        throw new InvalidSetting(path + "." + key, "unknown field " + key + "; a scenario has enabled and parameters");
      }
    }
    boolean enabled = base.enabled();
    if (body.containsKey("enabled")) {
      if (!(body.get("enabled") instanceof Boolean b)) throw new InvalidSetting(path + ".enabled", "enabled must be true or false");
      enabled = b;
    }
    Map<String, Long> params = new LinkedHashMap<>(base.params());
    if (body.containsKey("parameters")) {
      if (!(body.get("parameters") instanceof Map<?, ?> given)) {
        throw new InvalidSetting(path + ".parameters", "parameters must be an object of name to integer");
      }
      for (Map.Entry<?, ?> p : given.entrySet()) {
        String name = String.valueOf(p.getKey());
        params.put(name, parameter(def, name, p.getValue(), path + ".parameters." + name));
      }
    }
    if (def.param("hops_min") != null && params.get("hops_min") > params.get("hops_max")) {
      throw new InvalidSetting(path + ".parameters.hops_min", "hops_min must not be above hops_max");
    }
    return new Setting(enabled, params);
  }

  private static long parameter(ScenarioDefinition def, String name, Object value, String path) {
    Param param = def.param(name);
    if (param == null) {
      throw new InvalidSetting(path, "unknown parameter " + name + " of " + def.id() + "; known: "
          + def.params().stream().map(Param::name).toList());
    }
    if (!(value instanceof Number n) || Double.isNaN(n.doubleValue()) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new InvalidSetting(path, name + " must be an integer");
    }
    // Compared as a double first: a huge number (a BigInteger, an infinity) must not wrap into range as a long.
    double d = n.doubleValue();
    long v = n.longValue();
    if (d < param.min() || d > param.max() || v < param.min() || v > param.max()) {
      throw new InvalidSetting(path, name + " must be between " + param.min() + " and " + param.max() + "; got " + value);
    }
    return v;
  }

  /** JSON-ready: {@code {"scenarios": {id: {"enabled", "parameters"}}}} in catalog order. */
  public Map<String, Object> toMap() {
    Map<String, Object> scenarios = new LinkedHashMap<>();
    for (ScenarioDefinition d : ScenarioCatalog.all()) {
      Setting s = settings.get(d.id());
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("enabled", s.enabled());
      Map<String, Object> params = new LinkedHashMap<>();
      for (Param p : d.params()) params.put(p.name(), s.params().get(p.name()));
      one.put("parameters", params);
      scenarios.put(d.id(), one);
    }
    return Map.of("scenarios", scenarios);
  }

  /** Reads a stored configuration (as {@link #toMap()} wrote it) over the defaults. */
  public static ScenarioSettings fromMap(Map<String, Object> stored) {
    return defaults().merge(stored);
  }

  /** The changes from this configuration to {@code other}: {@code path -> {from, to}}. */
  public Map<String, Object> difference(ScenarioSettings other) {
    Map<String, Object> diff = new LinkedHashMap<>();
    for (ScenarioDefinition d : ScenarioCatalog.all()) {
      Setting a = get(d.id());
      Setting b = other.get(d.id());
      if (a.enabled() != b.enabled()) diff.put("scenarios." + d.id() + ".enabled", change(a.enabled(), b.enabled()));
      for (Param p : d.params()) {
        Long from = a.params().get(p.name());
        Long to = b.params().get(p.name());
        if (!from.equals(to)) diff.put("scenarios." + d.id() + ".parameters." + p.name(), change(from, to));
      }
    }
    return diff;
  }

  private static Map<String, Object> change(Object from, Object to) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("from", from);
    m.put("to", to);
    return m;
  }

  List<String> ids() {
    return List.copyOf(settings.keySet());
  }
}
