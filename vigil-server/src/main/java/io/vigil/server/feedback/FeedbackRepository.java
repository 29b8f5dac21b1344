package io.vigil.server.feedback;

import io.vigil.engine.label.Label;
import io.vigil.engine.label.LabelKind;
import io.vigil.engine.label.Verdict;
import io.vigil.server.api.TimeCursor;
import io.vigil.server.storage.Sql;
import io.vigil.server.storage.Sql.TimeOrder;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Outcomes fed back (P3), one row per label id. */
public final class FeedbackRepository {
  private static final String COLUMNS = "label_id, decision_id, event_id, kind, verdict, reason_code, outcome, account_id,"
      + " merchant_id, event_at_millis, known_at_millis, recorded_at_millis, recorded_by";
  private final DataSource dataSource;

  public FeedbackRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A stored label with the decision it is about and who reported it when. */
  public record Stored(Label label, String decisionId, long recordedAtMillis, String recordedBy) {}

  /** A label's verdict on a decision. */
  public record DecisionVerdict(String decisionId, String verdict) {}

  /**
   * The newest labels with a verdict of fraud or legitimate known at or after {@code knownFromMillis},
   * newest first, at most {@code rows}: by the index on (known_at_millis, label_id) (migration V41).
   */
  public List<DecisionVerdict> newestVerdicts(long knownFromMillis, int rows) {
    if (rows < 1) throw new IllegalArgumentException("rows must be at least 1, not " + rows);
    String sql = "SELECT decision_id, verdict FROM feedback_labels WHERE known_at_millis >= ? AND verdict IN ('fraud', 'legitimate')"
        // Both descending: a backward scan of the index; a mixed order (DESC, ASC) would need a sort.
        + " ORDER BY known_at_millis DESC, label_id DESC LIMIT ?";
    return Sql.list(dataSource, sql, ps -> {
      ps.setLong(1, knownFromMillis);
      ps.setInt(2, rows);
    }, rs -> new DecisionVerdict(rs.getString(1), rs.getString(2)), "reading the newest labels failed");
  }

  /** Stores a label; a label id already stored is reported as false (the caller compares). */
  public boolean insert(Stored s) {
    Label l = s.label();
    return Sql.update(dataSource, "INSERT INTO feedback_labels (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", ps -> {
      ps.setString(1, l.labelId());
      ps.setString(2, s.decisionId());
      ps.setString(3, l.eventId());
      ps.setString(4, l.kind().wireName());
      ps.setString(5, l.verdict().wireName());
      ps.setString(6, l.reasonCode());
      ps.setString(7, l.outcome());
      ps.setString(8, l.accountId());
      ps.setString(9, l.merchantId());
      ps.setLong(10, l.eventAtMillis());
      ps.setLong(11, l.knownAtMillis());
      ps.setLong(12, s.recordedAtMillis());
      ps.setString(13, s.recordedBy());
    }, "storing a label failed", () -> new AlreadyStored()) == 1;
  }

  /** The label id is taken. */
  public static final class AlreadyStored extends RuntimeException {
    AlreadyStored() {
      super(null, null, false, false);
    }
  }

  public Optional<Stored> find(String labelId) {
    return Sql.one(dataSource, "SELECT " + COLUMNS + " FROM feedback_labels WHERE label_id = ?", ps -> ps.setString(1, labelId),
        FeedbackRepository::read, "reading a label failed");
  }

  /** A decision's labels in the order they became known (then by label id), after the cursor when given; at most rows. */
  public List<Stored> ofDecision(String decisionId, TimeCursor after, int rows) {
    String sql = "SELECT " + COLUMNS + " FROM feedback_labels WHERE decision_id = ?"
        + (after == null ? "" : " AND " + Sql.startingAfter("known_at_millis", "label_id", TimeOrder.OLDEST_FIRST))
        + Sql.orderBy("known_at_millis", "label_id", TimeOrder.OLDEST_FIRST) + " LIMIT ?";
    return Sql.list(dataSource, sql, ps -> {
      int i = 1;
      ps.setString(i++, decisionId);
      if (after != null) i = Sql.bindStartingAfter(ps, i, after);
      ps.setInt(i, rows);
    }, FeedbackRepository::read, "reading labels failed");
  }

  /** Labels about events after eventAfterMillis: what a rebuilt engine's label store holds. */
  public List<Stored> ofEventsAfter(long eventAfterMillis) {
    return Sql.list(dataSource, "SELECT " + COLUMNS + " FROM feedback_labels WHERE event_at_millis > ? ORDER BY known_at_millis",
        ps -> ps.setLong(1, eventAfterMillis), FeedbackRepository::read, "reading labels failed");
  }

  private static Stored read(ResultSet rs) throws SQLException {
    Label l = new Label(rs.getString(1), rs.getString(3), LabelKind.fromWire(rs.getString(4)), Verdict.fromWire(rs.getString(5)),
        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getLong(10), rs.getLong(11));
    return new Stored(l, rs.getString(2), rs.getLong(12), rs.getString(13));
  }
}
