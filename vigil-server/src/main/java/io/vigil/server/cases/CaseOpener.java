package io.vigil.server.cases;

import io.vigil.server.journal.DecisionRules;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.api.Json;
import io.vigil.server.storage.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens cases from what has committed, off the decision path: the decision is answered first, and
 * this reader follows the journal (REVIEW and HOLD decisions, sampled allowed ones) and the stored
 * challenge results (failures) and reversal requests (answered review). Its position in the journal
 * is a stored cursor, advanced after the cases of a batch are open; since opening is idempotent on
 * (decision, origin), a restart between the two opens nothing twice and misses nothing.
 */
public final class CaseOpener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CaseOpener.class);
  static final String JOURNAL_CURSOR = "journal";
  /** Rows of the other sources read per pass (those not yet in a case). */
  private static final int SIDE_ROWS = 200;

  private final JournalRepository journal;
  private final CaseRepository cases;
  private final CaseService service;
  private final CaseSampling sampling;
  private final int batchRows;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "vigil-case-opener");
    t.setDaemon(true);
    return t;
  });

  public CaseOpener(JournalRepository journal, CaseRepository cases, CaseService service, CaseSampling sampling, int batchRows) {
    this.journal = journal;
    this.cases = cases;
    this.service = service;
    this.sampling = sampling;
    this.batchRows = batchRows;
  }

  public CaseOpener start(long pollMillis) {
    timer.scheduleWithFixedDelay(() -> {
      try {
        while (runOnce() == batchRows) {
          // a full batch: more is waiting
        }
      } catch (RuntimeException e) {
        log.warn("opening cases failed; retrying: {}", e.toString());
      }
    }, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    return this;
  }

  /** One pass over each source; the number of journal rows read. */
  public synchronized int runOnce() {
    int read = fromJournal();
    fromChallenges();
    fromReversals();
    return read;
  }

  private int fromJournal() {
    long after = cases.cursor(JOURNAL_CURSOR);
    List<JournalRepository.Committed> rows = journal.committedAfter(after, batchRows);
    if (rows.isEmpty()) return 0;
    for (JournalRepository.Committed head : rows) {
      if (!mayNeedCase(head)) continue;
      JournalRow row = journal.findBySequence(head.sequence()).orElseThrow();
      for (CaseOrigin origin : origins(row)) service.openOrJoin(CaseTrigger.of(row, origin), "system");
    }
    long last = rows.get(rows.size() - 1).sequence();
    Sql.transaction(cases.dataSource(), c -> {
      cases.advanceCursor(c, JOURNAL_CURSOR, last);
      return null;
    }, "advancing the case cursor failed");
    return rows.size();
  }

  /**
   * Whether the decision could need a person, from its action and type alone: most decisions are
   * allowed and not drawn, and their event and response are never read.
   */
  private boolean mayNeedCase(JournalRepository.Committed head) {
    return switch (head.action()) {
      case "REVIEW", "HOLD" -> true;
      case "ALLOW" -> sampling.mayDraw(head.eventType(), head.decisionId());
      default -> false;
    };
  }

  /** Why a committed decision needs a person, if it does. */
  List<CaseOrigin> origins(JournalRow row) {
    List<CaseOrigin> out = new ArrayList<>(1);
    switch (row.action()) {
      case "REVIEW" -> out.add(CaseOrigin.REVIEW);
      case "HOLD" -> out.add(CaseOrigin.HOLD);
      case "ALLOW" -> {
        Set<String> rules = DecisionRules.ruleIds(Json.readMap(row.record().responseJson()));
        if (sampling.drawn(row, rules)) out.add(CaseOrigin.SAMPLE);
      }
      default -> { }
    }
    return out;
  }

  /**
   * Committed decisions the opener has not read yet: 0 when caught up. A steady rise means it cannot
   * keep up or is stuck on a decision it fails to open (its log says why); decisions are not affected.
   */
  public long lagDecisions() {
    return Math.max(0, journal.head().sequence() - cases.cursor(JOURNAL_CURSOR));
  }

  private void fromChallenges() {
    String sql = "SELECT r.decision_id FROM challenge_results r WHERE r.result = 'failed' AND r.recorded_at_millis >= ? AND NOT EXISTS"
        + " (SELECT 1 FROM case_decisions d WHERE d.decision_id = r.decision_id AND d.origin = 'challenge_failed')"
        + " ORDER BY r.recorded_at_millis, r.decision_id LIMIT " + SIDE_ROWS;
    openAll(Sql.list(cases.dataSource(), sql, ps -> ps.setLong(1, horizon()), rs -> rs.getString(1), "reading failed challenges failed"),
        CaseOrigin.CHALLENGE_FAILED);
  }

  private void fromReversals() {
    String sql = "SELECT DISTINCT r.decision_id, MIN(r.requested_at_millis) FROM reversal_requests r WHERE r.outcome = 'review'"
        + " AND r.requested_at_millis >= ?"
        + " AND NOT EXISTS (SELECT 1 FROM case_decisions d WHERE d.decision_id = r.decision_id AND d.origin = 'reversal_review')"
        + " GROUP BY r.decision_id ORDER BY 2, 1 LIMIT " + SIDE_ROWS;
    openAll(Sql.list(cases.dataSource(), sql, ps -> ps.setLong(1, horizon()), rs -> rs.getString(1), "reading reversal requests failed"),
        CaseOrigin.REVERSAL_REVIEW);
  }

  /**
   * The oldest result or request these passes look at: a week back, far longer than any restart
   * takes, so the scan stays bounded however long the tables grow.
   */
  private long horizon() {
    return service.clock().millis() - SIDE_HORIZON_MILLIS;
  }

  static final long SIDE_HORIZON_MILLIS = 7 * 86_400_000L;

  private void openAll(List<String> decisionIds, CaseOrigin origin) {
    for (String id : decisionIds) {
      Optional<JournalRow> row = journal.findByDecisionId(id);
      if (row.isPresent()) service.openOrJoin(CaseTrigger.of(row.get(), origin), "system");
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
