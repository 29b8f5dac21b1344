package io.vigil.server.reversal;

import io.vigil.server.api.TimeCursor;
import io.vigil.server.storage.Sql;
import io.vigil.server.storage.Sql.TimeOrder;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Every reversal request with its answer. */
public final class ReversalRepository {
  private final DataSource dataSource;

  public ReversalRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** @param reasons the answer's reasons as a JSON array */
  public record Request(String requestId, String decisionId, String accountId, String outcome, String verificationMethod,
      String reasons, long requestedAtMillis, String requestedBy) {}

  public void insert(Request r) {
    String sql = "INSERT INTO reversal_requests (request_id, decision_id, account_id, outcome, verification_method, reasons,"
        + " requested_at_millis, requested_by) VALUES (?,?,?,?,?,?,?,?)";
    Sql.update(dataSource, sql, ps -> {
      ps.setString(1, r.requestId());
      ps.setString(2, r.decisionId());
      ps.setString(3, r.accountId());
      ps.setString(4, r.outcome());
      ps.setString(5, r.verificationMethod());
      ps.setString(6, r.reasons());
      ps.setLong(7, r.requestedAtMillis());
      ps.setString(8, r.requestedBy());
    }, "storing a reversal request failed");
  }

  /** A decision's requests, oldest first (then by id), after the cursor when given; at most rows. */
  public List<Request> ofDecision(String decisionId, TimeCursor after, int rows) {
    String sql = "SELECT request_id, decision_id, account_id, outcome, verification_method, reasons, requested_at_millis,"
        + " requested_by FROM reversal_requests WHERE decision_id = ?"
        + (after == null ? "" : " AND " + Sql.startingAfter("requested_at_millis", "request_id", TimeOrder.OLDEST_FIRST))
        + Sql.orderBy("requested_at_millis", "request_id", TimeOrder.OLDEST_FIRST) + " LIMIT ?";
    return Sql.list(dataSource, sql, ps -> {
      int i = 1;
      ps.setString(i++, decisionId);
      if (after != null) i = Sql.bindStartingAfter(ps, i, after);
      ps.setInt(i, rows);
    }, rs -> new Request(rs.getString(1), rs.getString(2),
        rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getLong(7), rs.getString(8)),
        "reading reversal requests failed");
  }

  /** Whether a request for this decision was approved or sent to review: it is reversed, or being decided. */
  public boolean answeredYes(String decisionId) {
    String sql = "SELECT COUNT(*) FROM reversal_requests WHERE decision_id = ? AND outcome IN ('approve', 'review')";
    return Sql.number(dataSource, sql, ps -> ps.setString(1, decisionId), "counting reversal requests failed") > 0;
  }

  /** When each of these decisions (a few hundred ids at most) was reversed: its approved request's time. */
  public Map<String, Long> reversedAt(Collection<String> decisionIds) {
    Map<String, Long> out = new HashMap<>();
    if (decisionIds.isEmpty()) return out;
    String sql = "SELECT decision_id, MIN(requested_at_millis) FROM reversal_requests WHERE outcome = 'approve'"
        + " AND decision_id IN (" + Sql.placeholders(decisionIds.size()) + ") GROUP BY decision_id";
    for (Map.Entry<String, Long> e : Sql.list(dataSource, sql, Sql.strings(decisionIds),
        rs -> Map.entry(rs.getString(1), rs.getLong(2)), "reading reversal requests failed")) {
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  /** Reversal requests of an account made after sinceMillis. */
  public int countSince(String accountId, long sinceMillis) {
    String sql = "SELECT COUNT(*) FROM reversal_requests WHERE account_id = ? AND requested_at_millis > ?";
    return (int) Sql.number(dataSource, sql, ps -> {
      ps.setString(1, accountId);
      ps.setLong(2, sinceMillis);
    }, "counting reversal requests failed");
  }
}
