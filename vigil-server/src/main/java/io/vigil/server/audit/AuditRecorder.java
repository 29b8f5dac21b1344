package io.vigil.server.audit;

import io.vigil.server.logging.RedactedFailure;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail's one writer: a thread that takes entries from a bounded queue and appends them
 * in batches ({@link AuditRepository#append}: one transaction a batch, synced to disk when it holds
 * an action, so a flood of refusals adds no disk syncs beside the decisions'). Request
 * threads never touch the database:
 *
 * <ul>
 *   <li>an action ({@link #record}) waits until its row is stored, at most the wait, so an
 *       operator's change is in the trail before the operator reads the answer;</li>
 *   <li>a denied attempt ({@link #recordDenied}) is queued and never waited for, and takes at most
 *       half the queue: a flood of refused requests cannot push operators' actions out.</li>
 * </ul>
 *
 * An entry that finds no room, or whose batch failed to store, is counted; the next batch that is
 * stored begins with a row saying how many were lost ({@code audit.entries_lost}), so a gap in what
 * was recorded is itself in the chain.
 */
public final class AuditRecorder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AuditRecorder.class);
  static final String LOST_ACTION = "audit.entries_lost";
  private static final int BATCH_ROWS_MAX = 256;

  private record Pending(AuditEntry entry, CompletableFuture<Void> stored) {}

  private final AuditRepository repository;
  private final AddressSeal seal;
  private final Clock clock;
  private final BlockingQueue<Pending> queue;
  private final int deniedRowsMax;
  private final long waitMillis;
  private final AtomicLong lost = new AtomicLong();
  private final AtomicLong stored = new AtomicLong();
  private final Thread writer;
  private volatile boolean closing;

  public AuditRecorder(AuditRepository repository, AddressSeal seal, Clock clock, int queueCapacity, long waitMillis) {
    if (queueCapacity < 2) throw new IllegalArgumentException("the audit queue holds at least 2 entries");
    if (waitMillis < 1) throw new IllegalArgumentException("the audit wait is at least 1 ms");
    this.repository = repository;
    this.seal = seal;
    this.clock = clock;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.deniedRowsMax = queueCapacity / 2;
    this.waitMillis = waitMillis;
    this.writer = new Thread(this::run, "vigil-audit-writer");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  /** Records an action and waits until it is stored (at most the wait); false when it was not stored in time. */
  public boolean record(AuditEntry entry) {
    Pending p = new Pending(entry, new CompletableFuture<>());
    try {
      if (closing || !queue.offer(p, waitMillis, TimeUnit.MILLISECONDS)) {
        lost.incrementAndGet();
        log.warn("audit trail: an entry was not queued in time and is counted as lost");
        return false;
      }
      p.stored().get(waitMillis, TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      return false; // stored later, or counted as lost by the writer
    }
  }

  /** Queues a denied attempt without waiting; dropped (and counted) when denials fill half the queue. */
  public void recordDenied(AuditEntry entry) {
    if (closing || queue.size() >= deniedRowsMax || !queue.offer(new Pending(entry, null))) lost.incrementAndGet();
  }

  /** Entries not stored since start (no room, or a failed write). */
  public long lost() {
    return lost.get();
  }

  /** Rows stored since start. */
  public long stored() {
    return stored.get();
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(BATCH_ROWS_MAX);
    while (true) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closing) return;
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH_ROWS_MAX - 1);
        write(batch);
        batch.clear();
      } catch (InterruptedException e) {
        if (closing && queue.isEmpty()) return;
      }
    }
  }

  private void write(List<Pending> batch) {
    List<AuditEntry> entries = new ArrayList<>(batch.size() + 1);
    long lostBefore = lost.getAndSet(0);
    if (lostBefore > 0) entries.add(lostNote(lostBefore));
    for (Pending p : batch) entries.add(p.entry());
    try {
      boolean actions = false;
      for (Pending p : batch) actions |= p.stored() != null;
      repository.append(entries, seal, actions);
      stored.addAndGet(entries.size());
      for (Pending p : batch) if (p.stored() != null) p.stored().complete(null);
    } catch (RuntimeException e) {
      lost.addAndGet(batch.size() + lostBefore);
      log.error("audit trail: a batch of {} entries could not be stored", batch.size(), RedactedFailure.of(e));
      for (Pending p : batch) if (p.stored() != null) p.stored().completeExceptionally(e);
    }
  }

  private AuditEntry lostNote(long count) {
    return AuditEntry.of(clock.millis(), AuditEntry.SYSTEM, "vigil", null, null, null, "-", "-", null, null, null, LOST_ACTION,
        null, "{\"entries_lost\":" + count + "}", 500, null);
  }

  /** Stores what is queued (at most a few seconds), then stops the writer. */
  @Override
  public void close() {
    closing = true;
    try {
      writer.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
