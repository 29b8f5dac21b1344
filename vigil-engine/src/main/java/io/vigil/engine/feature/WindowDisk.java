package io.vigil.engine.feature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Checkpoint;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The window entries of every key on disk, in RocksDB: what lets a {@link FeatureStore} keep in
 * heap only the keys of its {@link WindowCache}, whatever the number of events inside the windows.
 *
 * <h2>Layout</h2>
 * One entry is one key-value pair: key {@code 'W' | entity | hash of the key (16 B) | time | seq}
 * (34 bytes, big-endian, time with its sign bit flipped so that bytes sort as numbers), value
 * {@code amount (8) | currency (2) | flags (1) | partner hashes (8 each)}. The entries of one key are
 * contiguous and in (time, commit order), the order of {@link KeyWindow}, so a key is loaded with one
 * range scan. Keys are keyed 128-bit hashes: no identifier (phone, e-mail, IP) is on disk in clear.
 * The fixed 18-byte prefix (tag, entity, hash) has a bloom filter, so a key never seen costs no read.
 *
 * <h2>Memory</h2>
 * Bounded whatever the data size: the block cache (index and filter blocks included, so that they
 * do not grow with the number of files) and at most {@value #WRITE_BUFFERS} memtables of
 * {@code writeBufferBytes}. The write-ahead log is off: the state is derived from the journal, and
 * a checkpoint flushes the memtables first.
 *
 * <p>Not thread-safe: the store's lock serializes every call.
 */
final class WindowDisk implements AutoCloseable {
  static final int PREFIX_BYTES = 18;
  static final int KEY_BYTES = PREFIX_BYTES + 16;
  private static final byte TAG = 'W';
  private static final int WRITE_BUFFERS = 3;
  /** Key groups one sweep iterator visits before it is renewed (an open iterator pins memtables and files). */
  private static final int GROUPS_PER_ITERATOR = 256;

  static {
    RocksDB.loadLibrary();
  }

  private final Path dir;
  private final LRUCache blockCache;
  private final Options options;
  private final BloomFilter filter;
  private final WriteOptions writeOptions;
  private final ReadOptions loadOptions;
  private final ReadOptions sweepOptions;
  private final RocksDB db;
  private final WriteBatch batch = new WriteBatch();
  // The sweep's position: an iterator renewed every GROUPS_PER_ITERATOR groups, and the prefix it reached.
  private RocksIterator sweepIterator;
  private int sweepGroups;
  private byte[] sweepNext;
  private long sweptGroups;
  private long rangesDeleted;
  private long pointsDeleted;

  /**
   * Opens (or creates) the entries in {@code dir}.
   *
   * @param blockCacheBytes the read cache, index and filter blocks included
   * @param writeBufferBytes one memtable
   */
  WindowDisk(Path dir, long blockCacheBytes, long writeBufferBytes) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
      blockCache = new LRUCache(blockCacheBytes);
      filter = new BloomFilter(10);
      BlockBasedTableConfig table = new BlockBasedTableConfig()
          .setBlockCache(blockCache)
          .setFilterPolicy(filter)
          .setWholeKeyFiltering(false)
          .setCacheIndexAndFilterBlocks(true)
          .setPinL0FilterAndIndexBlocksInCache(true)
          .setBlockSize(16 * 1024);
      options = new Options()
          .setCreateIfMissing(true)
          .useFixedLengthPrefixExtractor(PREFIX_BYTES)
          .setTableFormatConfig(table)
          .setWriteBufferSize(writeBufferBytes)
          .setMaxWriteBufferNumber(WRITE_BUFFERS)
          .setCompressionType(CompressionType.LZ4_COMPRESSION)
          .setLevelCompactionDynamicLevelBytes(true)
          .setMaxBackgroundJobs(2)
          .setMemtablePrefixBloomSizeRatio(0.05);
      writeOptions = new WriteOptions().setDisableWAL(true);
      loadOptions = new ReadOptions().setPrefixSameAsStart(true).setFillCache(true);
      sweepOptions = new ReadOptions().setTotalOrderSeek(true).setFillCache(false);
      db = RocksDB.open(options, dir.toString());
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot open the window state in " + dir + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path dir() {
    return dir;
  }

  // ---- keys -------------------------------------------------------------------------------------

  private byte[] key(int entity, long hi, long lo, long timeMillis, long seq) {
    byte[] k = new byte[KEY_BYTES];
    ByteBuffer b = ByteBuffer.wrap(k);
    b.put(TAG).put((byte) entity).putLong(hi).putLong(lo).putLong(timeMillis ^ Long.MIN_VALUE).putLong(seq);
    return k;
  }

  private static byte[] prefix(int entity, long hi, long lo) {
    byte[] p = new byte[PREFIX_BYTES];
    ByteBuffer.wrap(p).put(TAG).put((byte) entity).putLong(hi).putLong(lo);
    return p;
  }

  /** The first key after every key with this prefix (the prefix plus one, with carry). */
  private static byte[] prefixEnd(byte[] prefix) {
    byte[] end = Arrays.copyOf(prefix, prefix.length);
    for (int i = end.length - 1; i >= 0; i--) {
      if (++end[i] != 0) return end;
    }
    throw new IllegalStateException("no prefix after the last one");
  }

  static long timeOf(byte[] key) {
    return ByteBuffer.wrap(key, PREFIX_BYTES, 8).getLong() ^ Long.MIN_VALUE;
  }

  static long seqOf(byte[] key) {
    return ByteBuffer.wrap(key, PREFIX_BYTES + 8, 8).getLong();
  }

  // ---- writes (batched; one batch per event) ----------------------------------------------------

  void put(int entity, long hi, long lo, long timeMillis, long seq, long amountMinor, short currency, byte flag,
      long[] partnerHashes) {
    ByteBuffer v = ByteBuffer.allocate(11 + 8 * partnerHashes.length);
    v.putLong(amountMinor).putShort(currency).put(flag);
    for (long h : partnerHashes) v.putLong(h);
    try {
      batch.put(key(entity, hi, lo, timeMillis, seq), v.array());
    } catch (RocksDBException e) {
      throw failed("write", e);
    }
  }

  /** Deletes one entry. */
  void delete(int entity, long hi, long lo, long timeMillis, long seq) {
    deletePoint(key(entity, hi, lo, timeMillis, seq));
  }

  /** Deletes the key's entries with (time, seq) up to and including (timeMillis, seq). */
  void deleteUpTo(int entity, long hi, long lo, long timeMillis, long seq) {
    byte[] from = prefix(entity, hi, lo);
    byte[] to = seq == Long.MAX_VALUE ? key(entity, hi, lo, timeMillis + 1, 0) : key(entity, hi, lo, timeMillis, seq + 1);
    try {
      batch.deleteRange(from, to);
      rangesDeleted++;
    } catch (RocksDBException e) {
      throw failed("delete", e);
    }
  }

  /** Writes what this event put and deleted. */
  void commit() {
    if (batch.count() == 0) return;
    try {
      db.write(writeOptions, batch);
      batch.clear();
    } catch (RocksDBException e) {
      throw failed("write", e);
    }
  }

  // ---- reads ------------------------------------------------------------------------------------

  /**
   * Loads the key's entries with time after {@code cutoffMillis} into {@code into}, in order, and
   * deletes those at or before it on the way (one point delete each, or one range delete past
   * {@value #POINT_DELETES_MAX}: range tombstones slow every later read until compacted). Commits
   * the pending batch first, so that the load sees it.
   */
  void load(int entity, long hi, long lo, long cutoffMillis, int capacityMax, KeyWindow into, long[] partnerScratch) {
    commit();
    byte[] prefix = prefix(entity, hi, lo);
    int expired = 0;
    try (RocksIterator it = db.newIterator(loadOptions)) {
      int partners = partnerScratch.length;
      for (it.seek(prefix); it.isValid(); it.next()) {
        byte[] k = it.key();
        long time = timeOf(k);
        if (time <= cutoffMillis) {
          if (++expired <= POINT_DELETES_MAX) deletePoint(k);
          continue;
        }
        ByteBuffer v = ByteBuffer.wrap(it.value());
        long amount = v.getLong();
        short currency = v.getShort();
        byte flag = v.get();
        for (int p = 0; p < partners; p++) partnerScratch[p] = v.getLong();
        into.insert(time, amount, currency, flag, partnerScratch, capacityMax, seqOf(k));
      }
      check(it);
    }
    if (expired > POINT_DELETES_MAX) deleteUpTo(entity, hi, lo, cutoffMillis, Long.MAX_VALUE);
    if (expired > 0) commit();
  }

  /** Expired entries of one key deleted one by one; past this, with one range delete. */
  static final int POINT_DELETES_MAX = 256;

  private void deletePoint(byte[] key) {
    try {
      batch.delete(key);
      pointsDeleted++;
    } catch (RocksDBException e) {
      throw failed("delete", e);
    }
  }

  /**
   * One step of the sweep: visits up to {@code groups} keys (in key order, from where the last step
   * stopped, wrapping around) and deletes their entries at or before {@code cutoffMillis}, reading
   * each key only up to its first live entry.
   */
  void sweepStep(long cutoffMillis, int groups) {
    commit();
    for (int g = 0; g < groups; g++) {
      if (sweepIterator == null || sweepGroups >= GROUPS_PER_ITERATOR) {
        if (sweepIterator != null) sweepIterator.close();
        sweepIterator = db.newIterator(sweepOptions);
        sweepGroups = 0;
        if (sweepNext == null) sweepIterator.seek(new byte[] {TAG});
        else sweepIterator.seek(sweepNext);
      }
      RocksIterator it = sweepIterator;
      if (!it.isValid() || it.key()[0] != TAG) {
        sweepNext = null; // a whole pass done: start again
        sweepIterator.close();
        sweepIterator = null;
        break;
      }
      byte[] k = it.key();
      byte[] prefix = Arrays.copyOf(k, PREFIX_BYTES);
      int expired = 0;
      while (it.isValid() && startsWith(k, prefix) && timeOf(k) <= cutoffMillis) {
        if (++expired <= POINT_DELETES_MAX) deletePoint(k);
        it.next();
        if (it.isValid()) k = it.key();
      }
      if (expired > POINT_DELETES_MAX) deleteUpTo(k[1], hi(prefix), lo(prefix), cutoffMillis, Long.MAX_VALUE);
      sweepNext = prefixEnd(prefix);
      it.seek(sweepNext);
      sweepGroups++;
      sweptGroups++;
    }
    commit();
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static long hi(byte[] k) {
    return ByteBuffer.wrap(k, 2, 8).getLong();
  }

  private static long lo(byte[] k) {
    return ByteBuffer.wrap(k, 10, 8).getLong();
  }

  long sweptGroups() {
    return sweptGroups;
  }

  long rangesDeleted() {
    return rangesDeleted;
  }

  long pointsDeleted() {
    return pointsDeleted;
  }

  /** Live entries on disk, counted by a full scan (tests and tools only). */
  long countEntries(long cutoffMillis) {
    commit();
    long n = 0;
    try (RocksIterator it = db.newIterator(sweepOptions)) {
      for (it.seek(new byte[] {TAG}); it.isValid() && it.key()[0] == TAG; it.next()) {
        if (timeOf(it.key()) > cutoffMillis) n++;
      }
    }
    return n;
  }

  /** A RocksDB property as a number (rocksdb.block-cache-usage, rocksdb.cur-size-all-mem-tables …). */
  long property(String name) {
    try {
      return db.getLongProperty(name);
    } catch (RocksDBException e) {
      throw failed("read a property of", e);
    }
  }

  /** Native memory RocksDB holds: block cache (index and filters included), memtables, table readers. */
  long nativeBytes() {
    return property("rocksdb.block-cache-usage") + property("rocksdb.cur-size-all-mem-tables")
        + property("rocksdb.estimate-table-readers-mem");
  }

  /** Bytes of the files in the directory. */
  long diskBytes() {
    try (Stream<Path> files = Files.list(dir)) {
      long n = 0;
      for (Path f : (Iterable<Path>) files::iterator) if (Files.isRegularFile(f)) n += Files.size(f);
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A consistent copy in {@code target} (which must not exist): hard links to the immutable files, memtables flushed. */
  void checkpointTo(Path target) {
    commit();
    if (sweepIterator != null) {
      sweepIterator.close();
      sweepIterator = null;
    }
    try (FlushOptions flush = new FlushOptions().setWaitForFlush(true); Checkpoint checkpoint = Checkpoint.create(db)) {
      db.flush(flush);
      checkpoint.createCheckpoint(target.toString());
    } catch (RocksDBException e) {
      throw failed("checkpoint", e);
    }
  }

  /**
   * Makes {@code live} a copy of a checkpoint's files: the immutable table files hard-linked (copied
   * when the file system refuses links), the others (manifest, options) copied, since RocksDB
   * writes to them.
   */
  static void restoreFiles(Path checkpoint, Path live) {
    try {
      deleteTree(live);
      Files.createDirectories(live);
      List<Path> files = new ArrayList<>();
      try (Stream<Path> s = Files.list(checkpoint)) {
        s.forEach(files::add);
      }
      for (Path f : files) {
        Path to = live.resolve(f.getFileName());
        if (f.getFileName().toString().endsWith(".sst")) {
          try {
            Files.createLink(to, f);
            continue;
          } catch (IOException | UnsupportedOperationException linkRefused) {
            // another file system: copy
          }
        }
        Files.copy(f, to);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restore the window state from " + checkpoint, e);
    }
  }

  /** Deletes a directory and what it holds, if it exists. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> s = Files.walk(dir)) {
      List<Path> all = new ArrayList<>();
      s.forEach(all::add);
      for (int i = all.size() - 1; i >= 0; i--) Files.delete(all.get(i));
    }
  }

  private static void check(RocksIterator it) {
    try {
      it.status();
    } catch (RocksDBException e) {
      throw failed("read", e);
    }
  }

  private static IllegalStateException failed(String what, RocksDBException e) {
    return new IllegalStateException("cannot " + what + " the window state: " + e.getMessage(), e);
  }

  @Override
  public void close() {
    if (sweepIterator != null) sweepIterator.close();
    batch.close();
    db.close();
    loadOptions.close();
    sweepOptions.close();
    writeOptions.close();
    options.close();
    filter.close();
    blockCache.close();
  }
}
