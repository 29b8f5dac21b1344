package io.vigil.server.monitoring;

import io.vigil.engine.monitoring.ScenarioSettings;
import io.vigil.server.api.ApiException;
import io.vigil.server.change.ChangeKind;
import java.util.Map;

/**
 * The monitoring scenarios as a change kind: a proposal names the scenarios and parameters it
 * changes ({@code {"scenarios": {"structuring": {"parameters": {"count_min": 4}}}}}); it is checked
 * against each parameter's range and goes live as one new version when approved.
 */
public final class MonitoringScenariosChangeKind implements ChangeKind {
  public static final String NAME = "monitoring_scenarios";

  private final ScenarioStore store;

  public MonitoringScenariosChangeKind(ScenarioStore store) {
    this.store = store;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Live live() {
    ScenarioStore.Versioned v = store.live();
    return new Live(v.version(), v.settings().toMap());
  }

  @Override
  public void validate(Map<String, Object> proposed) {
    merged(proposed);
  }

  @Override
  public Map<String, Object> difference(Map<String, Object> proposed) {
    return store.live().settings().difference(merged(proposed));
  }

  @Override
  public long apply(Map<String, Object> proposed, long baseVersion, String actor, String summary) {
    return store.apply(merged(proposed), baseVersion, actor, summary);
  }

  private ScenarioSettings merged(Map<String, Object> proposed) {
    try {
      return store.live().settings().merge(proposed);
    } catch (ScenarioSettings.InvalidSetting e) {
      throw ApiException.invalid("invalid_parameter", e.getMessage(), e.path());
    }
  }
}
