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

/**
 * Approvals and rejections of held decisions; the primary key (decision, approver) refuses a second
 * approval by one person, and the rejections' key (decision) a second rejection.
 */
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

  /** A person's refusal of a held payment, with why. */
  public record Rejection(String decisionId, String rejectedBy, long rejectedAtMillis, String reason, String recordedBy) {}

  /** Thrown when the decision is already rejected. */
  public static final class AlreadyRejected extends RuntimeException {
    AlreadyRejected() {
      super(null, null, false, false);
    }
  }

  public void insertRejection(Rejection r) {
    String sql = "INSERT INTO hold_rejections (decision_id, rejected_by, rejected_at_millis, reason, recorded_by) VALUES (?,?,?,?,?)";
    Sql.update(dataSource, sql, ps -> {
      ps.setString(1, r.decisionId());
      ps.setString(2, r.rejectedBy());
      ps.setLong(3, r.rejectedAtMillis());
      ps.setString(4, r.reason());
      ps.setString(5, r.recordedBy());
    }, "storing a rejection failed", AlreadyRejected::new);
  }

  /** A decision's rejection, or null. */
  public Rejection rejectionOf(String decisionId) {
    return Sql.one(dataSource, REJECTION_SELECT + " WHERE decision_id = ?", ps -> ps.setString(1, decisionId),
        ApprovalRepository::rejection, "reading a rejection failed").orElse(null);
  }

  /** The rejections of these decisions (a few hundred ids at most), by decision id. */
  public Map<String, Rejection> rejectionsOfAll(Collection<String> decisionIds) {
    Map<String, Rejection> out = new HashMap<>();
    if (decisionIds.isEmpty()) return out;
    String sql = REJECTION_SELECT + " WHERE decision_id IN (" + Sql.placeholders(decisionIds.size()) + ")";
    for (Rejection r : Sql.list(dataSource, sql, Sql.strings(decisionIds), ApprovalRepository::rejection, "reading rejections failed")) {
      out.put(r.decisionId(), r);
    }
    return out;
  }

  private static final String REJECTION_SELECT =
      "SELECT decision_id, rejected_by, rejected_at_millis, reason, recorded_by FROM hold_rejections";

  private static Rejection rejection(ResultSet rs) throws SQLException {
    return new Rejection(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5));
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
