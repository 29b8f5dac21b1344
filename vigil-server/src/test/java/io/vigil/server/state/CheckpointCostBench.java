package io.vigil.server.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.Engine;
import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.policy.Action;
import io.vigil.engine.state.StateBuffer;
import io.vigil.engine.state.StateReader;
import io.vigil.engine.state.StateWriter;
import io.vigil.server.decision.EventIdHash;
import io.vigil.server.decision.EventIdIndex;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a checkpoint costs as the state and the journal grow: the sequencer's pause to serialize
 * the engine's state (30 days of the recovery benchmark's traffic, 50,000 events a day), the time
 * to restore it, and the time to write and read the event-id index of a 2 M and a 20 M row journal
 * (the part of a checkpoint that grows with the journal, not with the windows). Prints the figures
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
    for (int round = 0; round < 3; round++) {
      long t0 = System.nanoTime();
      Map<String, StateBuffer> parts = engine.checkpoint();
      long pauseNanos = System.nanoTime() - t0;
      long bytes = parts.values().stream().mapToLong(StateBuffer::size).sum();
      Engine fresh = new Engine(FeatureConfig.defaults(), new ListIndex());
      long t1 = System.nanoTime();
      fresh.restore(name -> parts.get(name).inputStream());
      long restoreNanos = System.nanoTime() - t1;
      System.out.printf("state of %,d events (%,d window entries, %,d keys): serialize (sequencer pause) %,d ms, %,d MiB; restore %,d ms%n",
          events, engine.features().entryCount(), engine.features().keyCount(), pauseNanos / 1_000_000, bytes >> 20,
          restoreNanos / 1_000_000);
      assertThat(fresh.features().entryCount()).isEqualTo(engine.features().entryCount());
    }
    engine = null; // room for the 20 M row index (1 GiB, and as much again while it is read back)
    String[] indexRows = System.getenv().getOrDefault("VIGIL_BENCH_INDEX_ROWS", "2000000,20000000").split(",");
    for (String each : indexRows) {
      int rows = Integer.parseInt(each.trim());
      EventIdIndex index = new EventIdIndex();
      EventIdHash hash = EventIdHash.random();
      for (int i = 1; i <= rows; i++) index.put(hash.applyAsLong("bench-" + i), i);
      Path file = temp.resolve("event-ids-" + rows + ".bin");
      long t0 = System.nanoTime();
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
        StateWriter w = new StateWriter(out);
        index.view(rows).writeTo(w);
        w.flush();
      }
      long writeNanos = System.nanoTime() - t0;
      index = null;
      long t1 = System.nanoTime();
      EventIdIndex read;
      try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
        read = EventIdIndex.readFrom(new StateReader(in));
      }
      long readNanos = System.nanoTime() - t1;
      System.out.printf("event-id index of %,d rows: %,d MiB, written in %,d ms (off the sequencer), read in %,d ms%n", rows,
          Files.size(file) >> 20, writeNanos / 1_000_000, readNanos / 1_000_000);
      assertThat(read.size()).isEqualTo(rows);
      Files.delete(file);
    }
  }
}
