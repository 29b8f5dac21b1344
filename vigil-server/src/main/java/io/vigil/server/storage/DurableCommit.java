package io.vigil.server.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Makes a committed transaction reach stable storage before the committer replies, so an
 * acknowledged decision survives a power loss, not only a killed process.
 *
 * <p><b>Embedded H2.</b> With {@code WRITE_DELAY=0} H2 writes each commit to its file before the
 * commit returns, but never asks the kernel to flush it: the data sits in the page cache. After
 * each group commit the committer runs {@code CHECKPOINT SYNC}, which calls {@code fsync} on the
 * store file once (measured: one fsync per statement, no extra writes). One group commit, one
 * sync: its cost is shared by every decision of the batch.
 *
 * <p><b>PostgreSQL.</b> The server flushes its WAL at commit when {@code synchronous_commit} is not
 * {@code off}; {@link Storage#open} raises it to {@code on} for Vigil's connections when the server
 * or role sets it {@code off} (a stronger setting is kept). Nothing more is needed here.
 *
 * <p>{@link #OFF} skips the sync (the setting {@code vigil.storage.durable-commits=false}): for
 * benchmarks, or storage whose write cache survives a power loss. A killed process still loses
 * nothing; a power loss may lose the last acknowledged decisions.
 */
public final class DurableCommit {
  /** Syncs when the connection is H2's (PostgreSQL syncs at commit by itself). */
  public static final DurableCommit SYNC = new DurableCommit(true);
  /** Never syncs. */
  public static final DurableCommit OFF = new DurableCommit(false);

  private final boolean enabled;

  private DurableCommit(boolean enabled) {
    this.enabled = enabled;
  }

  public static DurableCommit of(boolean enabled) {
    return enabled ? SYNC : OFF;
  }

  public boolean enabled() {
    return enabled;
  }

  /**
   * Returns once the transaction just committed on {@code c} is on stable storage. Whether the
   * connection is H2's is read from its metadata each call (a cheap field read in the driver).
   *
   * @return whether a sync was made (false on PostgreSQL, whose commit already synced, and when off)
   * @throws SQLException when the sync failed: the commit may not be durable, and the caller must
   *     not retry the sync as if the dirty pages were still there (the kernel may have dropped them)
   */
  public boolean afterCommit(Connection c) throws SQLException {
    if (!enabled || !isH2(c)) return false;
    try (Statement s = c.createStatement()) {
      s.execute("CHECKPOINT SYNC");
    }
    return true;
  }

  private static boolean isH2(Connection c) throws SQLException {
    return c.getMetaData().getURL().startsWith("jdbc:h2:");
  }
}
