package io.vigil.server.monitoring;

import io.vigil.engine.monitoring.AlertCandidate;
import io.vigil.engine.monitoring.Movement;
import io.vigil.server.api.Ids;
import io.vigil.server.cases.CaseOrigin;
import io.vigil.server.cases.CaseService;
import io.vigil.server.cases.CaseTrigger;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.storage.Sql;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns what a scenario found into a stored alert and a case. Deduplicated: while an alert of the
 * same account and scenario is within its cooldown (event time since the match that raised it), a
 * new match is folded into it ({@code repeats}) instead of raising another. A raised alert puts its
 * evidence decisions in the account's case (origin {@code alert}), so the case lists the
 * transactions.
 */
final class AlertService {
  /** Accounts listed in an alert's evidence at most (a fan-in names its senders). */
  static final int EVIDENCE_ACCOUNTS_MAX = 100;

  private final AlertRepository alerts;
  private final JournalRepository journal;
  private final CaseService cases;
  private final Clock clock;
  private final String currency;

  AlertService(AlertRepository alerts, JournalRepository journal, CaseService cases, Clock clock, String currency) {
    this.alerts = alerts;
    this.journal = journal;
    this.cases = cases;
    this.clock = clock;
    this.currency = currency;
  }

  /** Stores the candidate as a new alert and opens or joins its case; empty when it was folded into an alert in cooldown. */
  Optional<MonitoringAlert> raise(AlertCandidate c, long scenarioVersion, long cooldownHours) {
    long cooldownMillis = cooldownHours * 3_600_000L;
    Set<String> decisionIds = new LinkedHashSet<>();
    for (Movement m : c.movements()) decisionIds.add(m.decisionId());
    Optional<MonitoringAlert> raised = Sql.transaction(alerts.dataSource(), conn -> {
      Optional<MonitoringAlert> latest = alerts.latest(conn, c.accountId(), c.scenarioId());
      if (latest.isPresent() && c.atMillis() - latest.get().occurredAtMillis() < cooldownMillis) {
        alerts.repeated(conn, latest.get().alertId(), c.atMillis());
        return Optional.<MonitoringAlert>empty();
      }
      MonitoringAlert a = new MonitoringAlert(Ids.random("alert_"), c.scenarioId(), c.accountId(), MonitoringAlert.OPEN, scenarioVersion,
          c.summary(), evidence(c), null, clock.millis(), c.atMillis(), c.atMillis(), 0);
      alerts.insert(conn, a, decisionIds);
      return Optional.of(a);
    }, "storing an alert failed");
    if (raised.isEmpty()) return raised;
    String caseId = openCase(c.accountId(), decisionIds, raised.get().raisedAtMillis());
    if (caseId == null) return raised;
    alerts.setCase(raised.get().alertId(), caseId);
    return alerts.find(raised.get().alertId());
  }

  /**
   * Puts each evidence decision in the alert account's case; the case id (that of the first decision).
   * The alert is the interception: the case's deadline counts from when it was raised, not from its
   * evidence, which may be days old (a case would be born past its due time).
   */
  private String openCase(String accountId, Set<String> decisionIds, long raisedAtMillis) {
    String caseId = null;
    for (String id : decisionIds) {
      Optional<JournalRow> row = journal.findByDecisionId(id);
      if (row.isEmpty()) continue;
      CaseTrigger t = CaseTrigger.of(row.get(), CaseOrigin.ALERT);
      CaseTrigger onAccount = new CaseTrigger(t.decisionId(), t.origin(), accountId, t.eventType(), t.action(), "high", t.amountMinor(),
          t.currency(), t.ruleIds(), t.entities(), raisedAtMillis);
      CaseService.Opened opened = cases.openOrJoin(onAccount, "monitoring");
      if (caseId == null) caseId = opened.record().caseId();
    }
    return caseId;
  }

  private Map<String, Object> evidence(AlertCandidate c) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("currency", currency);
    e.put("movements", c.movements().stream().map(AlertService::movement).toList());
    List<String> accounts = c.accounts();
    e.put("accounts", accounts.size() > EVIDENCE_ACCOUNTS_MAX ? accounts.subList(0, EVIDENCE_ACCOUNTS_MAX) : accounts);
    e.put("accounts_total", accounts.size());
    if (!c.path().isEmpty()) e.put("path", c.path());
    e.put("figures", new LinkedHashMap<>(c.figures()));
    return e;
  }

  private static Map<String, Object> movement(Movement m) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("decision_id", m.decisionId());
    j.put("type", m.type());
    j.put("account_id", m.accountId());
    j.put("counterparty_id", m.counterpartyId());
    j.put("amount_minor", m.amountMinor() < 0 ? null : m.amountMinor());
    j.put("occurred_at", Instant.ofEpochMilli(m.occurredAtMillis()).toString());
    return j;
  }
}
