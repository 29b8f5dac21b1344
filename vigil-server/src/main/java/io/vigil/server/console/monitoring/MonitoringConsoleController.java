package io.vigil.server.console.monitoring;

import io.vigil.engine.monitoring.ScenarioCatalog;
import io.vigil.engine.monitoring.ScenarioDefinition;
import io.vigil.server.monitoring.AlertRepository;
import io.vigil.server.monitoring.JournalMonitor;
import io.vigil.server.monitoring.MonitoringController;
import io.vigil.server.monitoring.ScenarioStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Monitoring: the live scenarios with their parameters and version, how far behind the journal the
 * monitor is, and the newest alerts with their evidence (the decisions, accounts, amounts and, for a
 * cycle, the path) and their case.
 */
@Controller
public class MonitoringConsoleController {
  /** Alerts shown, newest first; the API pages through the rest. */
  static final int ALERTS_ROWS = 50;

  private final ScenarioStore scenarios;
  private final AlertRepository alerts;
  private final JournalMonitor monitor;

  public MonitoringConsoleController(ScenarioStore scenarios, AlertRepository alerts, JournalMonitor monitor) {
    this.scenarios = scenarios;
    this.alerts = alerts;
    this.monitor = monitor;
  }

  @GetMapping("/console/monitoring")
  public String monitoring(Model model) {
    ScenarioStore.Versioned live = scenarios.live();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ScenarioDefinition d : ScenarioCatalog.all()) rows.add(MonitoringController.scenario(d, live.settings().get(d.id())));
    model.addAttribute("version", live.version());
    model.addAttribute("changedBy", live.actor());
    model.addAttribute("lagSeconds", String.format("%.1f", monitor.lagSeconds()));
    model.addAttribute("scenarios", rows);
    model.addAttribute("alerts", alerts.list(null, null, null, ALERTS_ROWS).stream().map(MonitoringController::alert).toList());
    return "console/monitoring/monitoring";
  }
}
