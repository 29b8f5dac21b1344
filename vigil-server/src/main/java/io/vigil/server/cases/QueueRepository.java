package io.vigil.server.cases;

import io.vigil.server.api.Json;
import io.vigil.server.storage.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/** Queues, their members, and reviewers' availability. */
public final class QueueRepository {
  private final DataSource dataSource;

  public QueueRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  private static final String COLUMNS = "queue_id, name, position, deadline_millis, warning_millis, escalation_queue_id,"
      + " auto_assign, reviewer_cap, routing_json";

  /** Every queue in routing order, with its members. */
  public List<CaseQueue> all() {
    Map<String, List<String>> members = new HashMap<>();
    for (String[] m : Sql.list(dataSource, "SELECT queue_id, operator_id FROM case_queue_members ORDER BY operator_id", Sql.Binder.NONE,
        rs -> new String[] {rs.getString(1), rs.getString(2)}, "reading queue members failed")) {
      members.computeIfAbsent(m[0], k -> new ArrayList<>()).add(m[1]);
    }
    return Sql.list(dataSource, "SELECT " + COLUMNS + " FROM case_queues ORDER BY position, queue_id", Sql.Binder.NONE,
        rs -> queue(rs, members.getOrDefault(rs.getString(1), List.of())), "reading queues failed");
  }

  private static CaseQueue queue(ResultSet rs, List<String> members) throws SQLException {
    String escalation = rs.getString(6);
    return new CaseQueue(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getLong(5), escalation,
        rs.getBoolean(7), rs.getInt(8), QueueJson.rules(Json.readList(rs.getString(9)), "routing"), members);
  }

  /** Inserts or replaces the queue and its members, in one transaction. */
  public void save(CaseQueue q, long nowMillis, String actor) {
    Sql.transaction(dataSource, c -> {
      try (PreparedStatement del = c.prepareStatement("DELETE FROM case_queues WHERE queue_id = ?")) {
        del.setString(1, q.queueId());
        del.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO case_queues (" + COLUMNS + ", updated_at_millis, updated_by)"
          + " VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
        ps.setString(1, q.queueId());
        ps.setString(2, q.name());
        ps.setInt(3, q.position());
        ps.setLong(4, q.deadlineMillis());
        ps.setLong(5, q.warningMillis());
        ps.setString(6, q.escalationQueueId());
        ps.setBoolean(7, q.autoAssign());
        ps.setInt(8, q.reviewerCap());
        ps.setString(9, Json.write(q.routing().stream().map(QueueJson::rule).toList()));
        ps.setLong(10, nowMillis);
        ps.setString(11, actor);
        ps.executeUpdate();
      }
      replaceMembers(c, q.queueId(), q.members());
      return null;
    }, "storing a queue failed");
  }

  private static void replaceMembers(Connection c, String queueId, List<String> members) throws SQLException {
    try (PreparedStatement del = c.prepareStatement("DELETE FROM case_queue_members WHERE queue_id = ?")) {
      del.setString(1, queueId);
      del.executeUpdate();
    }
    try (PreparedStatement ins = c.prepareStatement("INSERT INTO case_queue_members (queue_id, operator_id) VALUES (?,?)")) {
      for (String m : new TreeSet<>(members)) {
        ins.setString(1, queueId);
        ins.setString(2, m);
        ins.addBatch();
      }
      ins.executeBatch();
    }
  }

  /** The operators marked away. */
  public Set<String> away() {
    return new TreeSet<>(Sql.list(dataSource, "SELECT operator_id FROM case_reviewers WHERE away = TRUE", Sql.Binder.NONE,
        rs -> rs.getString(1), "reading reviewers failed"));
  }

  public void setAway(String operatorId, boolean away, long nowMillis, String actor) {
    Sql.transaction(dataSource, c -> {
      try (PreparedStatement del = c.prepareStatement("DELETE FROM case_reviewers WHERE operator_id = ?")) {
        del.setString(1, operatorId);
        del.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO case_reviewers (operator_id, away, changed_at_millis, changed_by) VALUES (?,?,?,?)")) {
        ps.setString(1, operatorId);
        ps.setBoolean(2, away);
        ps.setLong(3, nowMillis);
        ps.setString(4, actor);
        ps.executeUpdate();
      }
      return null;
    }, "storing a reviewer's availability failed");
  }
}
