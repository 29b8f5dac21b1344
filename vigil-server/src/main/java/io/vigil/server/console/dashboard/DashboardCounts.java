package io.vigil.server.console.dashboard;

import io.vigil.engine.policy.Action;
import io.vigil.engine.policy.Decision;
import io.vigil.server.decision.DecisionPipeline;
import io.vigil.server.journal.DecisionRules;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The dashboard's numbers, kept in memory ({@link MinuteCounts}) so that no page load aggregates the
 * journal.
 *
 * <p>Decisions stored while the server runs are counted as the committer stores them (the
 * pipeline's {@link DecisionPipeline.CommitListener}), with their latency. The days before the
 * server started are read once from the journal by a background thread, newest hour first, each
 * hour one indexed range query on {@code recorded_at_millis} and one on the rules' sequences (see
 * migration V31); the journal does not hold latencies, so latency percentiles cover only decisions
 * made since the server started. The split between the two is exact: the listener is set first,
 * then the journal head is read, and the listener counts only the decisions after that head while
 * the backfill counts only those up to it.
 */
@Component
public class DashboardCounts implements DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(DashboardCounts.class);
  /** The backfill's step: one hour of the journal per query. */
  static final long BACKFILL_CHUNK_MILLIS = 3_600_000L;
  private static final String HOUR_COUNTS = "SELECT recorded_at_millis / 60000, action, score / 10, COUNT(*),"
      + " MIN(sequence), MAX(sequence) FROM decisions WHERE recorded_at_millis >= ? AND recorded_at_millis < ? AND sequence <= ?"
      + " GROUP BY recorded_at_millis / 60000, action, score / 10";
  private static final String RULE_COUNTS = "SELECT rule_id, COUNT(*) FROM decision_rules WHERE sequence >= ? AND sequence <= ?"
      + " GROUP BY rule_id";

  private final MinuteCounts counts = new MinuteCounts();
  private final DataSource dataSource;
  private final Clock clock;
  /** Decisions up to this sequence are the backfill's; later ones the listener's. -1 until read (under this object's lock). */
  private volatile long headSequence = -1;
  /** The server's start: the backfill covers the days before it. */
  private final long startedAtMillis;
  /** The oldest instant the backfill has counted from so far; it walks back to {@link #backfillFromMillis}. */
  private volatile long backfilledFromMillis;
  private final long backfillFromMillis;
  private final Thread backfill;

  @Autowired
  public DashboardCounts(DecisionPipeline pipeline, JournalRepository journal, DataSource dataSource, Clock clock) {
    this(pipeline::onCommitted, () -> journal.head().sequence(), dataSource, clock);
  }

  /** {@code subscribe} sets the commit listener; {@code head} is then read: the last sequence the backfill counts. */
  DashboardCounts(Consumer<DecisionPipeline.CommitListener> subscribe, LongSupplier head, DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
    synchronized (this) {
      // A decision the committer tells of meanwhile waits for the head (committed): nothing is counted twice or lost.
      subscribe.accept(this::committed);
      this.headSequence = head.getAsLong();
    }
    this.startedAtMillis = clock.millis();
    this.backfilledFromMillis = startedAtMillis;
    this.backfillFromMillis = Math.floorDiv(startedAtMillis, MinuteCounts.DAY_MILLIS) * MinuteCounts.DAY_MILLIS
        - (MinuteCounts.DAYS - 1) * MinuteCounts.DAY_MILLIS;
    this.backfill = new Thread(this::backfill, "vigil-dashboard-backfill");
    backfill.setDaemon(true);
    backfill.start();
  }

  void committed(long sequence, long recordedAtMillis, Decision decision, long latencyNanos) {
    long head = headSequence;
    if (head < 0) {
      synchronized (this) {
        head = headSequence;
      }
    }
    if (sequence <= head) return;
    counts.add(recordedAtMillis, decision.action(), decision.score(), latencyNanos, 1);
    for (String rule : DecisionRules.ruleIds(decision.reasons())) counts.addRule(recordedAtMillis, rule, 1);
  }

  MinuteCounts.Window read(long fromMillis, long toMillis, int stepMinutes) {
    return counts.read(fromMillis, toMillis, stepMinutes);
  }

  Map<String, Long> rulesOn(long epochDay) {
    return counts.rulesOn(epochDay);
  }

  long startedAtMillis() {
    return startedAtMillis;
  }

  /** How far back the journal's history is counted so far (the server's start until the backfill has run). */
  long countedFromMillis() {
    return backfilledFromMillis;
  }

  long now() {
    return clock.millis();
  }

  /** Reads the journal before the start, newest hour first, until {@link #backfillFromMillis}. */
  private void backfill() {
    long to = startedAtMillis;
    try {
      while (to > backfillFromMillis && !Thread.currentThread().isInterrupted()) {
        // The hour that holds the instant just before to: each chunk lies within one hour, so within one UTC day.
        long from = Math.max(backfillFromMillis, Math.floorDiv(to - 1, BACKFILL_CHUNK_MILLIS) * BACKFILL_CHUNK_MILLIS);
        backfillHour(from, to);
        to = from;
        backfilledFromMillis = from;
      }
      log.info("the dashboard counted the journal's decisions back to {}", Instant.ofEpochMilli(backfilledFromMillis));
    } catch (RuntimeException e) {
      log.warn("the dashboard could not read the journal's history before {}; it shows the decisions from then on",
          Instant.ofEpochMilli(backfilledFromMillis), e);
    }
  }

  /** Counts [from, to), which lie within one hour and one UTC day. */
  private void backfillHour(long from, long to) {
    try (Connection c = dataSource.getConnection()) {
      long firstSequence = Long.MAX_VALUE;
      long lastSequence = Long.MIN_VALUE;
      try (PreparedStatement ps = c.prepareStatement(HOUR_COUNTS)) {
        ps.setLong(1, from);
        ps.setLong(2, to);
        ps.setLong(3, headSequence); // set before the thread started
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            counts.add(rs.getLong(1) * MinuteCounts.MINUTE_MILLIS, Action.valueOf(rs.getString(2)), rs.getInt(3) * 10, -1,
                Math.toIntExact(rs.getLong(4)));
            firstSequence = Math.min(firstSequence, rs.getLong(5));
            lastSequence = Math.max(lastSequence, rs.getLong(6));
          }
        }
      }
      if (firstSequence > lastSequence) return;
      try (PreparedStatement ps = c.prepareStatement(RULE_COUNTS)) {
        ps.setLong(1, firstSequence);
        ps.setLong(2, lastSequence);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) counts.addRule(from, rs.getString(1), rs.getLong(2));
        }
      }
    } catch (SQLException e) {
      throw new StorageException("reading the journal's counts for the dashboard failed", e);
    }
  }

  /** Waits up to {@code millis} for the backfill to finish; true when it has. */
  boolean awaitBackfill(long millis) throws InterruptedException {
    backfill.join(millis);
    return !backfill.isAlive();
  }

  @Override
  public void destroy() {
    backfill.interrupt();
  }
}
