package io.vigil.engine.feature;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import io.vigil.engine.event.Event;
import io.vigil.engine.money.ExchangeRates;
import io.vigil.engine.state.StateFormatException;
import io.vigil.engine.state.StateReader;
import io.vigil.engine.state.StateWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Currency;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

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
 * <h2>Threads</h2>
 * All methods synchronize on the store. The decision sequencer is its only writer; the feature
 * query endpoint and tests read through {@link #query}.
 */
public final class FeatureStore {
  private static final Entity[] ENTITIES = Entity.values();
  private final FeatureConfig config;
  private HashFunction hasher;
  /** The SipHash key of {@link #hasher}: part of a checkpoint, so that a restored store hashes identically. */
  private long hashKey0;
  private long hashKey1;
  private final long[] windowMillis;
  private final Map<Entity, Map<String, KeyWindow>> windows = new EnumMap<>(Entity.class);
  private final Map<String, AccountFacts> accounts = new HashMap<>();
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
    this.indexMinEntries = indexMinEntries;
    this.config = config;
    SecureRandom random = new SecureRandom();
    useHashKey(random.nextLong(), random.nextLong());
    List<Window> ws = config.windows();
    this.windowMillis = new long[ws.size()];
    for (int i = 0; i < ws.size(); i++) windowMillis[i] = ws.get(i).millis();
    for (Entity e : Entity.values()) windows.put(e, new HashMap<>());
    this.nearCurrency = config.nearThresholdCurrency();
    this.baseCurrency = currencyCode(config.baseCurrency());
  }

  public FeatureConfig config() {
    return config;
  }

  private void useHashKey(long k0, long k1) {
    this.hashKey0 = k0;
    this.hashKey1 = k1;
    this.hasher = Hashing.sipHash24(k0, k1);
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
    long t = event.occurredAtMillis();
    long[] hashes = new long[ENTITIES.length]; // each value hashed once per event
    for (Entity entity : ENTITIES) hashes[entity.ordinal()] = hash(entity.valueOf(event));
    long deviceHash = hashes[Entity.DEVICE.ordinal()];
    Facts facts = factsBefore(event, deviceHash);
    recordFacts(event, deviceHash);
    short currency = event.currency() == null ? 0 : currencyCode(event.currency());
    long amount = event.hasAmount() ? event.amountMinor() : 0;
    byte flag = (byte) ((event.isFailedLogin() ? KeyWindow.FLAG_FAILED_LOGIN : 0)
        | (nearThreshold(event, rates, amountBaseMinor) ? KeyWindow.FLAG_NEAR_THRESHOLD : 0));
    long cutoff = clockMillis - config.retentionMillis();
    for (Entity entity : ENTITIES) {
      String key = entity.valueOf(event);
      if (key == null) continue;
      List<Entity> partnerEntities = entity.partners();
      long[] partnerHashes = new long[partnerEntities.size()];
      for (int p = 0; p < partnerHashes.length; p++) partnerHashes[p] = hashes[partnerEntities.get(p).ordinal()];
      KeyWindow kw = windows.get(entity).computeIfAbsent(key, k -> new KeyWindow(partnerHashes.length, indexMinEntries));
      entryCount -= kw.evictUpTo(cutoff);
      int dropped = kw.insert(t, amount, currency, flag, partnerHashes, config.entriesPerKeyMax());
      entriesDropped += dropped;
      entryCount += 1 - dropped;
    }
    version++;
    return new FeatureView(this, event, facts, version);
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
    KeyWindow kw = windows.get(entity).get(key);
    if (kw == null) return null;
    return aggregate(entity, kw, tMillis, currency == null ? baseCurrency : currencyCode(currency), windowMillis.length,
        partnerWindowCount);
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
    java.util.Arrays.fill(out, 0, 5 * windowsMillis.length, 0);
    for (int w = 0; w < windowsMillis.length; w++) out[5 * w + 4] = -1;
    KeyWindow kw = key == null ? null : windows.get(entity).get(key);
    if (kw == null) return;
    short currency = event.currency() == null ? baseCurrency : currencyCode(event.currency());
    long amount = event.hasAmount() ? event.amountMinor() : 0;
    kw.amountStats(event.occurredAtMillis(), windowsMillis, currency, event.occurredAtMillis(), amount, out);
  }

  /** Aggregates for one entity of the event of a still-valid view; called lazily by the view. */
  synchronized long[] aggregateFor(FeatureView view, Entity entity, int windowCount) {
    if (view.version() != version) throw new IllegalStateException("feature view used after the next event");
    Event event = view.event();
    String key = entity.valueOf(event);
    if (key == null) return null;
    KeyWindow kw = windows.get(entity).get(key);
    assert kw != null : "the event's own keys were recorded by apply";
    short currency = event.currency() == null ? baseCurrency : currencyCode(event.currency());
    return aggregate(entity, kw, event.occurredAtMillis(), currency, windowCount, windowCount);
  }

  private long[] aggregate(Entity entity, KeyWindow kw, long tMillis, short sumCurrency, int windowCount, int partnerWindowCount) {
    int stride = FeatureCatalog.stride(entity);
    long[] out = new long[stride * windowMillis.length];
    kw.aggregate(tMillis, windowMillis, windowCount, partnerWindowCount, sumCurrency, scratch, out, stride);
    return out;
  }

  /** Drops entries that no accepted event can see any more, and keys left empty. */
  public synchronized void sweep(long clockMillis) {
    long cutoff = clockMillis - config.retentionMillis();
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

  public synchronized long entryCount() {
    return entryCount;
  }

  public synchronized int keyCount() {
    int n = 0;
    for (Map<String, KeyWindow> byKey : windows.values()) n += byKey.size();
    return n;
  }

  public synchronized int accountCount() {
    return accounts.size();
  }

  // ---- facts ----------------------------------------------------------------------------------

  /** First-seen facts about the event's account, as of just before the event. */
  public record Facts(boolean firstEventForAccount, boolean firstTransactionForAccount,
      boolean newDeviceForAccount, int accountKnownDevices) {}

  private Facts factsBefore(Event event, long deviceHash) {
    if (event.accountId() == null) return new Facts(false, false, false, 0);
    AccountFacts af = accounts.get(event.accountId());
    long t = event.occurredAtMillis();
    if (af == null || !af.seenAtOrBefore(t)) {
      // Nothing of this account happened at or before t, so no device was known then either.
      return new Facts(true, event.type().movesMoney(), false, 0);
    }
    boolean firstTx = event.type().movesMoney() && !af.transactedAtOrBefore(t);
    boolean newDevice = event.deviceId() != null && !af.deviceSeenAtOrBefore(deviceHash, t);
    return new Facts(false, firstTx, newDevice, af.deviceCountAtOrBefore(t));
  }

  private void recordFacts(Event event, long deviceHash) {
    if (event.accountId() == null) return;
    accounts.computeIfAbsent(event.accountId(), k -> new AccountFacts())
        .record(event.occurredAtMillis(), event.type().movesMoney(), deviceHash, config.devicesPerAccountMax());
  }

  // ---- checkpoint (the in-memory store's own format) ---------------------------------------------

  /** Format version of the "features" part; {@link #readFrom} reads versions up to this. */
  static final int FORMAT_VERSION = 1;
  /** Keys (or accounts) one part may hold: far above what a heap can. */
  private static final int KEYS_MAX = Integer.MAX_VALUE - 8;

  /**
   * Writes the whole store: its configuration (a restore under another configuration is refused),
   * the hash key, every key's entries and every account's facts. The busy keys' indexes are not
   * written: they are rebuilt on their first aggregation, and give the same values as a scan.
   */
  public synchronized void writeTo(StateWriter out) throws IOException {
    out.header("features", FORMAT_VERSION);
    out.writeString(config.toString());
    out.writeLong(hashKey0);
    out.writeLong(hashKey1);
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
    for (Map.Entry<String, AccountFacts> e : accounts.entrySet()) {
      out.writeString(e.getKey());
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
    if (entryCount != 0 || !accounts.isEmpty() || keyCount() != 0) throw new IllegalStateException("restore into an empty store only");
    in.expectHeader("features", FORMAT_VERSION);
    String written = in.readString();
    if (!config.toString().equals(written)) {
      throw new StateFormatException("the checkpoint's feature configuration differs from this one: " + written);
    }
    useHashKey(in.readLong(), in.readLong());
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
