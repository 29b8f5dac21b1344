package io.vigil.server.console.dashboard;

import io.vigil.engine.policy.Action;
import io.vigil.engine.policy.Decision;
import io.vigil.server.decision.DecisionPipeline;
import io.vigil.server.journal.DecisionRules;
import io.vigil.server.journal.JournalRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The dashboard's numbers, kept in memory ({@link MinuteCounts}) so that no page load aggregates the
 * journal.
 *
 * <p>Decisions stored while the server runs are counted as the committer stores them (the
 * pipeline's {@link DecisionPipeline.CommitListener}), with their latency; decisions held through a
 * store outage are counted when they are stored. The days before the server started are read once
 * from the journal by a background thread, newest hour first, each hour one indexed range query on
 * {@code recorded_at_millis} and one on the rules' sequences ({@link JournalRepository#minuteCounts},
 * {@link JournalRepository#ruleCounts}); the journal does not hold latencies, so latency
 * percentiles cover only decisions made since the server started.
 *
 * <p>The split between the two is exact: at {@link #start} the listener is added first, then the
 * journal head is read; the listener counts only the decisions after that head, the backfill only
 * those up to it. The committer never waits for that read: what it tells before the head is known
 * is kept aside (at most {@link #EARLY_MAX}) and sorted out once the head is known.
 */
@Component
public class DashboardCounts implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(DashboardCounts.class);
  /** The backfill's step: one hour of the journal per query. */
  static final long BACKFILL_CHUNK_MILLIS = 3_600_000L;
  /** Decisions told before the journal head is read (a few milliseconds at start); more are not counted. */
  static final int EARLY_MAX = 10_000;

  private record Told(long sequence, long recordedAtMillis, Decision decision, long latencyNanos) {}

  private final MinuteCounts counts = new MinuteCounts();
  private final Consumer<DecisionPipeline.CommitListener> subscribe;
  private final Consumer<DecisionPipeline.CommitListener> unsubscribe;
  private final LongSupplier head;
  private final JournalRepository journal;
  private final Clock clock;
  private final DecisionPipeline.CommitListener listener = this::committed;
  /** Guards {@link #early} and the change of {@link #headSequence} from unknown to known: held for a list append or a swap. */
  private final Object split = new Object();
  /** Decisions told before the head was read; null once it is. */
  private List<Told> early = new ArrayList<>();
  private long earlyDropped;
  /** Decisions up to this sequence are the backfill's; later ones the listener's. -1 until read. */
  private volatile long headSequence = -1;
  /** The server's start (set by {@link #start}): the backfill covers the days before it. */
  private volatile long startedAtMillis;
  /** The oldest instant the backfill has counted from so far; it walks back to {@link #backfillFromMillis}. */
  private volatile long backfilledFromMillis;
  private volatile long backfillFromMillis;
  private volatile Thread backfill;
  private volatile boolean running;

  @Autowired
  public DashboardCounts(DecisionPipeline pipeline, JournalRepository journal, Clock clock) {
    this(pipeline::addCommitListener, pipeline::removeCommitListener, () -> journal.head().sequence(), journal, clock);
  }

  /** {@code subscribe} adds the commit listener at {@link #start}; {@code head} is then read: the last sequence the backfill counts. */
  DashboardCounts(Consumer<DecisionPipeline.CommitListener> subscribe, Consumer<DecisionPipeline.CommitListener> unsubscribe,
      LongSupplier head, JournalRepository journal, Clock clock) {
    this.subscribe = subscribe;
    this.unsubscribe = unsubscribe;
    this.head = head;
    this.journal = journal;
    this.clock = clock;
    this.startedAtMillis = clock.millis();
    this.backfilledFromMillis = startedAtMillis;
  }

  /** Adds the listener, reads the journal head (outside any lock the committer takes), starts the backfill. */
  @Override
  public synchronized void start() {
    if (backfill != null) return;
    running = true;
    subscribe.accept(listener);
    long headRead = head.getAsLong();
    assert headRead >= 0 : headRead;
    List<Told> told;
    long dropped;
    synchronized (split) {
      headSequence = headRead;
      told = early;
      dropped = earlyDropped;
      early = null;
    }
    for (Told t : told) committed(t.sequence(), t.recordedAtMillis(), t.decision(), t.latencyNanos());
    if (dropped > 0) log.warn("the dashboard missed {} decisions stored while it started", dropped);
    startedAtMillis = clock.millis();
    backfilledFromMillis = startedAtMillis;
    backfillFromMillis = Math.floorDiv(startedAtMillis, MinuteCounts.DAY_MILLIS) * MinuteCounts.DAY_MILLIS
        - (MinuteCounts.DAYS - 1) * MinuteCounts.DAY_MILLIS;
    Thread t = new Thread(this::backfill, "vigil-dashboard-backfill");
    t.setDaemon(true);
    backfill = t;
    t.start();
  }

  /** Removes the listener and stops the backfill. */
  @Override
  public synchronized void stop() {
    running = false;
    unsubscribe.accept(listener);
    Thread t = backfill;
    if (t != null) t.interrupt();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** The committer's call: a few array increments under {@link MinuteCounts}' short lock; never a query. */
  void committed(long sequence, long recordedAtMillis, Decision decision, long latencyNanos) {
    long h = headSequence;
    if (h < 0) {
      synchronized (split) {
        h = headSequence;
        if (h < 0) {
          if (early.size() < EARLY_MAX) early.add(new Told(sequence, recordedAtMillis, decision, latencyNanos));
          else earlyDropped++;
          return;
        }
      }
    }
    if (sequence <= h) return;
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
    long firstSequence = Long.MAX_VALUE;
    long lastSequence = Long.MIN_VALUE;
    for (JournalRepository.MinuteCount m : journal.minuteCounts(from, to, headSequence)) {
      counts.add(m.minute() * MinuteCounts.MINUTE_MILLIS, Action.valueOf(m.action()), m.scoreBin() * 10, -1,
          Math.toIntExact(m.count()));
      firstSequence = Math.min(firstSequence, m.sequenceMin());
      lastSequence = Math.max(lastSequence, m.sequenceMax());
    }
    if (firstSequence > lastSequence) return;
    journal.ruleCounts(firstSequence, lastSequence).forEach((rule, n) -> counts.addRule(from, rule, n));
  }

  /** Waits up to {@code millis} for the backfill to finish; true when it has. */
  boolean awaitBackfill(long millis) throws InterruptedException {
    Thread t = backfill;
    if (t == null) return false;
    t.join(millis);
    return !t.isAlive();
  }
}
