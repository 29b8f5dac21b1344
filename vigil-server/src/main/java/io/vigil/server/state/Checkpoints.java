package io.vigil.server.state;

import io.vigil.engine.Engine;
import io.vigil.engine.state.StateBuffer;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.logging.RedactedFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes checkpoints of the state while decisions flow.
 *
 * <h2>Design</h2>
 * The sequencer asks {@link #due} between decisions; when a checkpoint is due, it calls
 * {@link #capture}, still between decisions: the engine serializes itself to memory
 * ({@link Engine#checkpoint}) — with disk-backed windows, the window store instead checkpoints
 * itself into the new checkpoint's {@value #FEATURES_DIR} directory (RocksDB table files
 * hard-linked, the facts and hash keys in {@code store.bin}) and only the account signals, link
 * graph and ledger are serialized — and the event-id index hands over a snapshot (its sealed sets
 * as they are, a copy of its open table). That is the pause the sequencer pays, logged with each
 * checkpoint. A
 * background thread then writes the files (fsynced), waits until the journal has committed the
 * captured sequence in the same state epoch (a failed commit starts a new epoch, and a capture
 * holding decisions that were never stored is dropped), writes the manifest with that row's hash,
 * renames the directory into place and deletes the checkpoints beyond the newest {@code keep}.
 *
 * <p>At most one checkpoint is written at a time; a capture is not taken while one is. A write
 * that fails (a full disk, say) is logged and removed; the earlier checkpoints stay, and decisions
 * never wait for the disk.
 */
public final class Checkpoints implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Checkpoints.class);
  /** How long the writer waits for the captured sequence to be committed before it drops the checkpoint. */
  static final long COMMIT_WAIT_MILLIS = 120_000;
  /** The directory of a checkpoint that holds a disk-backed window store's own checkpoint. */
  public static final String FEATURES_DIR = "features";
  /** The part holding the event-id index. */
  public static final String EVENT_IDS_PART = "event-ids";

  /** The file of a part. */
  public static String file(String part) {
    return part + ".bin";
  }

  /**
   * @param take take checkpoints while deciding
   * @param load start (and rebuild) from the newest usable checkpoint
   * @param intervalMillis a checkpoint is due this long after the previous one, if a decision was made since
   * @param everyDecisions ... or after this many decisions, whichever comes first
   * @param keep checkpoints kept on disk, newest first
   */
  public record Settings(boolean take, boolean load, long intervalMillis, long everyDecisions, int keep) {
    public Settings {
      if (intervalMillis < 1 || everyDecisions < 1 || keep < 1) throw new IllegalArgumentException("checkpoint settings must be ≥ 1");
    }
  }

  private final CheckpointFiles files;
  private final Settings settings;
  private final JournalRepository journal;
  private final Clock clock;
  private final ExecutorService writer;
  private final AtomicBoolean writing = new AtomicBoolean();
  private long lastCaptureMillis;
  private long lastCaptureSequence;
  private volatile long lastPauseNanos = -1;
  private volatile long lastBytes;
  private volatile long lastWrittenSequence;
  private final AtomicLong failures = new AtomicLong();

  public Checkpoints(CheckpointFiles files, Settings settings, JournalRepository journal, Clock clock) {
    this.files = files;
    this.settings = settings;
    this.journal = journal;
    this.clock = clock;
    this.writer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "vigil-checkpoint");
      t.setDaemon(true);
      return t;
    });
    try {
      files.removeLeftovers();
    } catch (IOException e) {
      log.warn("could not remove unfinished checkpoints in {}: {}", files.dir(), e.toString());
    }
    this.lastCaptureMillis = clock.millis();
  }

  public CheckpointFiles files() {
    return files;
  }

  public Settings settings() {
    return settings;
  }

  /** After a recovery: the schedule counts from now and from the sequence the state was restored from. */
  public void recovered(long checkpointSequence) {
    lastCaptureMillis = clock.millis();
    lastCaptureSequence = checkpointSequence;
  }

  /** On the sequencer: whether a checkpoint of {@code sequence} is due now. */
  public boolean due(long sequence) {
    if (!settings.take() || sequence <= lastCaptureSequence || writing.get()) return false;
    return sequence - lastCaptureSequence >= settings.everyDecisions() || clock.millis() - lastCaptureMillis >= settings.intervalMillis();
  }

  /**
   * On the sequencer, between decisions: serializes the state at {@code sequence} (the engine, and
   * the event-id index through {@code eventIds}, a snapshot taken by the caller just before) and
   * hands it to the writer. {@code heads} tells the committed head and its epoch. A failure here (the
   * disk-backed windows' checkpoint on a full disk, say) is logged and counted; decisions go on.
   */
  public void capture(Engine engine, CheckpointFiles.PartWriter eventIds, long sequence, long epoch, Supplier<CommittedHead> heads) {
    if (!writing.compareAndSet(false, true)) return;
    long startNanos = System.nanoTime();
    Map<String, StateBuffer> parts;
    CheckpointFiles.Pending pending = null;
    boolean featuresOnDisk = engine.features().diskBacked();
    try {
      pending = files.begin(sequence);
      parts = featuresOnDisk ? engine.checkpoint(pending.dir().resolve(FEATURES_DIR), files.cipher()) : engine.checkpoint();
    } catch (IOException | RuntimeException e) {
      writing.set(false);
      failures.incrementAndGet();
      if (pending != null) pending.abandon();
      log.warn("capturing the checkpoint of sequence {} in {} failed; the previous checkpoints are kept and decisions go on: {}",
          sequence, files.dir(), e.getMessage() == null ? e.toString() : e.getMessage(), RedactedFailure.of(e));
      return;
    }
    long pauseNanos = System.nanoTime() - startNanos;
    lastPauseNanos = pauseNanos;
    lastCaptureMillis = clock.millis();
    lastCaptureSequence = sequence;
    long bytes = 0;
    for (StateBuffer b : parts.values()) bytes += b.size();
    long captured = bytes;
    CheckpointFiles.Pending started = pending;
    writer.execute(() -> {
      try {
        write(started, parts, featuresOnDisk, eventIds, sequence, epoch, heads, pauseNanos, captured);
      } finally {
        writing.set(false);
      }
    });
  }

  private void write(CheckpointFiles.Pending pending, Map<String, StateBuffer> parts, boolean featuresOnDisk,
      CheckpointFiles.PartWriter eventIds, long sequence, long epoch, Supplier<CommittedHead> heads, long pauseNanos,
      long capturedBytes) {
    long startNanos = System.nanoTime();
    try {
      for (Map.Entry<String, StateBuffer> part : parts.entrySet()) {
        StateBuffer buffer = part.getValue();
        pending.write(file(part.getKey()), buffer::writeTo);
      }
      parts.clear(); // let the buffers go before the index is written
      pending.write(file(EVENT_IDS_PART), eventIds);
      if (featuresOnDisk) pending.recordTree(FEATURES_DIR);
      String hash = committedHash(sequence, epoch, heads);
      if (hash == null) {
        pending.abandon();
        return;
      }
      Path done = files.publish(pending, hash, clock.millis());
      files.prune(settings.keep());
      lastWrittenSequence = sequence;
      lastBytes = capturedBytes;
      log.info("checkpoint of sequence {} written to {}: the sequencer paused {} ms to capture it ({} MiB serialized{}); written in {} ms",
          sequence, done, pauseNanos / 1_000_000, capturedBytes >> 20, featuresOnDisk ? ", windows hard-linked" : "",
          (System.nanoTime() - startNanos) / 1_000_000);
    } catch (IOException | RuntimeException e) {
      failures.incrementAndGet();
      pending.abandon();
      log.warn("writing the checkpoint of sequence {} to {} failed; the previous checkpoints are kept and decisions go on: {}",
          sequence, files.dir(), e.getMessage() == null ? e.toString() : e.getMessage(), RedactedFailure.of(e));
    }
  }

  /** The hash of row {@code sequence} once it is committed in {@code epoch}; null if it never is. */
  private String committedHash(long sequence, long epoch, Supplier<CommittedHead> heads) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(COMMIT_WAIT_MILLIS);
    while (true) {
      CommittedHead head = heads.get();
      if (head.epoch() != epoch) {
        log.info("checkpoint of sequence {} dropped: the state was rebuilt before it was committed", sequence);
        return null;
      }
      if (head.sequence() >= sequence) {
        if (head.sequence() == sequence) return head.hash();
        return journal.findBySequence(sequence).map(r -> r.record().hash()).orElseThrow(
            () -> new IllegalStateException("row " + sequence + " is committed but not in the journal"));
      }
      if (System.nanoTime() > deadline) {
        log.warn("checkpoint of sequence {} dropped: not committed within {} s", sequence, COMMIT_WAIT_MILLIS / 1000);
        return null;
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
  }

  /** The sequencer's pause for the last capture, in nanoseconds; −1 before the first. */
  public long lastPauseNanos() {
    return lastPauseNanos;
  }

  /** The sequence of the last checkpoint written; 0 before the first. */
  public long lastWrittenSequence() {
    return lastWrittenSequence;
  }

  public long lastBytes() {
    return lastBytes;
  }

  /** Checkpoint writes that failed. */
  public long failures() {
    return failures.get();
  }

  /** Whether a checkpoint is being written. */
  public boolean writing() {
    return writing.get();
  }

  @Override
  public void close() {
    writer.shutdown();
    try {
      if (!writer.awaitTermination(30, TimeUnit.SECONDS)) writer.shutdownNow();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      writer.shutdownNow();
    }
  }
}
