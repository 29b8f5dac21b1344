package io.vigil.server.monitoring;

import java.util.Map;

/**
 * A stored alert: the scenario, the account, the evidence (JSON-ready) and the case it went to.
 *
 * @param occurredAtMillis when the movement that completed the pattern happened (event time)
 * @param lastMatchedAtMillis event time of the latest match folded into this alert during its cooldown
 * @param repeats later matches folded into it instead of raising new alerts
 */
public record MonitoringAlert(String alertId, String scenarioId, String accountId, String status, long scenarioVersion,
    String summary, Map<String, Object> evidence, String caseId, long raisedAtMillis, long occurredAtMillis,
    long lastMatchedAtMillis, int repeats) {
  public static final String OPEN = "open";
}
