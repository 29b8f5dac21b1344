package io.vigil.server.hold;

import io.vigil.server.storage.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Approvals of held decisions; the primary key (decision, approver) refuses a second approval by one person. */
public final class ApprovalRepository {
  private final DataSource dataSource;

  public ApprovalRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public record Approval(String decisionId, String approverId, String role, long approvedAtMillis, String recordedBy) {}

  /** Thrown when the approver has already approved this decision. */
  public static final class DuplicateApprover extends RuntimeException {
    DuplicateApprover() {
      super(null, null, false, false);
    }
  }

  public void insert(Approval a) {
    String sql = "INSERT INTO hold_approvals (decision_id, approver_id, approver_role, approved_at_millis, recorded_by)"
        + " VALUES (?,?,?,?,?)";
    Sql.update(dataSource, sql, ps -> {
      ps.setString(1, a.decisionId());
      ps.setString(2, a.approverId());
      ps.setString(3, a.role());
      ps.setLong(4, a.approvedAtMillis());
      ps.setString(5, a.recordedBy());
    }, "storing an approval failed", DuplicateApprover::new);
  }

  /** The approvals of these decisions (a few hundred ids at most), oldest first, by decision id. */
  public Map<String, List<Approval>> ofAll(Collection<String> decisionIds) {
    Map<String, List<Approval>> out = new HashMap<>();
    if (decisionIds.isEmpty()) return out;
    String sql = "SELECT decision_id, approver_id, approver_role, approved_at_millis, recorded_by FROM hold_approvals"
        + " WHERE decision_id IN (" + Sql.placeholders(decisionIds.size()) + ") ORDER BY approved_at_millis, approver_id";
    for (Approval a : Sql.list(dataSource, sql, Sql.strings(decisionIds), ApprovalRepository::approval, "reading approvals failed")) {
      out.computeIfAbsent(a.decisionId(), id -> new ArrayList<>()).add(a);
    }
    return out;
  }

  /** A decision's approvals, oldest first. */
  public List<Approval> of(String decisionId) {
    String sql = "SELECT decision_id, approver_id, approver_role, approved_at_millis, recorded_by FROM hold_approvals"
        + " WHERE decision_id = ? ORDER BY approved_at_millis, approver_id";
    return Sql.list(dataSource, sql, ps -> ps.setString(1, decisionId), ApprovalRepository::approval, "reading approvals failed");
  }

  private static Approval approval(ResultSet rs) throws SQLException {
    return new Approval(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5));
  }
}
