package io.vigil.engine.feature;

/**
 * Memory of a disk-backed {@link FeatureStore}; all of it is bounded, whatever the number of events
 * inside the windows.
 *
 * @param cacheBytes heap for the keys in the {@link WindowCache} (their entries and indexes)
 * @param blockCacheBytes RocksDB's read cache, index and filter blocks included (native memory)
 * @param writeBufferBytes one RocksDB memtable (native memory; at most three)
 */
public record WindowDiskSettings(long cacheBytes, long blockCacheBytes, long writeBufferBytes) {
  public static final long MB = 1L << 20;

  public WindowDiskSettings {
    if (cacheBytes < 0 || cacheBytes > 64L * 1024 * MB) {
      throw new IllegalArgumentException("the window cache must be between 0 and 64 GB");
    }
    if (blockCacheBytes < MB || blockCacheBytes > 64L * 1024 * MB) {
      throw new IllegalArgumentException("the block cache must be between 1 MB and 64 GB");
    }
    if (writeBufferBytes < MB || writeBufferBytes > 1024 * MB) {
      throw new IllegalArgumentException("the write buffer must be between 1 MB and 1 GB");
    }
  }

  /**
   * These settings with the cache at most a quarter of {@code maxHeapBytes}: the cache is only part
   * of the heap (facts, signals and the event-id index share it), and a cache as large as a small
   * heap would end in an out-of-memory exit.
   */
  public WindowDiskSettings withinHeap(long maxHeapBytes) {
    long cap = maxHeapBytes / 4;
    return cacheBytes <= cap ? this : new WindowDiskSettings(cap, blockCacheBytes, writeBufferBytes);
  }

  /** 256 MB of keys in heap, a 64 MB block cache, 16 MB memtables. */
  public static WindowDiskSettings defaults() {
    return new WindowDiskSettings(256 * MB, 64 * MB, 16 * MB);
  }
}
