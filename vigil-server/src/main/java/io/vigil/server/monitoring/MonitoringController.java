package io.vigil.server.monitoring;

import io.vigil.engine.monitoring.MonitorState;
import io.vigil.engine.monitoring.Param;
import io.vigil.engine.monitoring.ScenarioCatalog;
import io.vigil.engine.monitoring.ScenarioDefinition;
import io.vigil.engine.monitoring.ScenarioSettings;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Page;
import io.vigil.server.api.Params;
import io.vigil.server.api.TimeCursor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Monitoring, read-only: the live scenarios, the alerts with their evidence, and how far behind the journal the monitor is. */
@RestController
public class MonitoringController {
  private static final int ALERT_ID_CHARS_MAX = 40;

  private final ScenarioStore scenarios;
  private final AlertRepository alerts;
  private final JournalMonitor monitor;
  private final MonitoringProperties properties;

  public MonitoringController(ScenarioStore scenarios, AlertRepository alerts, JournalMonitor monitor, MonitoringProperties properties) {
    this.scenarios = scenarios;
    this.alerts = alerts;
    this.monitor = monitor;
    this.properties = properties;
  }

  @GetMapping("/v1/monitoring/scenarios")
  public Map<String, Object> scenarios() {
    ScenarioStore.Versioned live = scenarios.live();
    List<Map<String, Object>> data = new ArrayList<>();
    for (ScenarioDefinition d : ScenarioCatalog.all()) data.add(scenario(d, live.settings().get(d.id())));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("version", live.version());
    body.put("changed_by", live.actor());
    body.put("changed_at", Instant.ofEpochMilli(live.createdAtMillis()).toString());
    body.put("currency", properties.currency());
    body.put("lag_seconds", monitor.lagSeconds());
    body.put("data", data);
    return body;
  }

  public static Map<String, Object> scenario(ScenarioDefinition d, ScenarioSettings.Setting s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scenario_id", d.id());
    m.put("description", d.description());
    m.put("enabled", s.enabled());
    List<Map<String, Object>> params = new ArrayList<>();
    for (Param p : d.params()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("name", p.name());
      one.put("value", s.params().get(p.name()));
      one.put("default", p.defaultValue());
      one.put("min", p.min());
      one.put("max", p.max());
      one.put("description", p.description());
      params.add(one);
    }
    m.put("parameters", params);
    return m;
  }

  /** The monitor's position: lag behind the journal, the last sequence processed, and the size of its state. */
  @GetMapping("/v1/monitoring/status")
  public Map<String, Object> status() {
    MonitorState state = monitor.state();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("enabled", properties.enabled());
    m.put("lag_seconds", monitor.lagSeconds());
    m.put("processed_sequence", monitor.processedSequence());
    m.put("scenarios_version", scenarios.live().version());
    m.put("accounts_held", state.accounts());
    m.put("accounts_max", properties.accountsMax());
    m.put("identity_keys_held", state.identityKeys());
    return m;
  }

  @GetMapping("/v1/monitoring/alerts")
  public Map<String, Object> alerts(@RequestParam(name = "scenario_id", required = false) String scenarioId,
      @RequestParam(name = "account_id", required = false) String accountId,
      @RequestParam(name = "limit", required = false) Integer limit,
      @RequestParam(name = "starting_after", required = false) String startingAfter) {
    int pageSize = Page.limit(limit);
    TimeCursor after = TimeCursor.decode(startingAfter);
    if (scenarioId != null && ScenarioCatalog.find(scenarioId) == null) {
      throw ApiException.invalid("invalid_parameter", "scenario_id must be one of "
          + ScenarioCatalog.all().stream().map(ScenarioDefinition::id).toList(), "scenario_id");
    }
    String account = accountId == null ? null : Params.accountId(accountId);
    return Page.of(alerts.list(scenarioId, account, after, Page.fetchSize(pageSize)), pageSize, MonitoringController::alert,
        a -> new TimeCursor(a.raisedAtMillis(), a.alertId()).encode());
  }

  @GetMapping("/v1/monitoring/alerts/{alertId}")
  public Map<String, Object> alert(@PathVariable String alertId) {
    if (alertId.length() > ALERT_ID_CHARS_MAX) {
      throw ApiException.invalid("invalid_parameter", "an alert id has at most " + ALERT_ID_CHARS_MAX + " characters", "alert_id");
    }
    MonitoringAlert a = alerts.find(alertId)
        .orElseThrow(() -> ApiException.notFound("alert_not_found", "No monitoring alert has this id", "alert_id"));
    Map<String, Object> m = alert(a);
    m.put("decision_ids", alerts.decisions(alertId));
    return m;
  }

  public static Map<String, Object> alert(MonitoringAlert a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("alert_id", a.alertId());
    m.put("scenario_id", a.scenarioId());
    m.put("account_id", a.accountId());
    m.put("status", a.status());
    m.put("scenario_version", a.scenarioVersion());
    m.put("summary", a.summary());
    m.put("case_id", a.caseId());
    m.put("raised_at", Instant.ofEpochMilli(a.raisedAtMillis()).toString());
    m.put("occurred_at", Instant.ofEpochMilli(a.occurredAtMillis()).toString());
    m.put("last_matched_at", Instant.ofEpochMilli(a.lastMatchedAtMillis()).toString());
    m.put("repeats", a.repeats());
    m.put("evidence", a.evidence());
    return m;
  }
}
