package io.vigil.engine.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.engine.Engine;
import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.event.EventType;
import io.vigil.engine.feature.WindowExactnessPropertyTest.Generator;
import io.vigil.engine.limit.LimitDefinition;
import io.vigil.engine.limit.LimitLedger;
import io.vigil.engine.limit.LimitPeriod;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.policy.Action;
import io.vigil.engine.restriction.RestrictionIndex;
import io.vigil.engine.signal.ReferenceData;
import io.vigil.engine.signal.ReferenceDataLoader;
import io.vigil.engine.signal.SignalConfig;
import io.vigil.engine.signal.Signals;
import io.vigil.engine.signal.TestReference;
import io.vigil.engine.signal.links.LinkKind;
import io.vigil.engine.signal.links.LinkLimits;
import io.vigil.engine.signal.links.Links;
import io.vigil.engine.state.StateBuffer;
import io.vigil.engine.state.StateFormatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Restoring a checkpoint and replaying the events after it gives the state of a full replay, value
 * for value: for random event streams (the exactness test's generator, with located IPs, phones and
 * tight link caps added so that every part of the state has something to hold), a checkpoint is
 * taken at a random point of a "live" engine and restored into a fresh one; a third engine replays
 * everything from the start, as the server does without a checkpoint. Then all three take the same
 * tail of events, and for every event every velocity feature, fact, signal (link counts, cluster
 * walks, geo, phone binding) and limit usage must agree; at the end the window queries of every
 * key, the links of every account, every reservation and the counters must agree too. Hash values
 * (link fingerprints) must equal the live engine's, which proves the hash keys are restored.
 * Time is the generator's simulated clock.
 */
class CheckpointEquivalencePropertyTest {
  static final int EVENTS = 5_000;
  static final String[] LOCATED_IPS = {TestReference.BTCL_IP, TestReference.GOOGLE_DNS, TestReference.RIPE_NCC_V6,
      "1.1.1.1", "81.2.69.142", "103.4.145.1"};
  static final ZoneId ZONE = ZoneId.of("Asia/Dhaka");
  static final List<LimitDefinition> LIMITS = List.of(
      new LimitDefinition("daily_usd", null, LimitPeriod.DAILY, "USD", 3_000_00, null, Set.of(), Set.of(), Set.of(), Set.of(),
          Action.DENY, null),
      new LimitDefinition("monthly_eur", null, LimitPeriod.MONTHLY, "EUR", 20_000_00, null, Set.of(), Set.of(),
          Set.of(EventType.PAYMENT, EventType.TRANSFER), Set.of(), Action.DENY, null),
      new LimitDefinition("rolling_usd", null, LimitPeriod.ROLLING_24H, "USD", 2_000_00, null, Set.of(), Set.of(),
          Set.of(EventType.WITHDRAWAL, EventType.PAYMENT), Set.of(), Action.DENY, null));

  static ReferenceData reference;

  @BeforeAll
  static void loadReference(@TempDir Path temp) throws Exception {
    reference = ReferenceDataLoader.load(TestReference.directory(temp), 1, 1_000);
  }

  /** Short windows (eviction within the stream) and the 7-day one the model features need; 4 devices per account. */
  static FeatureConfig featureConfig() {
    return featureConfig(4);
  }

  static FeatureConfig featureConfig(int devicesPerAccountMax) {
    return new FeatureConfig(List.of(Window.parse("1m"), Window.parse("10m"), Window.parse("1h"), Window.parse("24h"),
        Window.parse("7d"), Window.parse("30d")), WindowExactnessPropertyTest.LATENESS, 100_000, devicesPerAccountMax, 50_000, "USD", 10, "USD");
  }

  static SignalConfig signalConfig() {
    // Tight caps: links are evicted, identifiers saturate and walks are capped within a few thousand events.
    return new SignalConfig(null, 900, 300, 8, 1_000,
        new LinkLimits(LinkKind.COUNT, 3, 6, 8, 40, EnumSet.complementOf(EnumSet.of(LinkKind.IP))));
  }

  static Engine newEngine() {
    return new Engine(featureConfig(), signalConfig(), new ListIndex(), reference);
  }

  /** One step of the stream: an event and what the journal says about it, or a release. */
  record Step(Event event, Action action, long clockMillis, String releaseEventId, String releaseAccount, long releaseMinor,
      boolean sweep) {}

  static List<Step> stream(long seed) {
    Generator gen = new Generator(new Random(seed));
    Random r = new Random(seed * 31 + 7);
    List<Step> steps = new ArrayList<>();
    List<Event> reserved = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      Map<String, Object> body = gen.next();
      if (r.nextInt(100) < 35) body.put("ip", LOCATED_IPS[r.nextInt(LOCATED_IPS.length)]);
      if (r.nextInt(100) < 10) body.put("account_country", r.nextBoolean() ? "BD" : "US");
      Event e = EventParser.parse(body);
      Action action = r.nextInt(5) == 0 ? Action.DENY : Action.ALLOW;
      steps.add(new Step(e, action, gen.clock, null, null, 0, r.nextInt(300) == 0));
      if (LimitLedger.reserves(e, action)) reserved.add(e);
      if (!reserved.isEmpty() && r.nextInt(40) == 0) {
        Event target = reserved.get(r.nextInt(reserved.size()));
        steps.add(new Step(null, null, gen.clock, target.eventId(), target.accountId(), r.nextInt((int) target.amountMinor() + 1),
            false));
      }
    }
    return steps;
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1L, 20261206L, 0xC0FFEEL})
  void aRestoredCheckpointPlusTheTailEqualsAFullReplay(long seed) throws IOException {
    List<Step> steps = stream(seed);
    Random r = new Random(seed);
    for (int round = 0; round < 3; round++) {
      int at = steps.size() / 5 + r.nextInt(steps.size() * 3 / 5);
      check(steps, at, seed);
    }
  }

  /**
   * The same with the windows on disk (the server's default): the live store checkpoints itself
   * ({@link FeatureStore#checkpointTo}, hard links) beside the serialized parts, the restored engine
   * is built on {@link FeatureStore#fromCheckpoint}, and both go on against an in-memory full replay.
   * A small cache makes keys leave the heap and load back throughout.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {20261206L})
  void withWindowsOnDiskARestoredCheckpointPlusTheTailEqualsAFullReplay(long seed, @TempDir Path temp) throws IOException {
    List<Step> steps = stream(seed);
    Random r = new Random(seed);
    WindowDiskSettings settings = new WindowDiskSettings(64 * 1024, 8 * WindowDiskSettings.MB, 4 * WindowDiskSettings.MB);
    for (int round = 0; round < 2; round++) {
      int at = steps.size() / 5 + r.nextInt(steps.size() * 3 / 5);
      Path dir = temp.resolve("round-" + round);
      try (FeatureStore liveStore = FeatureStore.onDisk(featureConfig(), dir.resolve("live"), settings)) {
        Engine live = new Engine(liveStore, signalConfig(), new ListIndex(), reference, new RestrictionIndex());
        Path features = dir.resolve("checkpoint").resolve("features");
        Map<String, StateBuffer> parts = prefix(live, steps, at, features);
        assertThat(parts).doesNotContainKey("features");
        try (FeatureStore restoredStore = FeatureStore.fromCheckpoint(featureConfig(), features, dir.resolve("restored"), settings)) {
          Engine restored = new Engine(restoredStore, signalConfig(), new ListIndex(), reference, new RestrictionIndex());
          assertThatThrownBy(() -> newEngine().restore(name -> parts.get(name).inputStream()))
              .as("windows on disk cannot be restored into an in-memory engine").isInstanceOf(StateFormatException.class);
          compare(live, restored, steps, at, seed, parts, false);
        }
      }
    }
  }

  private void check(List<Step> steps, int at, long seed) throws IOException {
    Engine live = newEngine();
    Map<String, StateBuffer> parts = prefix(live, steps, at, null);
    compare(live, newEngine(), steps, at, seed, parts, true);
  }

  /** The live engine: the prefix as it happened (releases when they came, sweeps now and then); then its checkpoint. */
  private static Map<String, StateBuffer> prefix(Engine live, List<Step> steps, int at, Path featuresDir) {
    List<Step> releasesBefore = new ArrayList<>();
    for (Step s : steps.subList(0, at)) {
      if (s.event() == null) {
        live.ledger().release(s.releaseAccount(), s.releaseEventId(), s.releaseMinor());
        releasesBefore.add(s);
        continue;
      }
      live.replay(s.event(), s.action(), s.clockMillis());
      if (s.sweep()) {
        live.features().sweep(live.tick(s.clockMillis()));
        live.ledger().sweep(live.tick(s.clockMillis()));
      }
    }
    return featuresDir == null ? live.checkpoint() : live.checkpoint(featuresDir);
  }

  private void compare(Engine live, Engine restored, List<Step> steps, int at, long seed, Map<String, StateBuffer> parts,
      boolean counts) throws IOException {
    long clock = steps.get(at - 1).clockMillis();
    List<Step> releasesBefore = new ArrayList<>();
    for (Step s : steps.subList(0, at)) if (s.event() == null) releasesBefore.add(s);
    // Restored: a fresh engine given the stored releases first (as the server's factory does), then the checkpoint.
    for (Step s : releasesBefore) restored.ledger().release(s.releaseAccount(), s.releaseEventId(), s.releaseMinor());
    restored.restore(name -> parts.get(name).inputStream());

    // Full replay: stored releases first, then every journal row, no sweep until the end (as the server's rebuild).
    Engine full = newEngine();
    for (Step s : releasesBefore) full.ledger().release(s.releaseAccount(), s.releaseEventId(), s.releaseMinor());
    for (Step s : steps.subList(0, at)) if (s.event() != null) full.replay(s.event(), s.action(), s.clockMillis());

    for (Engine e : List.of(live, restored, full)) {
      e.features().sweep(e.tick(clock));
      e.ledger().sweep(e.tick(clock));
    }
    assertThat(restored.clockMillis()).isEqualTo(live.clockMillis());
    assertThat(stateOf(restored, true, counts)).isEqualTo(stateOf(live, true, counts));
    assertThat(stateOf(restored, false, counts)).isEqualTo(stateOf(full, false, counts));

    Set<String> reservedIds = new LinkedHashSet<>();
    int compared = 0;
    for (Step s : steps.subList(at, steps.size())) {
      if (s.event() == null) {
        for (Engine e : List.of(live, restored, full)) e.ledger().release(s.releaseAccount(), s.releaseEventId(), s.releaseMinor());
        continue;
      }
      String a = step(live, s, true);
      String b = step(restored, s, true);
      String c = step(full, s, true);
      assertThat(b).as("seed %d, checkpoint after step %d: event %s against the live engine", seed, at, s.event().eventId())
          .isEqualTo(a);
      assertThat(b).as("seed %d, checkpoint after step %d: event %s against a full replay", seed, at, s.event().eventId())
          .isEqualTo(c);
      if (LimitLedger.reserves(s.event(), s.action())) reservedIds.add(s.event().accountId() + "/" + s.event().eventId());
      compared++;
      if (s.sweep()) {
        for (Engine e : List.of(live, restored, full)) {
          e.features().sweep(e.tick(s.clockMillis()));
          e.ledger().sweep(e.tick(s.clockMillis()));
        }
      }
    }
    assertThat(compared).isGreaterThan(500);
    assertThat(stateOf(restored, true, counts)).isEqualTo(stateOf(live, true, counts));
    assertThat(stateOf(restored, false, counts)).isEqualTo(stateOf(full, false, counts));
    for (String id : reservedIds) {
      String[] p = id.split("/");
      assertThat(restored.ledger().heldMinor(p[0], p[1])).isEqualTo(full.ledger().heldMinor(p[0], p[1]));
    }
    // The stream exercised what the test claims.
    assertThat(restored.signals().links().stats().linksEvicted()).isPositive();
    assertThat(restored.signals().links().stats().identifiersSaturated()).isPositive();
    assertThat(restored.ledger().reservationCount()).isPositive();
  }

  /** Decides-like step: signals, then windows, then limits, as {@link Engine#decide} orders them; returns every value. */
  private static String step(Engine e, Step s, boolean deciding) {
    Event event = s.event();
    long clock = e.tick(s.clockMillis());
    StringBuilder out = new StringBuilder();
    Signals signals = e.signals().observe(event, e.reference(), id -> id.endsWith("7"), id -> id.endsWith("3"));
    FeatureView view = e.features().apply(event, clock, e.reference().rates(), signals.amountBaseMinor());
    out.append(view.facts()).append('\n');
    for (Map.Entry<String, FeatureCatalog.Ref> f : new TreeMap<>(e.catalog().velocityFeatures()).entrySet()) {
      FeatureCatalog.Ref ref = f.getValue();
      out.append(f.getKey()).append('=').append(view.value(ref.entity(), ref.windowIndex(), ref.slot())).append(' ');
    }
    out.append('\n');
    for (String name : new TreeMap<>(Signals.DECLARATIONS).keySet()) out.append(name).append('=').append(signals.value(name)).append(' ');
    out.append('\n');
    if (LimitLedger.reserves(event, s.action())) {
      out.append(e.ledger().check(event, LIMITS, ZONE));
      e.ledger().reserve(event);
    }
    return out.toString();
  }

  /** Everything queryable without recording: window queries of every key, links of every account, counters. */
  private static String stateOf(Engine e, boolean withFingerprints) {
    return stateOf(e, withFingerprints, true);
  }

  /** {@code counts}: with the entry and key counts (a disk-backed store counts what is in heap only). */
  private static String stateOf(Engine e, boolean withFingerprints, boolean counts) {
    StringBuilder out = new StringBuilder();
    FeatureStore f = e.features();
    if (counts) out.append("entries=").append(f.entryCount()).append(" keys=").append(f.keyCount());
    out.append(" accounts=").append(f.accountCount()).append(" dropped=").append(f.entriesDropped()).append('\n');
    long t = e.clockMillis();
    for (int i = 0; i < 40; i++) {
      for (Entity entity : Entity.values()) {
        for (String key : List.of("acc" + i, "m" + i, "dev" + i, "tok_" + i)) {
          long[] v = f.query(entity, key, t, null);
          if (v != null) out.append(entity).append(':').append(key).append('=').append(java.util.Arrays.toString(v)).append('\n');
        }
      }
      Links links = e.signals().links().linksOf("acc" + i);
      List<String> lines = new ArrayList<>(); // sorted: without fingerprints, ties may list in another order
      for (Links.Link l : links.identifiers()) {
        lines.add("acc" + i + ' ' + l.kind() + ' ' + (withFingerprints ? l.fingerprint() : "-") + ' ' + l.firstSeenMillis()
            + ' ' + l.lastSeenMillis() + ' ' + l.accountsSharing() + ' ' + l.sharingCapped() + '\n');
      }
      lines.sort(null);
      lines.forEach(out::append);
    }
    var stats = e.signals().links().stats();
    out.append(stats.accounts()).append(' ').append(stats.identifiers()).append(' ').append(stats.links()).append(' ')
        .append(stats.linksEvicted()).append(' ').append(stats.identifiersSaturated()).append(' ').append(stats.accountsRefused());
    out.append("\nreservations=").append(e.ledger().reservationCount()).append(" dropped=").append(e.ledger().dropped());
    return out.toString();
  }

  /**
   * The engine needs a 30-day window, so the streams above (a few simulated days) never evict; this
   * checks the windows alone under the exactness test's short windows, where entries expire and
   * sweeps drop keys throughout, with the index of busy keys on and off.
   */
  @ParameterizedTest(name = "index from {0} entries")
  @ValueSource(ints = {1, FeatureStore.INDEX_MIN_ENTRIES})
  void aRestoredStoreEvictsAndCountsLikeTheOriginal(int indexMinEntries) throws IOException {
    FeatureConfig config = WindowExactnessPropertyTest.config(100_000, 4);
    FeatureCatalog catalog = new FeatureCatalog(config);
    Generator gen = new Generator(new Random(indexMinEntries));
    FeatureStore original = new FeatureStore(config, indexMinEntries);
    List<Event> events = new ArrayList<>();
    List<Long> clocks = new ArrayList<>();
    for (int i = 0; i < 12_000; i++) {
      events.add(EventParser.parse(gen.next()));
      clocks.add(gen.clock);
    }
    for (int i = 0; i < 6_000; i++) {
      original.apply(events.get(i), clocks.get(i), WindowExactnessPropertyTest.RATES);
      if (i % 500 == 0) original.sweep(clocks.get(i));
    }
    StateBuffer buffer = new StateBuffer();
    original.writeTo(new io.vigil.engine.state.StateWriter(buffer));
    FeatureStore restored = new FeatureStore(config, indexMinEntries);
    restored.readFrom(new io.vigil.engine.state.StateReader(buffer.inputStream()));
    assertThat(restored.entryCount()).isEqualTo(original.entryCount());
    long evictedBefore = original.entryCount();
    for (int i = 6_000; i < events.size(); i++) {
      FeatureView a = original.apply(events.get(i), clocks.get(i), WindowExactnessPropertyTest.RATES);
      FeatureView b = restored.apply(events.get(i), clocks.get(i), WindowExactnessPropertyTest.RATES);
      assertThat(b.facts()).isEqualTo(a.facts());
      for (FeatureCatalog.Ref ref : catalog.velocityFeatures().values()) {
        assertThat(b.value(ref.entity(), ref.windowIndex(), ref.slot())).isEqualTo(a.value(ref.entity(), ref.windowIndex(), ref.slot()));
      }
      if (i % 500 == 0) {
        original.sweep(clocks.get(i));
        restored.sweep(clocks.get(i));
        assertThat(restored.entryCount()).isEqualTo(original.entryCount());
        assertThat(restored.keyCount()).isEqualTo(original.keyCount());
      }
    }
    assertThat(gen.clock - clocks.get(6_000)).as("the tail outlives the 24 h retention").isGreaterThan(26 * WindowExactnessPropertyTest.HOUR);
    assertThat(evictedBefore).isPositive();
  }

  @Test
  void aDamagedOrTruncatedPartIsRefusedNeverMisread() throws IOException {
    List<Step> steps = stream(5);
    Engine live = newEngine();
    for (Step s : steps) if (s.event() != null) live.replay(s.event(), s.action(), s.clockMillis());
    Map<String, StateBuffer> parts = live.checkpoint();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    parts.get("features").writeTo(bytes);
    byte[] whole = bytes.toByteArray();
    byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 9);
    assertThatThrownBy(() -> newEngine().restore(name -> name.equals("features") ? new ByteArrayInputStream(truncated)
        : parts.get(name).inputStream())).isInstanceOf(IOException.class);
    // Another configuration: the checkpoint is refused, not read into windows of other lengths.
    Engine other = new Engine(featureConfig(8), signalConfig(), new ListIndex(), reference);
    assertThatThrownBy(() -> other.restore(name -> parts.get(name).inputStream()))
        .isInstanceOf(StateFormatException.class).hasMessageContaining("feature configuration");
  }
}
