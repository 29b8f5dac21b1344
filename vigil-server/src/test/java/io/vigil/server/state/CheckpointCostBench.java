package io.vigil.server.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.Engine;
import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.feature.FeatureStore;
import io.vigil.engine.feature.WindowDiskSettings;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.policy.Action;
import io.vigil.engine.restriction.RestrictionIndex;
import io.vigil.engine.signal.ReferenceDataLoader;
import io.vigil.engine.signal.SignalConfig;
import io.vigil.engine.state.StateBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a checkpoint costs as the state and the journal grow: the sequencer's pause to serialize
 * the engine's state (30 days of the recovery benchmark's traffic, 50,000 events a day) with the
 * windows in memory and with the windows on disk (a RocksDB checkpoint by hard links), and the time
 * to restore it. The event-id index's part is measured by {@code EventIdsCheckpointBench}. Prints the figures
 * (docs/performance.md "Checkpoints and recovery"); not part of the suite:
 * <pre>
 * ./mvnw -o -q -B verify -pl vigil-server -am -Dtest=CheckpointCostBench -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class CheckpointCostBench {
  @TempDir Path temp;

  @Test
  void measure() throws Exception {
    int events = Integer.parseInt(System.getenv().getOrDefault("VIGIL_BENCH_STATE_EVENTS", "1500000"));
    Engine engine = new Engine(FeatureConfig.defaults(), new ListIndex());
    long now = System.currentTimeMillis();
    replay(engine, events, now);
    for (int round = 0; round < 3; round++) {
      long t0 = System.nanoTime();
      Map<String, StateBuffer> parts = engine.checkpoint();
      long pauseNanos = System.nanoTime() - t0;
      long bytes = parts.values().stream().mapToLong(StateBuffer::size).sum();
      Engine fresh = new Engine(FeatureConfig.defaults(), new ListIndex());
      long t1 = System.nanoTime();
      fresh.restore(name -> parts.get(name).inputStream());
      long restoreNanos = System.nanoTime() - t1;
      System.out.printf("windows in memory, state of %,d events (%,d window entries, %,d keys): serialize (sequencer pause) %,d ms, "
          + "%,d MiB; restore %,d ms%n", events, engine.features().entryCount(), engine.features().keyCount(), pauseNanos / 1_000_000,
          bytes >> 20, restoreNanos / 1_000_000);
      assertThat(fresh.features().entryCount()).isEqualTo(engine.features().entryCount());
    }
    engine = null;
    // The same traffic into a disk-backed store: the pause is a RocksDB checkpoint (memtable flush and
    // hard links) plus the account facts, signals and ledger.
    WindowDiskSettings settings = WindowDiskSettings.defaults();
    try (FeatureStore store = FeatureStore.onDisk(FeatureConfig.defaults(), temp.resolve("windows"), settings)) {
      Engine onDisk = new Engine(store, SignalConfig.defaults(), new ListIndex(), ReferenceDataLoader.builtIn(), new RestrictionIndex());
      replay(onDisk, events, now);
      for (int round = 0; round < 3; round++) {
        Path dir = temp.resolve("checkpoint-" + round);
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        Map<String, StateBuffer> parts = onDisk.checkpoint(dir.resolve("features"));
        long pauseNanos = System.nanoTime() - t0;
        long bytes = parts.values().stream().mapToLong(StateBuffer::size).sum();
        long onDiskBytes;
        try (Stream<Path> files = Files.walk(dir.resolve("features"))) {
          onDiskBytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
        long t1 = System.nanoTime();
        try (FeatureStore restored = FeatureStore.fromCheckpoint(FeatureConfig.defaults(), dir.resolve("features"),
            temp.resolve("restored-" + round), settings)) {
          Engine fresh = new Engine(restored, SignalConfig.defaults(), new ListIndex(), ReferenceDataLoader.builtIn(),
              new RestrictionIndex());
          fresh.restore(name -> parts.get(name).inputStream());
          long restoreNanos = System.nanoTime() - t1;
          System.out.printf("disk-backed windows, state of %,d events: checkpoint (sequencer pause) %,d ms (%,d MiB serialized, "
              + "%,d MiB of window files linked); restore %,d ms%n", events, pauseNanos / 1_000_000, bytes >> 20, onDiskBytes >> 20,
              restoreNanos / 1_000_000);
          assertThat(fresh.features().accountCount()).isEqualTo(onDisk.features().accountCount());
        }
      }
    }
  }

  private static void replay(Engine engine, int events, long now) {
    long step = 86_400_000L / RecoveryJournalGenerator.EVENTS_PER_DAY;
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < events; i++) {
      long t = now - (events - i) * step;
      String account = "acc-" + r.nextInt(RecoveryJournalGenerator.ACCOUNTS);
      Map<String, Object> e = new TreeMap<>();
      e.put("event_id", "b-" + i);
      e.put("type", "payment");
      e.put("occurred_at", Instant.ofEpochMilli(t).toString());
      e.put("account_id", account);
      e.put("ip", "10." + r.nextInt(64) + "." + r.nextInt(256) + "." + r.nextInt(256));
      e.put("device", Map.of("id", "dev-" + (account.hashCode() & 0x3ffff) + "-" + r.nextInt(2)));
      e.put("amount", 100L + r.nextInt(500_000));
      e.put("currency", "USD");
      e.put("merchant_id", "m-" + r.nextInt(20_000));
      Event event = EventParser.parse(e);
      engine.replay(event, Action.ALLOW, now);
    }
    engine.features().sweep(now);
  }
}
