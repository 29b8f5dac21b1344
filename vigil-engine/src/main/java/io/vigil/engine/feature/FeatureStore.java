package io.vigil.engine.feature;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import io.vigil.engine.event.Event;
import io.vigil.engine.money.ExchangeRates;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import io.vigil.engine.state.PartCipher;
import io.vigil.engine.state.StateFormatException;
import io.vigil.engine.state.StateReader;
import io.vigil.engine.state.StateWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Currency;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * Velocity windows and first-seen facts, derived from committed events only.
 *
 * <h2>Exactness</h2>
 * For the k-th committed event e with time t and an entity key K of e, the window feature over
 * length w equals a recount over the events e_1..e_k (e included) that carry K and have time in
 * (t - w, t]. Events later in commit order but earlier in time are counted by later events whose
 * windows cover them; events with a time after t are never counted for e. {@code sum} adds the
 * amounts in e's currency (or the base currency if e has none). {@code near_threshold} counts the
 * events whose amount, converted to the threshold's currency at the exchange rates of the decision
 * that recorded it, lies in the band under the threshold; an amount without a rate is not near.
 * Distinct counts compare 64-bit
 * SipHash values of the partner ids, keyed per process, so a collision needs ~2^32 values in one
 * window.
 *
 * <h2>Late events and memory</h2>
 * The engine clock (wall time, never moving backwards) bounds lateness: an event older than
 * {@code clock - latenessMillis} is refused by the engine, so entries older than
 * {@code clock - longestWindow - lateness} can never be inside a window again and are dropped,
 * both when their key is touched and in a periodic {@link #sweep(long)}. One key keeps at most
 * {@code entriesPerKeyMax} entries (see {@link KeyWindow} for bytes per entry); past that the
 * oldest are dropped and counted in {@link #entriesDropped()}, and exactness holds only for
 * windows that do not reach back past them.
 *
 * <h2>In memory or on disk</h2>
 * Built with {@link #FeatureStore(FeatureConfig)}, every entry is in heap, in one {@link KeyWindow}
 * per key. Built with {@link #onDisk}, heap is bounded by the population, not by the number of
 * events: every entry is written through to RocksDB ({@link WindowDisk}) and only the keys of a
 * bounded {@link WindowCache} are in heap as {@link KeyWindow}s; a key not cached is loaded with one
 * range scan when an event or a query touches it, so the windows are the same, exactly. Keys are
 * keyed 128-bit SipHash values (two SipHash-2-4 under independent keys; the low half is the
 * partner hash), so no identifier is on disk in clear. Expired entries leave the disk when their key
 * is loaded and through a sweep that visits one key per event and a few thousand per
 * {@link #sweep(long)}, so that no decision pays for a burst of expirations. In that mode
 * {@link #entryCount()} and {@link #keyCount()} count what is in heap. First-seen facts are
 * bounded per account and stay in heap in both modes. {@link #checkpointTo} writes all of the
 * state (entries, facts, hash keys) and {@link #fromCheckpoint} opens it again.
 *
 * <h2>Threads</h2>
 * All methods synchronize on the store. The decision sequencer is its only writer; the feature
 * query endpoint and tests read through {@link #query}.
 */
public final class FeatureStore implements AutoCloseable {
  private static final Entity[] ENTITIES = Entity.values();
  private final FeatureConfig config;
  /**
   * The four SipHash keys: [0, 1] the partner hash (the low half), [2, 3] the high half. One set of
   * keys for both modes: a checkpoint (the in-memory part or the disk store's {@code store.bin})
   * carries them, so that a restored store hashes identically.
   */
  private long[] hashKeys;
  private HashFunction hasher;
  private HashFunction hasherHigh;
  private final long[] windowMillis;
  private final Map<Entity, Map<String, KeyWindow>> windows = new EnumMap<>(Entity.class);
  /** By account id in memory, by {@link WindowKey} on disk. */
  private final Map<Object, AccountFacts> accounts = new HashMap<>();
  // Disk-backed only (null in memory).
  private final WindowDisk disk;
  private final WindowCache cache;
  private final WindowKey[] eventKeys = new WindowKey[ENTITIES.length];
  private final long[][] partnerScratch = new long[4][];
  private long nextDiskSeq = 1;
  private long lastClockMillis = Long.MIN_VALUE;
  private boolean closed;
  private final String nearCurrency;
  private final short baseCurrency;
  private final LongHashSet[] scratch = {new LongHashSet(), new LongHashSet(), new LongHashSet()};
  private long entriesDropped;
  private long entryCount;
  private long version;

  /** Entries from which a key is aggregated through its index instead of a scan (see {@link KeyWindow}). */
  static final int INDEX_MIN_ENTRIES = 256;
  private final int indexMinEntries;

  public FeatureStore(FeatureConfig config) {
    this(config, INDEX_MIN_ENTRIES);
  }

  /** For tests: {@code indexMinEntries} 1 indexes every key, {@code Integer.MAX_VALUE} none. */
  FeatureStore(FeatureConfig config, int indexMinEntries) {
    this(config, indexMinEntries, randomHashKeys(), null, null);
  }

  /**
   * A disk-backed store in {@code dir}, empty: whatever the directory held is deleted (the state is
   * derived from the journal, which a fresh engine replays).
   */
  public static FeatureStore onDisk(FeatureConfig config, Path dir, WindowDiskSettings settings) {
    return onDisk(config, dir, settings, INDEX_MIN_ENTRIES);
  }

  static FeatureStore onDisk(FeatureConfig config, Path dir, WindowDiskSettings settings, int indexMinEntries) {
    try {
      WindowDisk.deleteTree(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot empty the window state directory " + dir, e);
    }
    WindowDisk disk = new WindowDisk(dir, settings.blockCacheBytes(), settings.writeBufferBytes());
    return new FeatureStore(config, indexMinEntries, randomHashKeys(), disk, new WindowCache(settings.cacheBytes()));
  }

  private FeatureStore(FeatureConfig config, int indexMinEntries, long[] hashKeys, WindowDisk disk, WindowCache cache) {
    this.indexMinEntries = indexMinEntries;
    this.config = config;
    useHashKeys(hashKeys);
    this.disk = disk;
    this.cache = cache;
    for (int p = 0; p < partnerScratch.length; p++) partnerScratch[p] = new long[p];
    List<Window> ws = config.windows();
    this.windowMillis = new long[ws.size()];
    for (int i = 0; i < ws.size(); i++) windowMillis[i] = ws.get(i).millis();
    for (Entity e : Entity.values()) windows.put(e, new HashMap<>());
    this.nearCurrency = config.nearThresholdCurrency();
    this.baseCurrency = currencyCode(config.baseCurrency());
  }

  private static long[] randomHashKeys() {
    SecureRandom random = new SecureRandom();
    return new long[] {random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong()};
  }

  public FeatureConfig config() {
    return config;
  }

  /** Whether entries are on disk (see the class comment). */
  public boolean diskBacked() {
    return disk != null;
  }

  /** The high half of a key's 128-bit hash (the low half is {@link #hash}). */
  private long hashHigh(String value) {
    return hasherHigh.hashString(value, StandardCharsets.UTF_8).asLong();
  }

  private void useHashKeys(long[] keys) {
    if (keys.length != 4) throw new IllegalArgumentException("four SipHash keys");
    this.hashKeys = keys.clone();
    this.hasher = Hashing.sipHash24(keys[0], keys[1]);
    this.hasherHigh = Hashing.sipHash24(keys[2], keys[3]);
  }

  /** A keyed 64-bit hash of an identifier; never 0 (0 means "absent" in the arrays). */
  long hash(String value) {
    if (value == null) return 0;
    long h = hasher.hashString(value, StandardCharsets.UTF_8).asLong();
    return h == 0 ? 1 : h;
  }

  /**
   * Records a committed (or about to be committed) event and returns its features: facts as of
   * just before the event, windows including it. The returned view is valid until the next call.
   *
   * @param rates the exchange rates of the decision, which say whether the amount is near the
   *     structuring threshold
   */
  public FeatureView apply(Event event, long clockMillis, ExchangeRates rates) {
    return apply(event, clockMillis, rates, rates.toBaseMinor(event));
  }

  /**
   * As {@link #apply(Event, long, ExchangeRates)}, with the event's amount already converted to the
   * base currency ({@link ExchangeRates#toBaseMinor(Event)}): a decision converts it once, for the
   * structuring band and for its rules.
   */
  public synchronized FeatureView apply(Event event, long clockMillis, ExchangeRates rates, long amountBaseMinor) {
    ensureOpen();
    long t = event.occurredAtMillis();
    long[] hashes = new long[ENTITIES.length]; // each value hashed once per event
    for (Entity entity : ENTITIES) hashes[entity.ordinal()] = hash(entity.valueOf(event));
    long deviceHash = hashes[Entity.DEVICE.ordinal()];
    lastClockMillis = Math.max(lastClockMillis, clockMillis);
    Object accountKey = event.accountId() == null ? null : accountKey(event.accountId(), hashes[Entity.ACCOUNT.ordinal()]);
    Facts facts = factsBefore(event, accountKey, deviceHash);
    recordFacts(event, accountKey, deviceHash);
    short currency = event.currency() == null ? 0 : currencyCode(event.currency());
    long amount = event.hasAmount() ? event.amountMinor() : 0;
    byte flag = (byte) ((event.isFailedLogin() ? KeyWindow.FLAG_FAILED_LOGIN : 0)
        | (nearThreshold(event, rates, amountBaseMinor) ? KeyWindow.FLAG_NEAR_THRESHOLD : 0));
    long cutoff = clockMillis - config.retentionMillis();
    if (disk != null) {
      applyOnDisk(event, hashes, t, amount, currency, flag, cutoff);
      version++;
      return new FeatureView(this, event, facts, version);
    }
    for (Entity entity : ENTITIES) {
      String key = entity.valueOf(event);
      if (key == null) continue;
      long[] partnerHashes = partnerHashes(entity, hashes);
      KeyWindow kw = windows.get(entity).computeIfAbsent(key, k -> new KeyWindow(partnerHashes.length, indexMinEntries));
      entryCount -= kw.evictUpTo(cutoff);
      int dropped = kw.insert(t, amount, currency, flag, partnerHashes, config.entriesPerKeyMax());
      entriesDropped += dropped;
      entryCount += 1 - dropped;
    }
    version++;
    return new FeatureView(this, event, facts, version);
  }

  /** Keys the sweep visits on disk per event, and per call of {@link #sweep(long)}. */
  static final int SWEEP_KEYS_PER_EVENT = 1;
  static final int SWEEP_KEYS_PER_CALL = 4_096;

  /**
   * {@link #apply} on disk: each key of the event is taken from the cache or loaded, evicts and
   * drops as in memory (mirrored on disk), takes the entry, and the entries go to disk in one write.
   */
  private void applyOnDisk(Event event, long[] hashes, long t, long amount, short currency, byte flag, long cutoff) {
    long seq = nextDiskSeq++;
    int keyCount = 0;
    int capacityMax = config.entriesPerKeyMax();
    for (Entity entity : ENTITIES) {
      String key = entity.valueOf(event);
      if (key == null) continue;
      long[] partnerHashes = partnerHashes(entity, hashes);
      WindowKey wk = new WindowKey(entity.ordinal(), hashHigh(key), hashes[entity.ordinal()]);
      eventKeys[keyCount++] = wk;
      KeyWindow kw = cachedOrLoaded(wk, cutoff);
      kw.evictUpTo(cutoff);
      int drops = kw.dropsOnNextInsert(capacityMax);
      if (drops > 0) deleteDropped(wk, kw, drops);
      entriesDropped += kw.insert(t, amount, currency, flag, partnerHashes, capacityMax, seq);
      disk.put(wk.entity(), wk.hi(), wk.lo(), t, seq, amount, currency, flag, partnerHashes);
      cache.refresh(kw);
    }
    disk.commit();
    disk.sweepStep(cutoff, SWEEP_KEYS_PER_EVENT);
    cache.trim(eventKeys, keyCount);
  }

  /**
   * Mirrors on disk the drop of a full key's oldest entries: one point delete each, or one range
   * delete when there are many (range tombstones slow later reads until compacted).
   */
  private void deleteDropped(WindowKey wk, KeyWindow kw, int drops) {
    if (drops > WindowDisk.POINT_DELETES_MAX) {
      disk.deleteUpTo(wk.entity(), wk.hi(), wk.lo(), kw.timeAt(drops - 1), kw.diskSeqAt(drops - 1));
      return;
    }
    for (int j = 0; j < drops; j++) disk.delete(wk.entity(), wk.hi(), wk.lo(), kw.timeAt(j), kw.diskSeqAt(j));
  }

  /** The key's window: cached, or loaded from disk (its live entries; expired ones leave the disk). */
  private KeyWindow cachedOrLoaded(WindowKey wk, long cutoff) {
    KeyWindow kw = cache.get(wk);
    if (kw != null) return kw;
    int partners = ENTITIES[wk.entity()].partners().size();
    kw = new KeyWindow(partners, indexMinEntries, true);
    disk.load(wk.entity(), wk.hi(), wk.lo(), cutoff, config.entriesPerKeyMax(), kw, partnerScratch[partners]);
    cache.put(wk, kw);
    return kw;
  }

  /** The window of a key for a read, or null if the key has no entry. */
  private KeyWindow windowForRead(Entity entity, String key) {
    if (disk == null) return windows.get(entity).get(key);
    WindowKey wk = new WindowKey(entity.ordinal(), hashHigh(key), hash(key));
    KeyWindow kw = cachedOrLoaded(wk, lastClockMillis == Long.MIN_VALUE ? Long.MIN_VALUE : lastClockMillis - config.retentionMillis());
    if (kw.size() == 0) {
      cache.remove(wk);
      return null;
    }
    return kw;
  }

  private Object accountKey(String accountId, long lo) {
    return disk == null ? accountId : new WindowKey(Entity.ACCOUNT.ordinal(), hashHigh(accountId), lo);
  }

  /** The hashes of the entity's partners in the event (0 where the event has none), from the event's hashes by entity. */
  private static long[] partnerHashes(Entity entity, long[] hashesByEntity) {
    List<Entity> partnerEntities = entity.partners();
    long[] partnerHashes = new long[partnerEntities.size()];
    for (int p = 0; p < partnerHashes.length; p++) partnerHashes[p] = hashesByEntity[partnerEntities.get(p).ordinal()];
    return partnerHashes;
  }

  /** Whether the event's amount, in the threshold's currency, is in the band just under the threshold. */
  private boolean nearThreshold(Event event, ExchangeRates rates, long amountBaseMinor) {
    if (!event.hasAmount()) return false;
    long converted = nearCurrency.equals(rates.baseCurrency()) ? amountBaseMinor
        : rates.convertMinor(event.amountMinor(), event.currency(), nearCurrency);
    return converted != ExchangeRates.UNKNOWN && converted >= config.nearThresholdLowMinor()
        && converted < config.nearThresholdMinor();
  }

  /** Window values of one key as of tMillis, without recording anything. Null if unknown key. */
  public synchronized long[] query(Entity entity, String key, long tMillis, String currency) {
    return query(entity, key, tMillis, currency, windowMillis.length);
  }

  /**
   * As {@link #query(Entity, String, long, String)}, counting distinct partners only in the first
   * {@code partnerWindowCount} windows (the others read -1): the distinct sets are the expensive part.
   */
  public synchronized long[] query(Entity entity, String key, long tMillis, String currency, int partnerWindowCount) {
    ensureOpen();
    KeyWindow kw = windowForRead(entity, key);
    if (kw == null) return null;
    long[] out = aggregate(entity, kw, tMillis, currency == null ? baseCurrency : currencyCode(currency), windowMillis.length,
        partnerWindowCount);
    if (disk != null) {
      cache.refresh(kw);
      cache.trim(eventKeys, 0);
    }
    return out;
  }

  /**
   * Amount history of one key before an event: for each window w (ascending lengths), over the
   * key's entries with time in (t − w, t] in the event's currency, except the event itself (one
   * entry with the event's time and amount), {@code out[5w..5w+4]} = count, sum, sum of squares and
   * max of the amounts (minor units), and the seconds since the newest of them (−1 if none).
   * Nothing is recorded. Unknown key or no amount: all counts zero.
   */
  public synchronized void amountHistory(Entity entity, String key, Event event, long[] windowsMillis, double[] out) {
    if (out.length < 5 * windowsMillis.length) throw new IllegalArgumentException("5 slots per window");
    Arrays.fill(out, 0, 5 * windowsMillis.length, 0);
    for (int w = 0; w < windowsMillis.length; w++) out[5 * w + 4] = -1;
    ensureOpen();
    KeyWindow kw = key == null ? null : windowForRead(entity, key);
    if (kw == null) return;
    short currency = event.currency() == null ? baseCurrency : currencyCode(event.currency());
    long amount = event.hasAmount() ? event.amountMinor() : 0;
    kw.amountStats(event.occurredAtMillis(), windowsMillis, currency, event.occurredAtMillis(), amount, out);
  }

  /** Aggregates for one entity of the event of a still-valid view; called lazily by the view. */
  synchronized long[] aggregateFor(FeatureView view, Entity entity, int windowCount) {
    if (view.version() != version) throw new IllegalStateException("feature view used after the next event");
    ensureOpen();
    Event event = view.event();
    String key = entity.valueOf(event);
    if (key == null) return null;
    KeyWindow kw = windowForRead(entity, key); // on disk: still cached, the event's keys are kept until the next
    assert kw != null : "the event's own keys were recorded by apply";
    short currency = event.currency() == null ? baseCurrency : currencyCode(event.currency());
    long[] out = aggregate(entity, kw, event.occurredAtMillis(), currency, windowCount, windowCount);
    if (disk != null) cache.refresh(kw); // an index may have been built
    return out;
  }

  private long[] aggregate(Entity entity, KeyWindow kw, long tMillis, short sumCurrency, int windowCount, int partnerWindowCount) {
    int stride = FeatureCatalog.stride(entity);
    long[] out = new long[stride * windowMillis.length];
    kw.aggregate(tMillis, windowMillis, windowCount, partnerWindowCount, sumCurrency, scratch, out, stride);
    return out;
  }

  /** Drops entries that no accepted event can see any more, and keys left empty. */
  public synchronized void sweep(long clockMillis) {
    ensureOpen();
    lastClockMillis = Math.max(lastClockMillis, clockMillis);
    long cutoff = clockMillis - config.retentionMillis();
    if (disk != null) {
      // The cache is bounded, so its pass is too; the disk is visited a bounded step at a time.
      for (KeyWindow kw : cache.windows()) {
        if (kw.evictUpTo(cutoff) > 0) cache.refresh(kw);
      }
      disk.sweepStep(cutoff, SWEEP_KEYS_PER_CALL);
      return;
    }
    for (Map<String, KeyWindow> byKey : windows.values()) {
      Iterator<KeyWindow> it = byKey.values().iterator();
      while (it.hasNext()) {
        KeyWindow kw = it.next();
        entryCount -= kw.evictUpTo(cutoff);
        if (kw.size() == 0) it.remove();
      }
    }
  }

  public synchronized long entriesDropped() {
    return entriesDropped;
  }

  /** Entries in heap: all of them in memory; those of the cached keys on disk. */
  public synchronized long entryCount() {
    if (disk != null) {
      long n = 0;
      for (KeyWindow kw : cache.windows()) n += kw.size();
      return n;
    }
    return entryCount;
  }

  /** Keys in heap: all of them in memory; the cached ones on disk. */
  public synchronized int keyCount() {
    if (disk != null) return cache.size();
    int n = 0;
    for (Map<String, KeyWindow> byKey : windows.values()) n += byKey.size();
    return n;
  }

  public synchronized int accountCount() {
    return accounts.size();
  }

  // ---- disk ----------------------------------------------------------------------------------

  /** What a disk-backed store holds where; all zero in memory. */
  public record DiskStats(long cachedBytes, long cacheBytesMax, int cachedKeys, long cacheHits, long cacheMisses,
      long nativeBytes, long diskBytes, long sweptKeys, long entriesDeleted, long rangesDeleted) {}

  public synchronized DiskStats diskStats() {
    if (disk == null) return new DiskStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    ensureOpen();
    return new DiskStats(cache.bytes(), cache.bytesMax(), cache.size(), cache.hits(), cache.misses(), disk.nativeBytes(),
        disk.diskBytes(), disk.sweptGroups(), disk.pointsDeleted(), disk.rangesDeleted());
  }

  /** Heap bytes of the cached keys (disk-backed; 0 in memory). */
  synchronized long cachedBytes() {
    return disk == null ? 0 : cache.bytes();
  }

  synchronized long cacheBytesMax() {
    return disk == null ? 0 : cache.bytesMax();
  }

  synchronized long cacheMisses() {
    return disk == null ? 0 : cache.misses();
  }

  /** For tests: the live entries on disk, by a full scan, at the last clock. */
  synchronized long diskEntryCount() {
    return disk.countEntries(lastClockMillis == Long.MIN_VALUE ? Long.MIN_VALUE : lastClockMillis - config.retentionMillis());
  }

  /** For tests: the entries on disk with time after cutoffMillis (Long.MIN_VALUE: all, expired or not). */
  synchronized long diskEntryCountFrom(long cutoffMillis) {
    return disk.countEntries(cutoffMillis);
  }

  private static final long CHECKPOINT_MAGIC = 0x5649474c_57494e31L; // "VIGLWIN1"
  static final String CHECKPOINT_ENTRIES = "entries";
  static final String CHECKPOINT_STATE = "store.bin";

  /**
   * Writes everything the store holds to {@code dir} (which must not exist): the entries as a
   * RocksDB checkpoint (hard links, memtables flushed) in {@code dir/entries}, and in
   * {@code dir/store.bin} the hash keys, the facts of every account, the counters and a CRC-32C of
   * the rest. Call from the writer's thread, between events. Disk-backed stores only.
   */
  public synchronized void checkpointTo(Path dir) {
    checkpointTo(dir, PartCipher.NONE);
  }

  /** As {@link #checkpointTo(Path)}, with {@code store.bin} (it holds the hash keys) sealed by {@code cipher}. */
  public synchronized void checkpointTo(Path dir, PartCipher cipher) {
    ensureOpen();
    if (disk == null) throw new IllegalStateException("an in-memory feature store has no checkpoint");
    try {
      Files.createDirectories(dir);
      disk.checkpointTo(dir.resolve(CHECKPOINT_ENTRIES));
      Path state = dir.resolve(CHECKPOINT_STATE);
      CRC32C crc = new CRC32C();
      try (OutputStream raw = Files.newOutputStream(state)) {
        OutputStream file = cipher.sealing(raw, CHECKPOINT_STATE);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new CheckedOutputStream(file, crc), 1 << 16));
        out.writeLong(CHECKPOINT_MAGIC);
        for (long k : hashKeys) out.writeLong(k);
        out.writeLong(nextDiskSeq);
        out.writeLong(lastClockMillis);
        out.writeLong(entriesDropped);
        out.writeInt(accounts.size());
        for (Map.Entry<Object, AccountFacts> e : accounts.entrySet()) {
          WindowKey k = (WindowKey) e.getKey();
          out.writeLong(k.hi());
          out.writeLong(k.lo());
          e.getValue().writeTo(out);
        }
        out.flush();
        file.write(longBytes(crc.getValue()));
        file.close(); // finishes a sealed file; raw is closed by the try
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the feature checkpoint in " + dir, e);
    }
  }

  /**
   * Opens a disk-backed store from a {@link #checkpointTo checkpoint}: {@code liveDir} is emptied
   * and becomes a copy of the checkpoint's entries (table files hard-linked), and the hash keys,
   * facts and counters are read back after their checksum is verified. The checkpoint is left as it was.
   */
  public static FeatureStore fromCheckpoint(FeatureConfig config, Path checkpointDir, Path liveDir,
      WindowDiskSettings settings) {
    return fromCheckpoint(config, checkpointDir, liveDir, settings, INDEX_MIN_ENTRIES, PartCipher.NONE);
  }

  /** As above, for a checkpoint whose {@code store.bin} was sealed by {@code cipher}. */
  public static FeatureStore fromCheckpoint(FeatureConfig config, Path checkpointDir, Path liveDir,
      WindowDiskSettings settings, PartCipher cipher) {
    return fromCheckpoint(config, checkpointDir, liveDir, settings, INDEX_MIN_ENTRIES, cipher);
  }

  static FeatureStore fromCheckpoint(FeatureConfig config, Path checkpointDir, Path liveDir, WindowDiskSettings settings,
      int indexMinEntries) {
    return fromCheckpoint(config, checkpointDir, liveDir, settings, indexMinEntries, PartCipher.NONE);
  }

  private static FeatureStore fromCheckpoint(FeatureConfig config, Path checkpointDir, Path liveDir, WindowDiskSettings settings,
      int indexMinEntries, PartCipher cipher) {
    Path state = checkpointDir.resolve(CHECKPOINT_STATE);
    byte[] bytes;
    try (InputStream in = cipher.opening(new BufferedInputStream(Files.newInputStream(state)), CHECKPOINT_STATE)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the feature checkpoint " + state, e);
    }
    if (bytes.length < 8) throw new IllegalStateException("the feature checkpoint " + state + " is truncated");
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 8);
    if (crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong()) {
      throw new IllegalStateException("the feature checkpoint " + state + " fails its checksum");
    }
    WindowDisk.restoreFiles(checkpointDir.resolve(CHECKPOINT_ENTRIES), liveDir);
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 8))) {
      if (in.readLong() != CHECKPOINT_MAGIC) throw new IllegalStateException(state + " is not a feature checkpoint");
      long[] keys = {in.readLong(), in.readLong(), in.readLong(), in.readLong()};
      WindowDisk disk = new WindowDisk(liveDir, settings.blockCacheBytes(), settings.writeBufferBytes());
      FeatureStore store = new FeatureStore(config, indexMinEntries, keys, disk, new WindowCache(settings.cacheBytes()));
      store.nextDiskSeq = in.readLong();
      store.lastClockMillis = in.readLong();
      store.entriesDropped = in.readLong();
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        WindowKey k = new WindowKey(Entity.ACCOUNT.ordinal(), in.readLong(), in.readLong());
        store.accounts.put(k, AccountFacts.readFrom(in, config.devicesPerAccountMax()));
      }
      return store;
    } catch (EOFException e) {
      throw new IllegalStateException("the feature checkpoint " + state + " is truncated", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  /** Closes the disk of a disk-backed store (its files stay); later calls fail. Idempotent. */
  public synchronized void close() {
    if (closed) return;
    closed = true;
    if (disk != null) disk.close();
  }

  private void ensureOpen() {
    if (closed) throw new IllegalStateException("the feature store is closed");
  }

  // ---- facts ----------------------------------------------------------------------------------

  /** First-seen facts about the event's account, as of just before the event. */
  public record Facts(boolean firstEventForAccount, boolean firstTransactionForAccount,
      boolean newDeviceForAccount, int accountKnownDevices) {}

  private Facts factsBefore(Event event, Object accountKey, long deviceHash) {
    if (accountKey == null) return new Facts(false, false, false, 0);
    AccountFacts af = accounts.get(accountKey);
    long t = event.occurredAtMillis();
    if (af == null || !af.seenAtOrBefore(t)) {
      // Nothing of this account happened at or before t, so no device was known then either.
      return new Facts(true, event.type().movesMoney(), false, 0);
    }
    boolean firstTx = event.type().movesMoney() && !af.transactedAtOrBefore(t);
    boolean newDevice = event.deviceId() != null && !af.deviceSeenAtOrBefore(deviceHash, t);
    return new Facts(false, firstTx, newDevice, af.deviceCountAtOrBefore(t));
  }

  private void recordFacts(Event event, Object accountKey, long deviceHash) {
    if (accountKey == null) return;
    accounts.computeIfAbsent(accountKey, k -> new AccountFacts())
        .record(event.occurredAtMillis(), event.type().movesMoney(), deviceHash, config.devicesPerAccountMax());
  }

  // ---- checkpoint (the in-memory store's own format) ---------------------------------------------

  /** Format version of the "features" part (2: the four hash keys of both modes); {@link #readFrom} reads this version. */
  static final int FORMAT_VERSION = 2;
  /** Keys (or accounts) one part may hold: far above what a heap can. */
  private static final int KEYS_MAX = Integer.MAX_VALUE - 8;

  /**
   * Writes the whole store: its configuration (a restore under another configuration is refused),
   * the four hash keys (the same keys {@link #checkpointTo} writes for a disk-backed store: one
   * mechanism), every key's entries and every account's facts. The busy keys' indexes are not
   * written: they are rebuilt on their first aggregation, and give the same values as a scan.
   * In-memory stores only; a disk-backed one checkpoints with {@link #checkpointTo}.
   */
  public synchronized void writeTo(StateWriter out) throws IOException {
    if (disk != null) throw new IllegalStateException("a disk-backed feature store checkpoints with checkpointTo");
    out.header("features", FORMAT_VERSION);
    out.writeString(config.toString());
    for (long k : hashKeys) out.writeLong(k);
    out.writeLong(entriesDropped);
    out.writeLong(entryCount);
    for (Entity entity : ENTITIES) {
      Map<String, KeyWindow> byKey = windows.get(entity);
      out.writeInt(byKey.size());
      for (Map.Entry<String, KeyWindow> e : byKey.entrySet()) {
        out.writeString(e.getKey());
        e.getValue().writeTo(out);
      }
    }
    out.writeInt(accounts.size());
    for (Map.Entry<Object, AccountFacts> e : accounts.entrySet()) {
      out.writeString((String) e.getKey());
      e.getValue().writeTo(out);
    }
    out.end();
  }

  /**
   * Fills this store, which must be empty, with what {@link #writeTo} wrote. Throws
   * {@link StateFormatException} when the part is damaged or was written under another
   * configuration (then the caller replays the journal instead).
   */
  public synchronized void readFrom(StateReader in) throws IOException {
    if (disk != null) throw new IllegalStateException("a disk-backed feature store restores with fromCheckpoint");
    if (entryCount != 0 || !accounts.isEmpty() || keyCount() != 0) throw new IllegalStateException("restore into an empty store only");
    if (in.expectHeader("features", FORMAT_VERSION) != FORMAT_VERSION) {
      throw new StateFormatException("the features part is of an earlier format (one hash key); replay the journal instead");
    }
    String written = in.readString();
    if (!config.toString().equals(written)) {
      throw new StateFormatException("the checkpoint's feature configuration differs from this one: " + written);
    }
    useHashKeys(new long[] {in.readLong(), in.readLong(), in.readLong(), in.readLong()});
    entriesDropped = in.readLong();
    long entries = in.readLong();
    long counted = 0;
    for (Entity entity : ENTITIES) {
      Map<String, KeyWindow> byKey = windows.get(entity);
      int keys = in.readCount("keys", KEYS_MAX);
      for (int i = 0; i < keys; i++) {
        String key = in.readString();
        KeyWindow kw = KeyWindow.readFrom(in, entity.partners().size(), indexMinEntries, config.entriesPerKeyMax());
        counted += kw.size();
        byKey.put(key, kw);
      }
    }
    if (counted != entries) throw new StateFormatException("the features part holds " + counted + " entries, its header says " + entries);
    entryCount = entries;
    int n = in.readCount("accounts", KEYS_MAX);
    for (int i = 0; i < n; i++) accounts.put(in.readString(), AccountFacts.readFrom(in, config.devicesPerAccountMax()));
    in.expectEnd();
    version++;
  }

  private static short currencyCode(String code) {
    return (short) Currency.getInstance(code).getNumericCode();
  }
}
