package io.vigil.server.monitoring;

import io.vigil.server.api.Json;
import io.vigil.server.api.TimeCursor;
import io.vigil.server.storage.Sql;
import io.vigil.server.storage.Sql.TimeOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Stored alerts, the decisions they name, and the monitor's cursor in the journal. */
public final class AlertRepository {
  private static final String COLUMNS = "alert_id, scenario_id, account_id, status, scenario_version, summary, evidence_json,"
      + " case_id, raised_at_millis, occurred_at_millis, last_matched_at_millis, repeats";

  private final DataSource dataSource;

  public AlertRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** The newest alert of the account and scenario, if any. */
  public Optional<MonitoringAlert> latest(Connection c, String accountId, String scenarioId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM monitoring_alerts WHERE account_id = ? AND scenario_id = ?"
        + " ORDER BY raised_at_millis DESC, alert_id LIMIT 1")) {
      ps.setString(1, accountId);
      ps.setString(2, scenarioId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(map(rs)) : Optional.empty();
      }
    }
  }

  public void insert(Connection c, MonitoringAlert a, Collection<String> decisionIds) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO monitoring_alerts (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
      ps.setString(1, a.alertId());
      ps.setString(2, a.scenarioId());
      ps.setString(3, a.accountId());
      ps.setString(4, a.status());
      ps.setLong(5, a.scenarioVersion());
      ps.setString(6, a.summary());
      ps.setString(7, Json.write(a.evidence()));
      ps.setString(8, a.caseId());
      ps.setLong(9, a.raisedAtMillis());
      ps.setLong(10, a.occurredAtMillis());
      ps.setLong(11, a.lastMatchedAtMillis());
      ps.setInt(12, a.repeats());
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO monitoring_alert_decisions (alert_id, decision_id) VALUES (?,?)")) {
      for (String d : decisionIds) {
        ps.setString(1, a.alertId());
        ps.setString(2, d);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Folds a later match into the alert: one more repeat, and when it happened. */
  public void repeated(Connection c, String alertId, long occurredAtMillis) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE monitoring_alerts SET repeats = repeats + 1,"
        + " last_matched_at_millis = GREATEST(last_matched_at_millis, ?) WHERE alert_id = ?")) {
      ps.setLong(1, occurredAtMillis);
      ps.setString(2, alertId);
      ps.executeUpdate();
    }
  }

  public void setCase(String alertId, String caseId) {
    Sql.update(dataSource, "UPDATE monitoring_alerts SET case_id = ? WHERE alert_id = ?", ps -> {
      ps.setString(1, caseId);
      ps.setString(2, alertId);
    }, "linking the alert to its case failed");
  }

  public Optional<MonitoringAlert> find(String alertId) {
    return Sql.one(dataSource, "SELECT " + COLUMNS + " FROM monitoring_alerts WHERE alert_id = ?", ps -> ps.setString(1, alertId),
        AlertRepository::map, "reading an alert failed");
  }

  public List<String> decisions(String alertId) {
    return Sql.list(dataSource, "SELECT decision_id FROM monitoring_alert_decisions WHERE alert_id = ? ORDER BY decision_id",
        ps -> ps.setString(1, alertId), rs -> rs.getString(1), "reading an alert's decisions failed");
  }

  /** Newest raised first, filtered by scenario and account when given, after the cursor. */
  public List<MonitoringAlert> list(String scenarioId, String accountId, TimeCursor after, int rows) {
    List<String> where = new ArrayList<>();
    if (scenarioId != null) where.add("scenario_id = ?");
    if (accountId != null) where.add("account_id = ?");
    if (after != null) where.add(Sql.startingAfter("raised_at_millis", "alert_id", TimeOrder.NEWEST_FIRST));
    String sql = "SELECT " + COLUMNS + " FROM monitoring_alerts" + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
        + Sql.orderBy("raised_at_millis", "alert_id", TimeOrder.NEWEST_FIRST) + " LIMIT ?";
    return Sql.list(dataSource, sql, ps -> {
      int i = 1;
      if (scenarioId != null) ps.setString(i++, scenarioId);
      if (accountId != null) ps.setString(i++, accountId);
      if (after != null) i = Sql.bindStartingAfter(ps, i, after);
      ps.setInt(i, rows);
    }, AlertRepository::map, "listing alerts failed");
  }

  public long cursor() {
    return Sql.one(dataSource, "SELECT sequence FROM monitoring_cursor WHERE name = 'journal'", Sql.Binder.NONE, rs -> rs.getLong(1),
        "reading the monitoring cursor failed").orElse(0L);
  }

  public void advanceCursor(Connection c, long sequence, long processedAtMillis) throws SQLException {
    try (PreparedStatement up = c.prepareStatement("UPDATE monitoring_cursor SET sequence = ?, processed_at_millis = ? WHERE name = 'journal'")) {
      up.setLong(1, sequence);
      up.setLong(2, processedAtMillis);
      if (up.executeUpdate() == 1) return;
    }
    try (PreparedStatement ins = c.prepareStatement("INSERT INTO monitoring_cursor (name, sequence, processed_at_millis) VALUES ('journal',?,?)")) {
      ins.setLong(1, sequence);
      ins.setLong(2, processedAtMillis);
      ins.executeUpdate();
    }
  }

  private static MonitoringAlert map(ResultSet rs) throws SQLException {
    return new MonitoringAlert(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getString(6),
        Json.readMap(rs.getString(7)), rs.getString(8), rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getInt(12));
  }
}
