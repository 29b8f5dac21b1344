package io.vigil.engine.feature;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A busy key's index against the plain scan of the same entries, over long streams that wrap the
 * index's rings many times, evict by time and by capacity, churn through many distinct partners (so
 * that the partner maps are rebuilt), mix currencies and flags, and now and then insert a late entry.
 */
class KeyWindowIndexTest {
  private static final long[] WINDOWS = {60_000L, 600_000L, 3_600_000L, 86_400_000L};
  private static final short USD = 840, EUR = 978;

  @Test
  void theIndexAggregatesExactlyAsTheScanDoes() {
    run(null, 0);
  }

  /**
   * The same, with the indexed key written through to disk as a disk-backed store does, and
   * replaced every {@code reloadEvery} entries by a fresh copy loaded from disk (its index rebuilt
   * from scratch, its ring positions different).
   */
  @ParameterizedTest(name = "reloaded every {0} entries")
  @ValueSource(ints = {97})
  void aKeyLoadedAgainFromDiskAggregatesExactlyAsTheScanDoes(int reloadEvery, @TempDir Path dir) {
    try (WindowDisk disk = new WindowDisk(dir, WindowDiskSettings.MB, WindowDiskSettings.MB)) {
      run(disk, reloadEvery);
    }
  }

  private static void run(WindowDisk disk, int reloadEvery) {
    for (long seed = 1; seed <= 6; seed++) {
      Random r = new Random(seed);
      int partners = 1 + (int) (seed % 3);
      int capacityMax = seed % 2 == 0 ? 300 : 5_000;
      int partnerPool = seed <= 3 ? 20 : 1_000_000; // many repeats, or nearly all distinct
      KeyWindow indexed = new KeyWindow(partners, 1, disk != null), scanned = new KeyWindow(partners, Integer.MAX_VALUE);
      int entity = (int) seed; // one key per seed on the same disk
      long cutoff = Long.MIN_VALUE;
      LongHashSet[] scratch = {new LongHashSet(), new LongHashSet(), new LongHashSet()};
      int stride = 4 + partners;
      long t = 1_000_000_000L;
      for (int i = 0; i < 30_000; i++) {
        t += r.nextInt(20_000);
        long time = r.nextInt(seed == 5 ? 4 : 50) == 0 ? t - r.nextInt(120_000) : t; // a late entry now and then (often, in seed 5)
        long[] hashes = new long[partners];
        for (int p = 0; p < partners; p++) hashes[p] = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(partnerPool);
        short currency = r.nextInt(10) == 0 ? EUR : USD;
        byte flag = (byte) r.nextInt(4);
        long amount = r.nextInt(100_000);
        if (disk != null) {
          // As FeatureStore does: a drop for the cap is deleted on disk, the entry is written through.
          int drops = indexed.dropsOnNextInsert(capacityMax);
          if (drops > WindowDisk.POINT_DELETES_MAX) {
            disk.deleteUpTo(entity, seed, 7, indexed.timeAt(drops - 1), indexed.diskSeqAt(drops - 1));
          } else {
            for (int j = 0; j < drops; j++) disk.delete(entity, seed, 7, indexed.timeAt(j), indexed.diskSeqAt(j));
          }
          disk.put(entity, seed, 7, time, i + 1, amount, currency, flag, hashes);
          disk.commit();
        }
        assertThat(indexed.insert(time, amount, currency, flag, hashes, capacityMax, i + 1))
            .isEqualTo(scanned.insert(time, amount, currency, flag, hashes, capacityMax));
        if (r.nextInt(100) == 0) {
          long evictTo = t - 86_400_000L - r.nextInt(3_600_000);
          cutoff = Math.max(cutoff, evictTo);
          assertThat(indexed.evictUpTo(evictTo)).isEqualTo(scanned.evictUpTo(evictTo));
        }
        if (disk != null && (i + 1) % reloadEvery == 0) {
          KeyWindow loaded = new KeyWindow(partners, 1, true);
          disk.load(entity, seed, 7, cutoff, capacityMax, loaded, new long[partners]);
          assertThat(loaded.size()).isEqualTo(scanned.size());
          indexed = loaded;
        }
        long queryTime = r.nextInt(20) == 0 ? t - r.nextInt(60_000) : t;
        // Seed 6 asks in EUR first, so its index is built in EUR and must move to USD when the queries do.
        short queryCurrency = seed == 6 && i < 500 ? EUR : r.nextInt(20) == 0 ? EUR : USD;
        int windowCount = 1 + r.nextInt(WINDOWS.length), partnerWindows = r.nextInt(windowCount + 1);
        long[] a = new long[stride * WINDOWS.length], b = new long[stride * WINDOWS.length];
        indexed.aggregate(queryTime, WINDOWS, windowCount, partnerWindows, queryCurrency, scratch, a, stride);
        scanned.aggregate(queryTime, WINDOWS, windowCount, partnerWindows, queryCurrency, scratch, b, stride);
        assertThat(a).as("seed %d, entry %d", seed, i).isEqualTo(b);
      }
    }
  }
}
