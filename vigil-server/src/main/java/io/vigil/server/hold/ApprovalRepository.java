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
 * Approvals, rejections and releases of held decisions; the primary key (decision, approver) refuses
 * a second approval by one person, the rejections' key (decision) a second rejection, and the
 * releases' key (decision) a second release.
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

  /**
   * A reviewer's release of a held payment with a case verdict: the hold is approved by it (ALLOW),
   * whatever approvals or step-up it still waited for.
   */
  public record Release(String decisionId, String releasedBy, long releasedAtMillis, String caseId, String reason,
      String recordedBy) {}

  /** Thrown when the decision is already released. */
  public static final class AlreadyReleased extends RuntimeException {
    AlreadyReleased() {
      super(null, null, false, false);
    }
  }

  public void insertRelease(Release r) {
    String sql = "INSERT INTO hold_releases (decision_id, released_by, released_at_millis, case_id, reason, recorded_by)"
        + " VALUES (?,?,?,?,?,?)";
    Sql.update(dataSource, sql, ps -> {
      ps.setString(1, r.decisionId());
      ps.setString(2, r.releasedBy());
      ps.setLong(3, r.releasedAtMillis());
      ps.setString(4, r.caseId());
      ps.setString(5, r.reason());
      ps.setString(6, r.recordedBy());
    }, "storing a release failed", AlreadyReleased::new);
  }

  /** A decision's release, or null. */
  public Release releaseOf(String decisionId) {
    return Sql.one(dataSource, RELEASE_SELECT + " WHERE decision_id = ?", ps -> ps.setString(1, decisionId),
        ApprovalRepository::release, "reading a release failed").orElse(null);
  }

  /** The releases of these decisions (a few hundred ids at most), by decision id. */
  public Map<String, Release> releasesOfAll(Collection<String> decisionIds) {
    Map<String, Release> out = new HashMap<>();
    if (decisionIds.isEmpty()) return out;
    String sql = RELEASE_SELECT + " WHERE decision_id IN (" + Sql.placeholders(decisionIds.size()) + ")";
    for (Release r : Sql.list(dataSource, sql, Sql.strings(decisionIds), ApprovalRepository::release, "reading releases failed")) {
      out.put(r.decisionId(), r);
    }
    return out;
  }

  private static final String RELEASE_SELECT =
      "SELECT decision_id, released_by, released_at_millis, case_id, reason, recorded_by FROM hold_releases";

  private static Release release(ResultSet rs) throws SQLException {
    return new Release(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6));
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
