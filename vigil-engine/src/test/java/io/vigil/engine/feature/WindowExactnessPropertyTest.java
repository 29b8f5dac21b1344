package io.vigil.engine.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.event.EventType;
import io.vigil.engine.money.ExchangeRates;
import io.vigil.engine.signal.ReferenceDataException;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Proves the velocity windows and first-seen facts are exact: for every event of a long random
 * stream (colliding keys, mixed types and currencies, out-of-order and equal timestamps, eviction
 * and sweeps over several simulated days), every feature the catalog names equals a brute-force
 * recount over the list of all events applied so far.
 *
 * <p>The expected value of a feature is derived from its <em>name</em> (velocity.&lt;entity&gt;.
 * &lt;feature&gt;_&lt;window&gt;) and the documented definitions, not from the store's slots, so the
 * catalog's name → slot mapping is checked too.
 */
class WindowExactnessPropertyTest {
  static final long SECOND = 1_000L;
  static final long MINUTE = 60 * SECOND;
  static final long HOUR = 60 * MINUTE;
  static final long LATENESS = 2 * HOUR;
  static final long T0 = Instant.parse("2026-11-21T00:00:00Z").toEpochMilli();
  static final int EVENTS_PER_SEED = 20_000;
  /** 1 USD = 0.90 EUR = 100 JPY: the structuring band 450.00-499.99 USD is 405.00-449.99 EUR and 45,000-49,999 JPY. */
  static final ExchangeRates RATES = rates("as_of,2026-01-01\nbase,USD\ncurrency,units_per_base\nEUR,0.90\nJPY,100\n");

  static ExchangeRates rates(String csv) {
    try {
      return ExchangeRates.load(new StringReader(csv), "test rates");
    } catch (ReferenceDataException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * The oracle of near_threshold, written out for RATES: the amount in USD minor units, rounded
   * down, in [45,000, 50,000).
   */
  static boolean nearUsdThreshold(long amountMinor, String currency) {
    if (currency == null) return false;
    long usdMinor = switch (currency) {
      case "USD" -> amountMinor;
      case "EUR" -> Math.floorDiv(amountMinor * 10, 9); // EUR minor / 0.90
      case "JPY" -> amountMinor; // yen have no minor unit: 100 JPY = 1.00 USD = 100 USD minor units
      default -> -1;
    };
    return usdMinor >= 45_000 && usdMinor < 50_000;
  }

  /** Short windows so that eviction happens many times during a stream of a few days. */
  static FeatureConfig config(int entriesPerKeyMax, int devicesPerAccountMax) {
    return new FeatureConfig(
        List.of(Window.parse("24h"), Window.parse("1m"), Window.parse("1h"), Window.parse("10m")), // unsorted on purpose
        LATENESS, entriesPerKeyMax, devicesPerAccountMax, 50_000, "USD", 10, "USD");
  }

  // ---- the property -----------------------------------------------------------------------------

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1L, 20261121L, 0x5eedL})
  void everyFeatureOfEveryEventEqualsABruteForceRecount(long seed) {
    check(seed, FeatureStore.INDEX_MIN_ENTRIES);
  }

  /**
   * The same through the index of busy keys (KeyWindow): every key indexed from its first entry, or
   * from its 2nd or 8th, so that keys cross over and late events re-index the entries after them.
   */
  @ParameterizedTest(name = "seed {0}, index from {1} entries")
  @CsvSource({"1, 1", "20261121, 8", "24, 2"})
  void theIndexOfBusyKeysGivesTheSameRecount(long seed, int indexMinEntries) {
    check(seed, indexMinEntries);
  }

  /**
   * The same with the entries on disk and a cache so small (none, or a few keys) that keys leave the
   * heap after almost every event and are loaded again from disk when next touched.
   */
  @ParameterizedTest(name = "seed {0}, index from {1} entries, cache {2} bytes")
  @CsvSource({"1, 256, 0", "20261121, 1, 0", "24, 8, 20000", "0x5eed, 2, 200000"})
  void theDiskBackedStoreWithATinyCacheGivesTheSameRecount(String seed, int indexMinEntries, long cacheBytes) {
    check(Long.decode(seed), indexMinEntries, cacheBytes);
  }

  @TempDir Path tempDir;

  /** A store in memory ({@code cacheBytes} −1) or on disk in tempDir with this cache. */
  FeatureStore store(FeatureConfig config, int indexMinEntries, long cacheBytes) {
    if (cacheBytes < 0) return new FeatureStore(config, indexMinEntries);
    return FeatureStore.onDisk(config, tempDir.resolve("windows"),
        new WindowDiskSettings(cacheBytes, WindowDiskSettings.MB, WindowDiskSettings.MB), indexMinEntries);
  }

  private void check(long seed, int indexMinEntries) {
    check(seed, indexMinEntries, -1);
  }

  private void check(long seed, int indexMinEntries, long cacheBytes) {
    FeatureConfig config = config(100_000, 64);
    try (FeatureStore store = store(config, indexMinEntries, cacheBytes)) {
      check(seed, config, store);
    }
  }

  private void check(long seed, FeatureConfig config, FeatureStore store) {
    FeatureCatalog catalog = new FeatureCatalog(config);
    List<Feature> features = Feature.all(catalog, config);
    assertThat(features).hasSize(catalog.velocityFeatures().size());
    Generator gen = new Generator(new Random(seed));
    History history = new History();
    Stats stats = new Stats();

    boolean[] nonZero = new boolean[features.size()];
    for (int i = 0; i < EVENTS_PER_SEED; i++) {
      Event e = EventParser.parse(gen.next());
      long clock = gen.clock;
      long t = e.occurredAtMillis();
      // What the engine would accept (Engine.checkTime): never later than the clock, at most LATENESS late.
      if (t > clock || t < clock - LATENESS) fail("generator produced an event the engine would refuse");

      FeatureStore.Facts expectedFacts = history.factsBefore(e);
      FeatureView view = store.apply(e, clock, RATES);
      if (!view.facts().equals(expectedFacts)) {
        fail("event " + i + " (" + e.eventId() + "): facts " + view.facts() + ", recount " + expectedFacts);
      }
      history.add(e, clock);
      stats.observe(e, expectedFacts, t, clock);
      if (store.diskBacked()) {
        // The cache's bound holds between events; only the keys of the event just applied may exceed it.
        if (store.cachedBytes() > store.cacheBytesMax()) assertThat(store.keyCount()).isLessThanOrEqualTo(keysOf(e));
      }

      Map<Entity, Recount[]> expected = new EnumMap<>(Entity.class);
      for (Entity entity : Entity.values()) {
        String key = entity.valueOf(e);
        expected.put(entity, key == null ? null : history.recount(entity, key, t, currencyForSum(e, config), config));
        if (key != null && i % 50 == 0) {
          Recount[] full = history.recount(entity, key, t, currencyForSum(e, config), config, true);
          for (Feature f : features) {
            if (f.entity == entity) assertThat(f.valueIn(full)).as("full scan").isEqualTo(f.valueIn(expected.get(entity)));
          }
        }
      }
      for (int fi = 0; fi < features.size(); fi++) {
        Feature f = features.get(fi);
        Recount[] r = expected.get(f.entity);
        long want = r == null ? 0 : f.valueIn(r);
        long got = view.value(f.ref.entity(), f.ref.windowIndex(), f.ref.slot());
        if (got != want) {
          fail("seed " + seed + ", event " + i + " (" + e.eventId() + ", t=" + Instant.ofEpochMilli(t) + ", clock="
              + Instant.ofEpochMilli(clock) + "): " + f.name + " = " + got + ", recount = " + want);
        }
        if (want > 0) nonZero[fi] = true;
      }

      if (i % 997 == 0) checkQuery(store, catalog, history, gen, config);
      if (gen.random.nextInt(400) == 0) {
        store.sweep(clock);
        stats.sweeps++;
      }
      stats.maxEntries = Math.max(stats.maxEntries, store.entryCount());
    }

    // The stream really exercised what it claims to.
    assertThat(store.entriesDropped()).isZero();
    assertThat(gen.clock - T0).as("simulated span").isGreaterThan(3 * 24 * HOUR);
    assertThat(stats.lateEvents).isGreaterThan(EVENTS_PER_SEED / 4);
    assertThat(stats.eventsAtTheLatenessLimit).isPositive();
    assertThat(stats.equalTimes).isGreaterThan(EVENTS_PER_SEED / 10);
    assertThat(stats.firstEvents).isGreaterThan(30);
    assertThat(stats.lateFirstEvents).as("first events that arrived after a later-in-time event of the account").isPositive();
    assertThat(stats.newDevices).isGreaterThan(100);
    assertThat(stats.firstTransactions).isGreaterThan(30);
    assertThat(stats.sweeps).isPositive();
    // Eviction kept memory to roughly one retention period's worth of entries, far below all entries ever applied.
    assertThat(store.entryCount()).isLessThan(history.totalEntries / 2);
    if (store.diskBacked()) {
      // On disk: exactly the entries still inside the retention, and keys really went through the disk.
      assertThat(store.diskEntryCount()).isEqualTo(history.entriesAfter(gen.clock - config.retentionMillis()));
      assertThat(store.cacheMisses()).isGreaterThan(EVENTS_PER_SEED / 10);
    }
    // Every feature of the catalog was non-zero at least once, so none is trivially "always 0 = 0".
    for (int fi = 0; fi < features.size(); fi++) {
      assertThat(nonZero[fi]).as("%s was non-zero at least once", features.get(fi).name).isTrue();
    }
  }

  /** {@link FeatureStore#query} at an accepted time agrees with the recount over every committed event. */
  private static void checkQuery(FeatureStore store, FeatureCatalog catalog, History history, Generator gen,
      FeatureConfig config) {
    Random r = gen.random;
    Entity entity = Entity.values()[r.nextInt(Entity.values().length)];
    List<String> keys = new ArrayList<>(history.byKey.get(entity).keySet());
    Collections.sort(keys); // HashMap order is not part of the seed
    if (keys.isEmpty()) return;
    String key = keys.get(r.nextInt(keys.size()));
    long tq = gen.clock - r.nextInt((int) (LATENESS / SECOND) + 1) * SECOND;
    String currency = new String[] {null, "USD", "EUR", "JPY"}[r.nextInt(4)];
    long[] values = store.query(entity, key, tq, currency);
    Map<String, Long> described = catalog.describe(entity, values);
    Recount[] want = history.recount(entity, key, tq, currency == null ? config.baseCurrency() : currency, config);
    String prefix = "velocity." + entity.wireName() + ".";
    int checked = 0;
    for (Feature f : Feature.all(catalog, config)) {
      if (f.entity != entity) continue;
      Long got = described.get(f.name.substring(prefix.length()));
      assertThat(got).as("query %s %s at %s in %s", f.name, key, Instant.ofEpochMilli(tq), currency)
          .isEqualTo(f.valueIn(want));
      checked++;
    }
    assertThat(checked).isEqualTo(described.size());
  }

  private static int keysOf(Event e) {
    int n = 0;
    for (Entity entity : Entity.values()) if (entity.valueOf(e) != null) n++;
    return n;
  }

  private static String currencyForSum(Event e, FeatureConfig config) {
    return e.currency() != null ? e.currency() : config.baseCurrency();
  }

  // ---- the other properties ---------------------------------------------------------------------

  @ParameterizedTest(name = "index from {0} entries, cache {1} bytes (-1: in memory)")
  @CsvSource({"256, -1", "1, -1", "256, 0", "1, 0", "1, 1000000"})
  void aFullKeyDropsItsOldestEntriesAndCountsThem(int indexMinEntries, long cacheBytes) {
    FeatureStore store = store(config(16, 64), indexMinEntries, cacheBytes);
    FeatureCatalog catalog = new FeatureCatalog(store.config());
    long clock = T0 + 10 * HOUR;
    FeatureView view = null;
    // 20 payments of one account, one second apart, applied out of order in pairs (t+1 before t).
    for (int i = 0; i < 20; i += 2) {
      for (int j : new int[] {i + 1, i}) {
        view = store.apply(payment("p" + j, clock - HOUR + j * SECOND, "acc", 100 + j), clock, RATES);
      }
    }
    int day = windowIndex(catalog, "24h");
    // The last event applied is p18 (time 18 s): its 24 h window sees the 16 newest of p0..p19
    // with time <= t18, i.e. p4..p18 = 15 entries (p19 is later in time; p0..p3 were dropped).
    assertThat(view.value(Entity.ACCOUNT, day, FeatureCatalog.SLOT_COUNT)).isEqualTo(15);
    assertThat(view.value(Entity.ACCOUNT, day, FeatureCatalog.SLOT_SUM)).isEqualTo(sumOf(4, 18));
    assertThat(store.entriesDropped()).isEqualTo(4);
    assertThat(entries(store)).isEqualTo(16);
    long t19 = clock - HOUR + 19 * SECOND;
    long[] at19 = store.query(Entity.ACCOUNT, "acc", t19, "USD");
    assertThat(catalog.describe(Entity.ACCOUNT, at19)).containsEntry("count_24h", 16L).containsEntry("sum_24h", sumOf(4, 19));
    // The dropped ones are the oldest: nothing is left at or before p3's time.
    long[] at3 = store.query(Entity.ACCOUNT, "acc", clock - HOUR + 3 * SECOND, "USD");
    assertThat(catalog.describe(Entity.ACCOUNT, at3)).containsEntry("count_24h", 0L);
    // Another key is unaffected by this key's cap.
    store.apply(payment("other", clock, "acc2", 7), clock, RATES);
    assertThat(store.entriesDropped()).isEqualTo(4);
    assertThat(entries(store)).isEqualTo(17);
    store.close();
  }

  /** Entries held: in heap for a store in memory, on disk (all of them, live) for a disk-backed one. */
  private static long entries(FeatureStore store) {
    return store.diskBacked() ? store.diskEntryCount() : store.entryCount();
  }

  @Test
  void memoryIsReleasedOnceTheClockPassesTheRetention() {
    FeatureConfig config = config(100_000, 64);
    FeatureStore store = new FeatureStore(config);
    Generator gen = new Generator(new Random(7));
    long newestTime = Long.MIN_VALUE;
    for (int i = 0; i < 3_000; i++) {
      Event e = EventParser.parse(gen.next());
      store.apply(e, gen.clock, RATES);
      newestTime = Math.max(newestTime, e.occurredAtMillis());
    }
    long clock = gen.clock;
    assertThat(store.keyCount()).isPositive();
    assertThat(store.entryCount()).isPositive();
    int accounts = store.accountCount();

    // One millisecond short of the retention, the newest entries must still be kept…
    store.sweep(newestTime + config.retentionMillis() - 1);
    assertThat(store.entryCount()).isPositive();
    assertThat(store.keyCount()).isPositive();
    // …and once the clock passes it, nothing is left.
    store.sweep(Math.max(clock, newestTime + config.retentionMillis()));
    assertThat(store.keyCount()).isZero();
    assertThat(store.entryCount()).isZero();
    // First-seen facts are not window state: they are kept (a returning account is not "new").
    assertThat(store.accountCount()).isEqualTo(accounts);
    long later = clock + 30 * 24 * HOUR;
    FeatureView v = store.apply(payment("back", later, "acc0", 1), later, RATES);
    assertThat(v.facts().firstEventForAccount()).isFalse();
    assertThat(v.facts().firstTransactionForAccount()).isFalse();
    assertThat(v.value(Entity.ACCOUNT, 0, FeatureCatalog.SLOT_COUNT)).isEqualTo(1);
  }

  @Test
  void touchingAKeyEvictsItsExpiredEntriesWithoutASweep() {
    FeatureConfig config = config(100_000, 64);
    FeatureStore store = new FeatureStore(config);
    for (int i = 0; i < 10; i++) store.apply(payment("a" + i, T0 + i, "acc", 1), T0 + i, RATES);
    assertThat(store.entryCount()).isEqualTo(10);
    long clock = T0 + 9 + config.retentionMillis();
    store.apply(payment("b", clock, "acc", 1), clock, RATES);
    assertThat(store.entryCount()).isEqualTo(1);
    assertThat(store.keyCount()).isEqualTo(1);
  }

  @Test
  void aFullDeviceMemoryForgetsTheDeviceSeenFirst() {
    FeatureStore store = new FeatureStore(config(100_000, 2));
    long clock = T0 + HOUR;
    assertThat(store.apply(login("l1", clock - 30 * MINUTE, "acc", "dev-a"), clock, RATES).facts().newDeviceForAccount()).isFalse();
    assertThat(store.apply(login("l2", clock - 20 * MINUTE, "acc", "dev-b"), clock, RATES).facts().newDeviceForAccount()).isTrue();
    FeatureStore.Facts third = store.apply(login("l3", clock - 10 * MINUTE, "acc", "dev-c"), clock, RATES).facts();
    assertThat(third.newDeviceForAccount()).isTrue();
    assertThat(third.accountKnownDevices()).isEqualTo(2);
    // dev-a (first seen earliest) was forgotten to make room for dev-c; dev-b was not.
    FeatureStore.Facts b = store.apply(login("l4", clock, "acc", "dev-b"), clock, RATES).facts();
    assertThat(b.newDeviceForAccount()).isFalse();
    assertThat(b.accountKnownDevices()).isEqualTo(2);
    assertThat(store.apply(login("l5", clock, "acc", "dev-a"), clock, RATES).facts().newDeviceForAccount()).isTrue();
  }

  // ---- the brute force --------------------------------------------------------------------------

  /** Window values of one key for one window, recounted from the raw events. */
  static final class Recount {
    long count;
    long sum;
    long failed;
    long near;
    /** Distinct partner values, by partner entity ordinal. */
    final long[] distinct = new long[Entity.values().length];
  }

  /**
   * Every applied event, grouped by key only to keep the recount affordable; never evicted. Each
   * key's events are kept in commit order in primitive columns (a plain scan over them is fast).
   * Entity values and currencies are numbered in order of appearance: distinct strings get distinct
   * numbers, so distinct counts can use arrays.
   */
  static final class History {
    static final int NONE = -1;
    final Map<Entity, Map<String, KeyHistory>> byKey = new EnumMap<>(Entity.class);
    final Map<Entity, Map<String, Integer>> numbers = new EnumMap<>(Entity.class);
    final Map<String, Integer> currencies = new HashMap<>();
    long totalEntries;

    History() {
      for (Entity e : Entity.values()) {
        byKey.put(e, new HashMap<>());
        numbers.put(e, new HashMap<>());
      }
    }

    /** Entries (one per event and key) with time after cutoffMillis. */
    long entriesAfter(long cutoffMillis) {
      long n = 0;
      for (Map<String, KeyHistory> keys : byKey.values()) {
        for (KeyHistory h : keys.values()) for (int i = 0; i < h.size; i++) if (h.times[i] > cutoffMillis) n++;
      }
      return n;
    }

    int number(Entity entity, String value) {
      if (value == null) return NONE;
      Map<String, Integer> numbered = numbers.get(entity);
      return numbered.computeIfAbsent(value, k -> numbered.size());
    }

    int currency(String code) {
      return code == null ? NONE : currencies.computeIfAbsent(code, k -> currencies.size());
    }

    void add(Event e, long commitClock) {
      int[] ids = new int[Entity.values().length];
      for (Entity entity : Entity.values()) ids[entity.ordinal()] = number(entity, entity.valueOf(e));
      for (Entity entity : Entity.values()) {
        String key = entity.valueOf(e);
        if (key == null) continue;
        byKey.get(entity).computeIfAbsent(key, k -> new KeyHistory()).add(e, commitClock, currency(e.currency()), ids);
        totalEntries++;
      }
    }

    /**
     * For each window (in config order): the events with this key and time in (t - w, t], over all
     * applied events.
     */
    Recount[] recount(Entity entity, String key, long t, String sumCurrency, FeatureConfig config) {
      return recount(entity, key, t, sumCurrency, config, false);
    }

    /**
     * As above. Unless {@code full}, the scan goes from the newest event back and stops at the first
     * one committed when the clock was already more than the longest window before t: an event's
     * time is at most the clock it was committed at, and the clock never goes back, so neither it
     * nor anything committed earlier can be inside a window of t. (The test checks this shortcut
     * against a full scan.)
     */
    Recount[] recount(Entity entity, String key, long t, String sumCurrency, FeatureConfig config, boolean full) {
      List<Window> windows = config.windows();
      int n = windows.size();
      long[] lengths = new long[n];
      for (int w = 0; w < n; w++) lengths[w] = windows.get(w).millis();
      Recount[] out = new Recount[n];
      for (int w = 0; w < n; w++) out[w] = new Recount();
      List<Entity> partners = entity.partners();
      // Per partner: for each distinct value seen with this key at or before t, the latest time it was seen.
      long[][] latestSeen = new long[partners.size()][];
      int[][] partnerIds = new int[partners.size()][];
      KeyHistory h = byKey.get(entity).getOrDefault(key, new KeyHistory());
      for (int p = 0; p < partners.size(); p++) {
        latestSeen[p] = new long[numbers.get(partners.get(p)).size()];
        Arrays.fill(latestSeen[p], Long.MIN_VALUE);
        partnerIds[p] = h.ids[partners.get(p).ordinal()];
      }
      int sumCode = currency(sumCurrency);
      long oldestUsefulClock = t - config.longestWindowMillis();
      for (int i = h.size - 1; i >= 0; i--) {
        if (!full && h.commitClocks[i] <= oldestUsefulClock) break;
        long te = h.times[i];
        if (te > t) continue;
        long age = t - te; // in the window of length w iff age < w, i.e. te in (t - w, t]
        boolean inAny = false;
        for (int w = 0; w < n; w++) {
          if (age >= lengths[w]) continue;
          inAny = true;
          Recount r = out[w];
          r.count++;
          if (h.currencies[i] == sumCode) r.sum += h.amounts[i];
          if (h.failedLogin[i]) r.failed++;
          if (h.near[i]) r.near++;
        }
        if (!inAny) continue;
        for (int p = 0; p < partnerIds.length; p++) {
          int id = partnerIds[p][i];
          if (id != NONE && te > latestSeen[p][id]) latestSeen[p][id] = te;
        }
      }
      for (int w = 0; w < n; w++) {
        for (int p = 0; p < partners.size(); p++) {
          long distinct = 0;
          for (long seen : latestSeen[p]) if (seen != Long.MIN_VALUE && t - seen < lengths[w]) distinct++;
          out[w].distinct[partners.get(p).ordinal()] = distinct;
        }
      }
      return out;
    }

    /** The first-seen facts as of just before e, from the events applied before it. */
    FeatureStore.Facts factsBefore(Event e) {
      if (e.accountId() == null) return new FeatureStore.Facts(false, false, false, 0);
      long t = e.occurredAtMillis();
      int device = number(Entity.DEVICE, e.deviceId());
      boolean seen = false;
      boolean transacted = false;
      boolean deviceSeen = false;
      Set<Integer> devicesSoFar = new HashSet<>();
      KeyHistory h = byKey.get(Entity.ACCOUNT).getOrDefault(e.accountId(), new KeyHistory());
      int[] devices = h.ids[Entity.DEVICE.ordinal()];
      for (int i = 0; i < h.size; i++) {
        if (h.times[i] > t) continue; // "seen before t" = a committed event with time <= t
        seen = true;
        if (h.movesMoney[i]) transacted = true;
        if (devices[i] != NONE) {
          devicesSoFar.add(devices[i]);
          if (devices[i] == device) deviceSeen = true;
        }
      }
      boolean first = !seen;
      boolean firstTransaction = e.type().movesMoney() && !transacted;
      // The first event of an account does not count as a new device for it.
      boolean newDevice = !first && device != NONE && !deviceSeen;
      return new FeatureStore.Facts(first, firstTransaction, newDevice, devicesSoFar.size());
    }
  }

  /** The events of one key in commit order, column by column. */
  static final class KeyHistory {
    int size;
    long[] times = new long[8];
    long[] commitClocks = new long[8];
    long[] amounts = new long[8];
    int[] currencies = new int[8];
    boolean[] failedLogin = new boolean[8];
    boolean[] near = new boolean[8];
    boolean[] movesMoney = new boolean[8];
    int[][] ids = new int[Entity.values().length][8];

    void add(Event e, long commitClock, int currency, int[] entityIds) {
      if (size == times.length) {
        int c = size * 2;
        times = Arrays.copyOf(times, c);
        commitClocks = Arrays.copyOf(commitClocks, c);
        amounts = Arrays.copyOf(amounts, c);
        currencies = Arrays.copyOf(currencies, c);
        failedLogin = Arrays.copyOf(failedLogin, c);
        near = Arrays.copyOf(near, c);
        movesMoney = Arrays.copyOf(movesMoney, c);
        for (int k = 0; k < ids.length; k++) ids[k] = Arrays.copyOf(ids[k], c);
      }
      times[size] = e.occurredAtMillis();
      commitClocks[size] = commitClock;
      amounts[size] = e.hasAmount() ? e.amountMinor() : 0;
      currencies[size] = currency;
      failedLogin[size] = e.type() == EventType.LOGIN && Boolean.FALSE.equals(e.loginSuccess());
      near[size] = e.hasAmount() && nearUsdThreshold(e.amountMinor(), e.currency());
      movesMoney[size] = e.type().movesMoney();
      for (int k = 0; k < ids.length; k++) ids[k][size] = entityIds[k];
      size++;
    }
  }

  /** A feature by name, with the recount it denotes. */
  static final class Feature {
    final String name;
    final FeatureCatalog.Ref ref;
    final Entity entity;
    final int window;
    final String kind;
    final int kindCode; // 0 count, 1 sum, 2 failed logins, 3 near threshold, 4 distinct
    final Entity partner;

    Feature(String name, FeatureCatalog.Ref ref, FeatureConfig config) {
      this.name = name;
      this.ref = ref;
      String[] parts = name.split("\\.");
      assertThat(parts).hasSize(3);
      assertThat(parts[0]).isEqualTo("velocity");
      this.entity = Entity.fromWire(parts[1]);
      int cut = parts[2].lastIndexOf('_');
      this.kind = parts[2].substring(0, cut);
      String windowName = parts[2].substring(cut + 1);
      int w = -1;
      for (int i = 0; i < config.windows().size(); i++) if (config.windows().get(i).name().equals(windowName)) w = i;
      this.window = w;
      Entity p = null;
      if (kind.startsWith("distinct_")) {
        for (Entity candidate : Entity.values()) if (("distinct_" + candidate.plural()).equals(kind)) p = candidate;
        assertThat(p).as(name).isNotNull();
        assertThat(entity.partners()).as(name).contains(p);
      } else {
        assertThat(kind).as(name).isIn("count", "sum", "failed_logins", "near_threshold");
      }
      this.partner = p;
      this.kindCode = switch (kind) {
        case "count" -> 0;
        case "sum" -> 1;
        case "failed_logins" -> 2;
        case "near_threshold" -> 3;
        default -> 4;
      };
      assertThat(entity).as(name).isEqualTo(ref.entity());
      assertThat(window).as(name).isGreaterThanOrEqualTo(0);
    }

    static List<Feature> all(FeatureCatalog catalog, FeatureConfig config) {
      List<Feature> out = new ArrayList<>();
      for (Map.Entry<String, FeatureCatalog.Ref> e : catalog.velocityFeatures().entrySet()) {
        out.add(new Feature(e.getKey(), e.getValue(), config));
      }
      return out;
    }

    long valueIn(Recount[] r) {
      Recount x = r[window];
      return switch (kindCode) {
        case 0 -> x.count;
        case 1 -> x.sum;
        case 2 -> x.failed;
        case 3 -> x.near;
        default -> x.distinct[partner.ordinal()];
      };
    }
  }

  // ---- the stream -------------------------------------------------------------------------------

  static final class Stats {
    int lateEvents;
    int eventsAtTheLatenessLimit;
    int equalTimes;
    int firstEvents;
    int lateFirstEvents;
    int newDevices;
    int firstTransactions;
    int sweeps;
    long maxEntries;
    long previousTime = Long.MIN_VALUE;
    final Map<String, Long> latestTimeByAccount = new HashMap<>();

    void observe(Event e, FeatureStore.Facts f, long t, long clock) {
      if (t < clock) lateEvents++;
      if (t == clock - LATENESS) eventsAtTheLatenessLimit++;
      if (t == previousTime) equalTimes++;
      previousTime = t;
      if (f.firstEventForAccount()) {
        firstEvents++;
        Long latest = latestTimeByAccount.get(e.accountId());
        if (latest != null && latest > t) lateFirstEvents++;
      }
      if (f.newDeviceForAccount()) newDevices++;
      if (f.firstTransactionForAccount()) firstTransactions++;
      if (e.accountId() != null) latestTimeByAccount.merge(e.accountId(), t, Math::max);
    }
  }

  /**
   * Random event bodies over a small key space, on a clock that advances in bursts and jumps, with
   * event times up to LATENESS behind it (often whole seconds, so window boundaries are hit exactly).
   */
  static final class Generator {
    static final String[] IPS = {
        "203.0.113.7", "203.0.113.8", "198.51.100.1", "10.0.0.1", "2001:db8::1",
        "2001:DB8:0:0::1", // the same address as 2001:db8::1 once normalized
        "2001:db8::2", "::ffff:10.0.0.1", // the same address as 10.0.0.1
        "192.0.2.1", "192.0.2.2"};
    static final String[] CURRENCIES = {"USD", "USD", "USD", "EUR", "EUR", "JPY"};
    static final String[] MONEY = {"payment", "payment", "payment", "transfer", "withdrawal", "refund"};

    final Random random;
    long clock = T0;
    long lastTime = T0;
    int n;

    Generator(Random random) {
      this.random = random;
    }

    Map<String, Object> next() {
      Random r = random;
      advanceClock();
      long t = eventTime();
      lastTime = t;
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("event_id", "e" + n++);
      int kind = r.nextInt(100);
      String type = kind < 30 ? "login" : kind < 70 ? MONEY[r.nextInt(MONEY.length)] : kind < 85 ? "registration" : "merchant_onboarding";
      b.put("type", type);
      b.put("occurred_at", Instant.ofEpochMilli(t).toString());
      if (!type.equals("merchant_onboarding") || r.nextBoolean()) b.put("account_id", "acc" + r.nextInt(30));
      if (type.equals("merchant_onboarding") || r.nextInt(10) < (type.equals("login") ? 2 : 6)) {
        b.put("merchant_id", "m" + r.nextInt(5));
      }
      boolean money = !type.equals("login") && !type.equals("registration") && !type.equals("merchant_onboarding");
      if (money || (type.equals("registration") && r.nextInt(10) == 0)) {
        String currency = CURRENCIES[r.nextInt(CURRENCIES.length)];
        b.put("currency", currency);
        b.put("amount", amount(currency));
      }
      if (r.nextInt(100) < 85) b.put("ip", IPS[r.nextInt(IPS.length)]);
      int d = r.nextInt(100);
      if (d < 75) {
        b.put("device", Map.of("id", "dev" + r.nextInt(10)));
      } else if (d < 85) {
        b.put("device", Map.of("user_agent", "Mozilla/5.0")); // a device object without an id
      }
      if ((money && r.nextInt(100) < 70) || r.nextInt(100) < 5) b.put("card", Map.of("token", "tok_" + r.nextInt(12)));
      if (r.nextInt(100) < 25) b.put("phone", "+1555000000" + r.nextInt(6));
      if (r.nextInt(100) < 25) b.put("email", "user" + r.nextInt(6) + "@" + (r.nextBoolean() ? "example.com" : "Example.COM"));
      if (type.equals("login")) {
        int s = r.nextInt(100);
        if (s < 45) b.put("login", Map.of("success", false));
        else if (s < 90) b.put("login", Map.of("success", true));
      }
      return b;
    }

    private long amount(String currency) {
      Random r = random;
      int a = r.nextInt(100);
      if (a < 30) return 45_000 + r.nextInt(5_000); // the structuring band in USD and JPY
      if (a < 34) return 40_500 + r.nextInt(4_500); // the structuring band in EUR
      if (a < 38) return new long[] {44_999, 45_000, 49_999, 50_000, 40_499, 40_500}[r.nextInt(6)]; // the edges
      if (a < 40) return 0;
      return 1 + r.nextInt(200_000);
    }

    private void advanceClock() {
      Random r = random;
      int u = r.nextInt(10_000);
      if (u < 50) {
        clock += (2 + r.nextInt(9)) * HOUR + r.nextInt(3_600) * SECOND; // a quiet period: old state expires
      } else if (u < 5_000) {
        clock += (1 + r.nextInt(6)) * SECOND;
      } // else: another event in the same second
    }

    private long eventTime() {
      Random r = random;
      long oldest = clock - LATENESS;
      int v = r.nextInt(100);
      long t;
      if (v < 45) t = clock;
      else if (v < 60) t = Math.max(lastTime, oldest); // the same time as the previous event
      else if (v < 85) t = clock - r.nextInt(300) * SECOND;
      else if (v < 98) t = clock - r.nextInt((int) (LATENESS / SECOND) + 1) * SECOND;
      else t = oldest; // exactly as late as accepted
      if (r.nextInt(10) == 0) t = Math.max(oldest, t - r.nextInt(1_000)); // not on a whole second
      return t;
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  static Event payment(String id, long t, String account, long amount) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("event_id", id);
    b.put("type", "payment");
    b.put("occurred_at", Instant.ofEpochMilli(t).toString());
    b.put("account_id", account);
    b.put("amount", amount);
    b.put("currency", "USD");
    return EventParser.parse(b);
  }

  static Event login(String id, long t, String account, String device) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("event_id", id);
    b.put("type", "login");
    b.put("occurred_at", Instant.ofEpochMilli(t).toString());
    b.put("account_id", account);
    b.put("device", Map.of("id", device));
    return EventParser.parse(b);
  }

  static int windowIndex(FeatureCatalog catalog, String window) {
    return catalog.velocityFeatures().get("velocity.account.count_" + window).windowIndex();
  }

  static long sumOf(int fromInclusive, int toInclusive) {
    long s = 0;
    for (int j = fromInclusive; j <= toInclusive; j++) s += 100 + j;
    return s;
  }
}
