package io.vigil.server.monitoring;

import io.vigil.engine.monitoring.AlertCandidate;
import io.vigil.engine.monitoring.MonitorState;
import io.vigil.engine.monitoring.Movement;
import io.vigil.engine.monitoring.ScenarioSettings;
import io.vigil.engine.monitoring.TransactionMonitor;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.storage.Sql;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the committed journal off the decision path, in bounded batches, and feeds each decision
 * to the scenarios. Its position is a stored cursor advanced after a batch's alerts are stored;
 * raising is deduplicated per account and scenario, so a restart between the two raises nothing
 * twice. The transfer graph lives in memory: on start it is rebuilt from the journal's last
 * {@link MonitorState#HISTORY_MILLIS} up to the cursor, without alerting.
 */
public final class JournalMonitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JournalMonitor.class);
  private static final JournalRepository.Filter ALL = new JournalRepository.Filter(null, null, null, null, null, null, null, null,
      null, null, null, null, null);

  private final JournalRepository journal;
  private final AlertRepository alerts;
  private final AlertService raiser;
  private final ScenarioStore scenarios;
  private final MovementReader reader;
  private final Supplier<TransactionMonitor> fresh;
  private volatile TransactionMonitor monitor;
  private final Clock clock;
  private final int batchRows;
  private volatile long processedRecordedAtMillis = -1;
  private volatile long processedSequence;
  private boolean warm;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "vigil-monitoring");
    t.setDaemon(true);
    return t;
  });

  JournalMonitor(JournalRepository journal, AlertRepository alerts, AlertService raiser, ScenarioStore scenarios, MovementReader reader,
      Supplier<TransactionMonitor> fresh, Clock clock, int batchRows) {
    this.journal = journal;
    this.alerts = alerts;
    this.raiser = raiser;
    this.scenarios = scenarios;
    this.reader = reader;
    this.fresh = fresh;
    this.monitor = fresh.get();
    this.clock = clock;
    this.batchRows = batchRows;
  }

  public JournalMonitor start(long pollMillis) {
    timer.scheduleWithFixedDelay(() -> {
      try {
        while (runOnce() == batchRows) {
          // a full batch: more is waiting
        }
      } catch (RuntimeException e) {
        log.warn("monitoring failed; retrying: {}", e.toString());
      }
    }, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * One batch: the number of journal rows read. If it fails part-way, the state (which took some of
   * the batch's decisions) is dropped and rebuilt up to the cursor on the next pass, so no decision
   * is counted twice when the batch is read again.
   */
  public synchronized int runOnce() {
    try {
      return batch();
    } catch (RuntimeException e) {
      monitor = fresh.get();
      warm = false;
      throw e;
    }
  }

  private int batch() {
    long after = alerts.cursor();
    if (!warm) warmUp(after);
    List<JournalRow> rows = journal.queryAfter(ALL, after, batchRows);
    if (rows.isEmpty()) {
      processedSequence = after;
      return 0;
    }
    ScenarioStore.Versioned live = scenarios.live();
    for (JournalRow row : rows) {
      Movement m = reader.read(row);
      for (AlertCandidate c : monitor.observe(m, live.settings())) {
        ScenarioSettings.Setting s = live.settings().get(c.scenarioId());
        Optional<MonitoringAlert> raised = raiser.raise(c, live.version(), s.get("cooldown_hours"));
        raised.ifPresent(a -> log.info("monitoring alert {} ({}) on an account", a.alertId(), a.scenarioId()));
      }
    }
    JournalRow last = rows.get(rows.size() - 1);
    Sql.transaction(alerts.dataSource(), c -> {
      alerts.advanceCursor(c, last.record().sequence(), last.record().recordedAtMillis());
      return null;
    }, "advancing the monitoring cursor failed");
    processedSequence = last.record().sequence();
    processedRecordedAtMillis = last.record().recordedAtMillis();
    return rows.size();
  }

  /** Rebuilds the transfer graph from the recent journal up to the cursor, raising nothing. */
  private void warmUp(long cursor) {
    JournalRepository.Filter recent = new JournalRepository.Filter(null, null, null, clock.millis() - MonitorState.HISTORY_MILLIS, null,
        null, null, null, null, null, null, null, null);
    long at = 0;
    int rowsRead = 0;
    while (at < cursor) {
      List<JournalRow> rows = journal.queryAfter(recent, at, batchRows);
      if (rows.isEmpty()) break;
      for (JournalRow row : rows) {
        if (row.record().sequence() > cursor) break;
        monitor.remember(reader.read(row));
        rowsRead++;
        processedRecordedAtMillis = row.record().recordedAtMillis();
      }
      at = rows.get(rows.size() - 1).record().sequence();
    }
    warm = true;
    if (rowsRead > 0) log.info("monitoring state rebuilt from {} journal rows", rowsRead);
  }

  /**
   * How far behind the journal the monitor is, in seconds: the time the newest committed decision
   * was recorded minus that of the last one processed; 0 when caught up.
   */
  public double lagSeconds() {
    JournalRepository.Head head = journal.head();
    if (head.sequence() <= processedSequence) return 0;
    Optional<JournalRow> newest = journal.findBySequence(head.sequence());
    if (newest.isEmpty()) return 0;
    long processed = processedRecordedAtMillis;
    if (processed < 0) {
      Optional<JournalRow> first = journal.queryAfter(ALL, processedSequence, 1).stream().findFirst();
      processed = first.map(r -> r.record().recordedAtMillis()).orElse(newest.get().record().recordedAtMillis());
    }
    return Math.max(0, newest.get().record().recordedAtMillis() - processed) / 1000.0;
  }

  public long processedSequence() {
    return processedSequence;
  }

  /** The live state, for its sizes (read racily from other threads: a size, never an iteration). */
  public MonitorState state() {
    return monitor.state();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
