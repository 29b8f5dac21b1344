package io.vigil.server.privacy;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotation of the master keyset: a new primary key is added (and written to the keyset file
 * first), every live data key is re-wrapped under it, and only then, when asked and when no data
 * key is left under an older one, are the older master keys removed. An interrupted rotation is
 * finished by running it again (re-wrapping is idempotent; the older keys stay until then).
 * Checkpoints sealed under a removed key no longer open: the next start replays the journal instead.
 */
public final class KeyRotation {
  private static final Logger log = LoggerFactory.getLogger(KeyRotation.class);
  private static final int REWRAP_BATCH = 500;
  private final DataKeys keys;

  public KeyRotation(DataKeys keys) {
    this.keys = keys;
  }

  /** What a rotation did. */
  public record Result(long primaryKeyId, long rewrapped, long leftUnderOlderKeys, List<Long> removedKeyIds, List<Long> keyIds) {}

  public synchronized Result rotate(boolean removeRetired) {
    MasterKeys master = keys.master();
    long primary = master.addPrimary();
    keys.storeUnstored(); // keys made under the older primary and not yet stored are re-wrapped with the rest
    long rewrapped = rewrapAll(primary);
    long left = keys.repository().countWrappedUnderOther(primary);
    List<Long> removed = removeRetired && left == 0 ? master.removeRetired() : List.of();
    keys.clearCache();
    log.info("personal-data master keyset rotated: primary key {}, {} data keys re-wrapped, {} left under older keys,"
        + " {} older keys removed", primary, rewrapped, left, removed.size());
    return new Result(primary, rewrapped, left, removed, master.keyIds());
  }

  private long rewrapAll(long primary) {
    long n = 0;
    while (true) {
      List<DataKeyRepository.Row> rows = keys.repository().wrappedUnderOther(primary, REWRAP_BATCH);
      if (rows.isEmpty()) return n;
      for (DataKeyRepository.Row row : rows) if (keys.rewrap(row)) n++;
    }
  }
}
