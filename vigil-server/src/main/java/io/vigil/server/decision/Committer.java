package io.vigil.server.decision;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.vigil.engine.event.Event;
import io.vigil.engine.journal.HashChain;
import io.vigil.engine.journal.JournalRecord;
import io.vigil.engine.restriction.Restriction;
import io.vigil.server.account.RestrictionRepository;
import io.vigil.server.api.ApiException;
import io.vigil.server.journal.DecisionRules;
import io.vigil.server.journal.JournalObserver;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.logging.FatalErrors;
import io.vigil.server.logging.RedactedFailure;
import io.vigil.server.model.DecisionFeatures;
import io.vigil.server.privacy.DataKeyRepository;
import io.vigil.server.state.CommittedHead;
import io.vigil.server.storage.DurableCommit;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit, on a thread of its own: drains up to {@code commitBatchMax} decisions at a time,
 * chains their hashes, writes them in one transaction and only then completes their replies (one
 * fsync for many decisions). A client is never told a decision that is not durable.
 *
 * <h2>When a commit fails</h2>
 * <b>The store is unreachable</b> (a lost connection, a server restarting, no connection within
 * the pool's timeout: anything but a refusal of the rows themselves). The decisions were made and
 * the feature state already counts them, so they are kept, not thrown away: the committer holds
 * that batch and everything queued behind it, in order, with their ids, sequences and chained
 * hashes fixed; fails their callers at once with 503 {@code storage_unavailable}; closes the
 * pipeline (new submissions get the same 503 at once, nothing new is decided); and writes the
 * same rows again, with a backoff of at most {@value #BACKOFF_MAX_MILLIS} ms, until the store
 * takes them. Then the pipeline opens again, with no replay. State stays a function of the journal
 * because the held decisions do get stored; a caller who retries an event id afterwards gets the
 * stored decision byte for byte. A commit whose outcome is unknown (the commit call failed but the
 * server had committed) is settled before each retry: the journal head says what is stored, and
 * those rows are skipped.
 *
 * <p><b>The store refuses the rows</b> (a constraint, a value it cannot hold, or anything that is
 * not an SQL failure). Writing them again would fail again, so the batch and everything queued
 * behind it fail with 503, and the sequencer rebuilds state from the journal ({@link StateRecovery}).
 * A unique violation on the event id (a retry of an event recorded before the idempotency horizon)
 * answers that caller with the stored decision, or the idempotency conflict, through the journal.
 */
final class Committer {
  private static final Logger log = LoggerFactory.getLogger(Committer.class);
  static final long BACKOFF_MIN_MILLIS = 50;
  static final long BACKOFF_MAX_MILLIS = 1_000;
  /**
   * A write that has not returned after this long is a store that does not answer (a partition
   * drops packets rather than connections): new submissions are refused at once until it returns.
   * The pool's connection timeout.
   */
  static final long WRITE_STALL_MILLIS = 5_000;

  /** A decision with its journal row, chained: written as it is, however many attempts it takes. */
  private record Prepared(Pending pending, JournalRow row) {}

  private enum Failure { UNREACHABLE, DUPLICATE, REFUSED }

  private final PipelineState state;
  private final JournalRepository journal;
  private final DataSource dataSource;
  private final int commitBatchMax;
  private final PipelineMetrics metrics;
  private final JournalObserver observer;
  private final Clock clock;
  /** Syncs each committed batch to stable storage before its replies (or not, when durable commits are off). */
  private final DurableCommit durable;
  private final Thread thread;
  /** Decided, refused to their callers, waiting for the store to come back; in sequence order. */
  private final ArrayDeque<Prepared> held = new ArrayDeque<>();
  /** Hash of the last row prepared (stored or held): the next row chains to it. */
  private volatile String chainHead;
  /** Published after each stored batch, for the checkpoint writer (see {@link CommittedHead}). */
  private volatile CommittedHead committedHead = new CommittedHead(0, 0, HashChain.GENESIS);
  private long backoffMillis = BACKOFF_MIN_MILLIS;
  private long downSinceNanos;
  /** Since an outage, until the pool has a connection again: writes use connections of their own. */
  private boolean bypassPool;

  Committer(PipelineState state, JournalRepository journal, DataSource dataSource, int commitBatchMax, PipelineMetrics metrics,
      JournalObserver observer, Clock clock, DurableCommit durable) {
    this.durable = durable;
    this.state = state;
    this.journal = journal;
    this.dataSource = dataSource;
    this.commitBatchMax = commitBatchMax;
    this.metrics = metrics;
    this.observer = observer;
    this.clock = clock;
    this.thread = new Thread(this::run, "vigil-committer");
  }

  /**
   * After a rebuild, while idle: the next row chains to {@code hash}, the head of a new epoch of the
   * in-memory state (a checkpoint captured in an earlier epoch is never published).
   */
  void continueFrom(long sequence, String hash) {
    chainHead = hash;
    committedHead = new CommittedHead(committedHead.epoch() + 1, sequence, hash);
  }

  /** The last committed row and the state epoch it belongs to (read by the checkpoint writer). */
  CommittedHead committedHead() {
    return committedHead;
  }

  void start() {
    thread.start();
  }

  boolean alive() {
    return thread.isAlive();
  }

  void join(long millis) throws InterruptedException {
    thread.join(millis);
  }

  /** The 503 of a decision that is not stored now; the caller adds the fallback advice. */
  static ApiException storeUnreachable() {
    return ApiException.unavailable("storage_unavailable",
        "The decision store is unreachable; no decision was made. Retry shortly with the same event_id");
  }

  /** Any throwable that escapes is fatal: no decision could be stored any more. */
  private void run() {
    try {
      commitLoop();
    } catch (Throwable fatal) {
      FatalErrors.halt("the decision committer", fatal);
    }
  }

  private void commitLoop() {
    List<Pending> batch = new ArrayList<>(commitBatchMax);
    while (state.running || !state.commitQueue.isEmpty() || !held.isEmpty()) {
      if (!held.isEmpty()) {
        if (!retryHeld() && !state.running) {
          log.error("shutting down with {} decisions not stored; their callers were told so", held.size());
          return;
        }
        continue;
      }
      Pending first;
      try {
        first = state.commitQueue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (first == null) continue;
      state.committerBusy = true;
      state.committingSinceNanos = first.submission().receivedNanos();
      try {
        batch.clear();
        batch.add(first);
        state.commitQueue.drainTo(batch, commitBatchMax - 1);
        if (state.broken) {
          failAll(batch);
        } else {
          commitNew(prepare(batch));
        }
      } finally {
        state.committingSinceNanos = 0;
        state.committerBusy = false;
      }
    }
  }

  private List<Prepared> prepare(List<Pending> batch) {
    List<Prepared> prepared = new ArrayList<>(batch.size());
    String previous = chainHead;
    for (Pending p : batch) {
      DecisionPipeline.Submission s = p.submission();
      // The journal keeps the response with its personal values sealed; the caller gets it as decided.
      String storedResponse = state.privacy.sealResponse(p.responseJson(), s.event());
      String hash = HashChain.hash(previous, p.sequence(), p.decisionId(), s.event().eventId(), p.recordedAtMillis(),
          p.decision().policyVersion(), s.requestHash(), s.canonicalJson(), storedResponse);
      JournalRecord record = new JournalRecord(p.sequence(), p.decisionId(), s.event().eventId(), p.recordedAtMillis(),
          p.decision().policyVersion(), s.requestHash(), s.canonicalJson(), storedResponse, previous, hash);
      prepared.add(new Prepared(p, DecisionJson.row(record, s.event(), p.decision())));
      previous = hash;
    }
    chainHead = previous;
    return prepared;
  }

  /** A fresh batch: stored and answered, or held, or failed. */
  private void commitNew(List<Prepared> batch) {
    long startNanos = System.nanoTime();
    try {
      write(batch);
    } catch (SQLException | RuntimeException e) {
      Failure failure = classify(e);
      if (failure == Failure.UNREACHABLE) {
        log.error("committing {} decisions failed: the store is unreachable; holding them and every decision queued behind"
            + " them, refusing new ones, and retrying", batch.size(), RedactedFailure.of(e));
        hold(batch);
      } else {
        refused(batch, e, failure);
      }
      return;
    }
    stored(batch, startNanos);
    for (Prepared p : batch) {
      p.pending().submission().reply().complete(new Outcome.Response(p.pending().responseJson(), false));
    }
  }

  /**
   * Counts a stored decision in the metrics and tells the listeners of it, with one latency (from its
   * receipt to now, when it is durable); a failing listener never fails the commit.
   */
  private void counted(Pending p, long nowNanos) {
    long latencyNanos = nowNanos - p.submission().receivedNanos();
    assert latencyNanos >= 0 : latencyNanos;
    metrics.decided(p.submission().event().type(), p.decision().action(), latencyNanos);
    for (DecisionPipeline.CommitListener listener : state.committed) {
      try {
        listener.committed(p.sequence(), p.recordedAtMillis(), p.decision(), latencyNanos);
      } catch (RuntimeException e) {
        log.warn("a commit listener failed", e);
      }
    }
  }

  /** True while a write has been waiting for the store longer than {@link #WRITE_STALL_MILLIS}. */
  static boolean stalled(PipelineState state) {
    long since = state.writingSinceNanos;
    return since != 0 && System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(WRITE_STALL_MILLIS);
  }

  private void write(List<Prepared> batch) throws SQLException {
    state.writingSinceNanos = System.nanoTime();
    try {
      writeRows(batch);
    } finally {
      state.writingSinceNanos = 0;
    }
  }

  private void writeRows(List<Prepared> batch) throws SQLException {
    // Taken after the batch was sealed (prepare), so every new key its rows use is among them.
    List<DataKeyRepository.Row> newKeys = state.privacy.unstoredKeys();
    try (Connection c = connection()) {
      c.setAutoCommit(false);
      try {
        state.privacy.storeKeys(c, newKeys);
        List<JournalRow> rows = new ArrayList<>(batch.size());
        for (Prepared p : batch) rows.add(p.row());
        JournalRepository.insertBatch(c, rows);
        List<DecisionRules.Fired> fired = new ArrayList<>(batch.size());
        for (Prepared p : batch) {
          fired.add(new DecisionRules.Fired(p.pending().sequence(), DecisionRules.ruleIds(p.pending().decision().reasons())));
        }
        DecisionRules.insertAll(c, fired);
        List<Restriction> restrictions = new ArrayList<>();
        for (Prepared p : batch) restrictions.addAll(p.pending().restrictionsSet());
        RestrictionRepository.insertAll(c, restrictions);
        List<DecisionFeatures.Pending> vectors = new ArrayList<>();
        for (Prepared prepared : batch) {
          Pending p = prepared.pending();
          if (p.decision().model() == null) continue;
          Event e = p.submission().event();
          vectors.add(new DecisionFeatures.Pending(p.sequence(), p.decisionId(), e.eventId(), e.accountId(),
              e.occurredAtMillis(), p.decision().model()));
        }
        DecisionFeatures.insertAll(c, vectors);
        c.commit();
        state.privacy.keysStored(newKeys);
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollbackFailed) {
          e.addSuppressed(rollbackFailed); // the connection is gone: the failure is the first one
        }
        throw e;
      }
      sync(c);
    }
  }

  /**
   * Syncs the batch just committed to stable storage: one sync per group commit. A failed sync is
   * fatal: the rows are committed but may not be on disk, and after a failed fsync the kernel may have
   * dropped the dirty pages, so no reply can be given and no retry can be trusted. The process stops;
   * at restart the journal holds what reached the disk, and callers that got no reply retry (event
   * ids make the retry safe).
   */
  private void sync(Connection c) {
    long startNanos = System.nanoTime();
    boolean synced;
    try {
      synced = durable.afterCommit(c);
    } catch (SQLException | RuntimeException e) {
      FatalErrors.halt("syncing the decision journal to disk", e);
      return;
    }
    if (synced) metrics.commitSync.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * A connection for the next write. After an outage the pool reconnects on its own schedule (its
   * backoff grows to 5 s while the database is away), so until the pool holds a connection again
   * the committer opens its own, through the driver: the decisions are stored, and served, as soon
   * as the database answers.
   */
  private Connection connection() throws SQLException {
    if (!bypassPool || !(dataSource instanceof HikariDataSource pool)) return dataSource.getConnection();
    HikariPoolMXBean bean = pool.getHikariPoolMXBean();
    if (bean != null && bean.getTotalConnections() > 0) {
      bypassPool = false;
      return dataSource.getConnection();
    }
    Properties credentials = new Properties();
    if (pool.getUsername() != null) credentials.setProperty("user", pool.getUsername());
    if (pool.getPassword() != null) credentials.setProperty("password", pool.getPassword());
    return DriverManager.getConnection(pool.getJdbcUrl(), credentials);
  }

  /**
   * Rows up to the batch's last are durable: the anchors hear of the head, the pending map lets go,
   * the metrics and the commit listeners count each row. Fresh batches and held ones stored after an
   * outage (or found stored by a commit whose outcome was unknown) all pass here, so each stored
   * decision is counted once.
   */
  private void stored(List<Prepared> batch, long startNanos) {
    Prepared last = batch.get(batch.size() - 1);
    committedHead = new CommittedHead(committedHead.epoch(), last.pending().sequence(), last.row().record().hash());
    observer.committed(last.pending().sequence(), last.row().record().hash());
    metrics.commitBatch.record(batch.size());
    metrics.commitTimer.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    long nowNanos = System.nanoTime();
    for (Prepared p : batch) {
      state.pendingBySequence.remove(p.pending().sequence());
      counted(p.pending(), nowNanos);
    }
  }

  // ---- the store is unreachable ---------------------------------------------------------------

  /** Keeps {@code batch} and everything queued behind it, fails their callers, and closes the pipeline. */
  private void hold(List<Prepared> batch) {
    if (!state.storageDown) {
      downSinceNanos = System.nanoTime();
      metrics.storageOutages.increment();
    }
    state.storageDown = true;
    bypassPool = true;
    holdAndRefuse(batch);
    holdQueued();
  }

  private void holdQueued() {
    List<Pending> queued = new ArrayList<>();
    state.commitQueue.drainTo(queued);
    if (!queued.isEmpty()) holdAndRefuse(prepare(queued));
  }

  private void holdAndRefuse(List<Prepared> prepared) {
    for (Prepared p : prepared) {
      held.addLast(p);
      // Kept in pendingBySequence until stored: a repeat meanwhile is refused by submit() anyway.
      p.pending().submission().reply().completeExceptionally(ApiException.unavailable("storage_unavailable",
          "The decision store is unreachable; this decision is not stored yet. Retry shortly with the same event_id"));
    }
    state.held = held.size();
  }

  /**
   * One attempt at storing what is held, after the backoff: settles what the store already has,
   * then writes the rest in batches. True when nothing is held any more.
   */
  private boolean retryHeld() {
    try {
      Thread.sleep(backoffMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    backoffMillis = Math.min(BACKOFF_MAX_MILLIS, backoffMillis * 2);
    holdQueued(); // decided while the store went away
    try {
      try (Connection c = connection()) {
        skipStored(JournalRepository.head(c));
      }
      while (!held.isEmpty()) {
        List<Prepared> batch = new ArrayList<>(Math.min(commitBatchMax, held.size()));
        for (Prepared p : held) {
          if (batch.size() == commitBatchMax) break;
          batch.add(p);
        }
        long startNanos = System.nanoTime();
        write(batch);
        stored(batch, startNanos);
        for (int i = 0; i < batch.size(); i++) held.removeFirst();
        state.held = held.size();
      }
    } catch (SQLException | RuntimeException e) {
      Failure failure = classify(e);
      if (failure == Failure.UNREACHABLE) {
        log.debug("the store is still unreachable ({}); {} decisions held", RedactedFailure.describe(e), held.size());
        return false;
      }
      List<Prepared> gaveUp = new ArrayList<>(held);
      held.clear();
      state.held = 0;
      refused(gaveUp, e, failure);
      state.storageDown = false;
      return true;
    }
    log.info("the store is back: held decisions stored after {} ms; accepting decisions again",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSinceNanos));
    backoffMillis = BACKOFF_MIN_MILLIS;
    state.storageDown = false;
    return true;
  }

  /**
   * Drops from the held rows those the journal already has (a commit whose outcome was unknown).
   * The stored head must be one of the held rows or the row before the first: anything else means
   * another writer, and the held rows are refused.
   */
  private void skipStored(JournalRepository.Head head) {
    Prepared first = held.peekFirst();
    if (first == null) return;
    long firstSequence = first.pending().sequence();
    if (head.sequence() == firstSequence - 1 && head.hash().equals(first.row().record().previousHash())) return;
    if (head.sequence() < firstSequence) throw new IllegalStateException("the journal head is behind the held decisions");
    List<Prepared> stored = new ArrayList<>();
    while (!held.isEmpty() && held.peekFirst().pending().sequence() <= head.sequence()) {
      Prepared p = held.removeFirst();
      stored.add(p);
      if (p.pending().sequence() == head.sequence() && !p.row().record().hash().equals(head.hash())) {
        throw new IllegalStateException("the journal head is not the held decision of the same sequence");
      }
    }
    if (stored.isEmpty() || stored.get(stored.size() - 1).pending().sequence() != head.sequence()) {
      throw new IllegalStateException("the journal head is beyond the held decisions");
    }
    log.info("{} held decisions were stored by a commit whose outcome was unknown", stored.size());
    stored(stored, System.nanoTime());
    state.held = held.size();
  }

  // ---- the store refuses the rows ---------------------------------------------------------------

  private void refused(List<Prepared> batch, Exception e, Failure failure) {
    log.error("committing {} decisions failed; failing them and rebuilding state from the journal", batch.size(),
        RedactedFailure.of(e));
    state.broken = true;
    List<Pending> pending = new ArrayList<>(batch.size());
    for (Prepared p : batch) pending.add(p.pending());
    if (failure == Failure.DUPLICATE) pending = answerStoredEventIds(pending);
    List<Pending> queued = new ArrayList<>();
    state.commitQueue.drainTo(queued);
    pending.addAll(queued);
    failAll(pending);
  }

  /**
   * The decisions of {@code batch} whose event id the journal already holds (recorded before the
   * horizon, so the index no longer knew them) are answered with that row, through the decision
   * service's journal read: the stored decision when the body matches, the conflict otherwise. The
   * sequencer remembers them exactly. Returns the others.
   */
  private List<Pending> answerStoredEventIds(List<Pending> batch) {
    Set<String> eventIds = new HashSet<>();
    for (Pending p : batch) eventIds.add(p.submission().event().eventId());
    Map<String, Long> stored;
    try {
      stored = journal.sequencesOfEventIds(eventIds);
    } catch (RuntimeException unreadable) {
      return batch;
    }
    List<Pending> others = new ArrayList<>(batch.size());
    long now = clock.millis();
    for (Pending p : batch) {
      Long sequence = stored.get(p.submission().event().eventId());
      if (sequence == null || sequence == p.sequence()) {
        others.add(p);
        continue;
      }
      state.pendingBySequence.remove(p.sequence());
      for (Restriction r : p.restrictionsSet()) state.engine.restrictions().put(r.lifted(now), now);
      state.storedBeyondHorizon.add(new PipelineState.StoredId(p.submission().event().eventId(), sequence));
      p.submission().reply().complete(new Outcome.Lookup(sequence));
    }
    return others;
  }

  private void failAll(List<Pending> batch) {
    long now = clock.millis();
    for (Pending p : batch) {
      state.pendingBySequence.remove(p.sequence());
      // Not stored, so not in force: a lifted restriction leaves the index.
      for (Restriction r : p.restrictionsSet()) state.engine.restrictions().put(r.lifted(now), now);
      p.submission().reply().completeExceptionally(
          ApiException.unavailable("storage_unavailable", "The decision could not be stored; nothing was recorded. Retry shortly"));
    }
  }

  /**
   * Unreachable unless the store named the rows at fault: SQLState class 22 (data), 23 (a
   * constraint; 23505, a unique violation, may be an event id stored before the horizon), 42
   * (syntax or access), 44; a failure that is not an SQL one is a bug, and refused too.
   */
  private static Failure classify(Exception e) {
    boolean sql = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (!(t instanceof SQLException s)) continue;
      sql = true;
      for (SQLException next = s; next != null; next = next.getNextException()) {
        String st = next.getSQLState();
        if (st == null || st.length() < 2) continue;
        if (st.equals("23505")) return Failure.DUPLICATE;
        String cls = st.substring(0, 2);
        if (cls.equals("22") || cls.equals("23") || cls.equals("42") || cls.equals("44")) return Failure.REFUSED;
      }
      if (t.getCause() == t) break;
    }
    return sql ? Failure.UNREACHABLE : Failure.REFUSED;
  }
}
