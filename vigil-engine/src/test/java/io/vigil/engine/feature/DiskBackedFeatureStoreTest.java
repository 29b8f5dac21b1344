package io.vigil.engine.feature;

import static io.vigil.engine.feature.WindowExactnessPropertyTest.HOUR;
import static io.vigil.engine.feature.WindowExactnessPropertyTest.RATES;
import static io.vigil.engine.feature.WindowExactnessPropertyTest.T0;
import static io.vigil.engine.feature.WindowExactnessPropertyTest.config;
import static io.vigil.engine.feature.WindowExactnessPropertyTest.payment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is particular to a disk-backed {@link FeatureStore}: a key that left the cache comes back
 * with the same windows, the cache stays within its bound, expired entries leave the disk, and a
 * checkpoint opened later (in another store, as after a restart) continues exactly where the
 * original is, partner hashes and facts included.
 */
class DiskBackedFeatureStoreTest {
  @TempDir Path dir;

  private static final WindowDiskSettings SMALL = new WindowDiskSettings(0, WindowDiskSettings.MB, WindowDiskSettings.MB);

  private static List<Event> stream(long seed, int n) {
    WindowExactnessPropertyTest.Generator gen = new WindowExactnessPropertyTest.Generator(new Random(seed));
    List<Event> events = new ArrayList<>();
    clocks.clear();
    for (int i = 0; i < n; i++) {
      events.add(EventParser.parse(gen.next()));
      clocks.add(gen.clock);
    }
    return events;
  }

  private static final List<Long> clocks = new ArrayList<>();

  /** Every feature value of the event's view, in catalog order. */
  private static long[] values(FeatureView view, FeatureCatalog catalog) {
    List<Long> out = new ArrayList<>();
    for (FeatureCatalog.Ref ref : catalog.velocityFeatures().values()) out.add(view.value(ref.entity(), ref.windowIndex(), ref.slot()));
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  @Test
  void aKeyEvictedFromTheCacheComesBackWithTheSameWindows() {
    FeatureConfig config = config(100_000, 64);
    try (FeatureStore memory = new FeatureStore(config);
        FeatureStore disk = FeatureStore.onDisk(config, dir.resolve("w"), SMALL)) {
      long clock = T0 + 10 * HOUR;
      for (int i = 0; i < 50; i++) {
        Event e = payment("a" + i, clock - i * 60_000L, "acc-a", 1_000 + i);
        memory.apply(e, clock, RATES);
        disk.apply(e, clock, RATES);
      }
      // Other keys push acc-a out of a cache of 0 bytes: only the last event's key stays.
      for (int i = 0; i < 20; i++) {
        Event e = payment("b" + i, clock, "acc-b" + i, 5);
        memory.apply(e, clock, RATES);
        disk.apply(e, clock, RATES);
      }
      assertThat(disk.keyCount()).isEqualTo(1);
      long missesBefore = disk.cacheMisses();
      for (String currency : new String[] {null, "USD", "EUR"}) {
        assertThat(disk.query(Entity.ACCOUNT, "acc-a", clock, currency))
            .isEqualTo(memory.query(Entity.ACCOUNT, "acc-a", clock, currency));
      }
      assertThat(disk.cacheMisses()).as("acc-a was loaded from disk").isGreaterThan(missesBefore);
      FeatureCatalog catalog = new FeatureCatalog(config);
      assertThat(catalog.describe(Entity.ACCOUNT, disk.query(Entity.ACCOUNT, "acc-a", clock, "USD")))
          .containsEntry("count_24h", 50L).containsEntry("count_10m", 10L);
      assertThat(disk.query(Entity.ACCOUNT, "never-seen", clock, "USD")).isNull();
    }
  }

  @Test
  void theCacheStaysWithinItsBoundBetweenEvents() {
    FeatureConfig config = config(100_000, 64);
    long bound = 64 * 1024;
    try (FeatureStore disk = FeatureStore.onDisk(config, dir.resolve("w"),
        new WindowDiskSettings(bound, WindowDiskSettings.MB, WindowDiskSettings.MB))) {
      long clock = T0;
      long peak = 0;
      for (int i = 0; i < 5_000; i++) {
        clock += 1_000;
        disk.apply(payment("p" + i, clock, "acc" + (i % 700), 100), clock, RATES);
        assertThat(disk.cachedBytes()).isLessThanOrEqualTo(bound);
        peak = Math.max(peak, disk.keyCount());
      }
      assertThat(peak).as("the bound, not the key space, limited the cache").isLessThan(700);
      assertThat(disk.diskEntryCount()).isEqualTo(5_000);
    }
  }

  @Test
  void expiredEntriesLeaveTheDiskThroughTheSweepAndTheLoads() {
    FeatureConfig config = config(100_000, 64);
    try (FeatureStore disk = FeatureStore.onDisk(config, dir.resolve("w"), SMALL)) {
      List<Event> events = stream(3, 3_000);
      for (int i = 0; i < events.size(); i++) disk.apply(events.get(i), clocks.get(i), RATES);
      assertThat(disk.diskEntryCount()).isPositive();
      long later = clocks.get(clocks.size() - 1) + config.retentionMillis() + 1;
      for (int i = 0; i < 10; i++) disk.sweep(later); // bounded steps; a few go round the small key space
      assertThat(disk.diskEntryCount()).isZero();
      assertThat(allEntriesOnDisk(disk)).as("deleted, not only hidden").isZero();
      // Facts are not window state: they stay.
      assertThat(disk.apply(payment("back", later, "acc0", 1), later, RATES).facts().firstEventForAccount()).isFalse();
    }
  }

  private static long allEntriesOnDisk(FeatureStore store) {
    return store.diskEntryCountFrom(Long.MIN_VALUE);
  }

  @Test
  void aCheckpointOpenedLaterContinuesExactlyLikeTheOriginal() throws IOException {
    FeatureConfig config = config(100_000, 64);
    FeatureCatalog catalog = new FeatureCatalog(config);
    List<Event> events = stream(11, 6_000);
    Path checkpoint = dir.resolve("checkpoint");
    try (FeatureStore original = FeatureStore.onDisk(config, dir.resolve("live-a"), SMALL)) {
      for (int i = 0; i < 3_000; i++) original.apply(events.get(i), clocks.get(i), RATES);
      original.checkpointTo(checkpoint);
      long entriesAtCheckpoint = original.diskEntryCountFrom(Long.MIN_VALUE);
      int accountsAtCheckpoint = original.accountCount();
      assertThat(Files.exists(checkpoint.resolve(FeatureStore.CHECKPOINT_STATE))).isTrue();
      try (FeatureStore restored = FeatureStore.fromCheckpoint(config, checkpoint, dir.resolve("live-b"), SMALL)) {
        assertThat(restored.accountCount()).isEqualTo(original.accountCount());
        for (int i = 3_000; i < events.size(); i++) {
          FeatureView a = original.apply(events.get(i), clocks.get(i), RATES);
          long[] va = values(a, catalog);
          FeatureView b = restored.apply(events.get(i), clocks.get(i), RATES);
          assertThat(b.facts()).as("facts of event %d", i).isEqualTo(a.facts());
          assertThat(values(b, catalog)).as("features of event %d", i).isEqualTo(va);
        }
        assertThat(restored.diskEntryCount()).isEqualTo(original.diskEntryCount());
      }
      // The checkpoint was not changed by the restored store's writes: it opens again, as it was.
      try (FeatureStore again = FeatureStore.fromCheckpoint(config, checkpoint, dir.resolve("live-c"), SMALL)) {
        assertThat(again.diskEntryCountFrom(Long.MIN_VALUE)).isEqualTo(entriesAtCheckpoint);
        assertThat(again.accountCount()).isEqualTo(accountsAtCheckpoint);
      }
    }
  }

  @Test
  void aDamagedCheckpointIsRefusedWithAClearError() throws IOException {
    FeatureConfig config = config(100_000, 64);
    Path checkpoint = dir.resolve("checkpoint");
    try (FeatureStore store = FeatureStore.onDisk(config, dir.resolve("live"), SMALL)) {
      store.apply(payment("p", T0, "acc", 1), T0, RATES);
      store.checkpointTo(checkpoint);
    }
    Path state = checkpoint.resolve(FeatureStore.CHECKPOINT_STATE);
    byte[] bytes = Files.readAllBytes(state);
    bytes[20] ^= 1;
    Files.write(state, bytes, StandardOpenOption.TRUNCATE_EXISTING);
    assertThatThrownBy(() -> FeatureStore.fromCheckpoint(config, checkpoint, dir.resolve("live2"), SMALL))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("checksum");
  }

  @Test
  void aFreshStoreStartsEmptyInADirectoryThatHeldAnother() {
    FeatureConfig config = config(100_000, 64);
    Path live = dir.resolve("live");
    try (FeatureStore first = FeatureStore.onDisk(config, live, SMALL)) {
      first.apply(payment("p", T0, "acc", 1), T0, RATES);
    }
    try (FeatureStore second = FeatureStore.onDisk(config, live, SMALL)) {
      assertThat(second.diskEntryCountFrom(Long.MIN_VALUE)).isZero();
      assertThat(second.query(Entity.ACCOUNT, "acc", T0, "USD")).isNull();
      assertThat(second.apply(payment("q", T0, "acc", 1), T0, RATES).facts().firstEventForAccount()).isTrue();
    }
  }

  @Test
  void anInMemoryStoreHasNoCheckpoint() {
    try (FeatureStore memory = new FeatureStore(config(100_000, 64))) {
      assertThatThrownBy(() -> memory.checkpointTo(dir.resolve("c"))).isInstanceOf(IllegalStateException.class);
    }
  }
}
