package io.vigil.server.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.state.StateReader;
import io.vigil.engine.state.StateWriter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event-id index's part of a checkpoint, the part that grows with the journal (within the
 * idempotency horizon) rather than with the windows: the sequencer's pause to take the snapshot
 * (the sealed sets are shared, the open table copied), the time to write it off the sequencer and to
 * read it back, for 2 M and 20 M ids recorded over the horizon's hours. Prints the figures
 * (docs/performance.md "Checkpoints and recovery"); not part of the suite:
 * <pre>
 * ./mvnw -o -q -B verify -pl vigil-server -am -Dtest=EventIdsCheckpointBench -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class EventIdsCheckpointBench {
  @TempDir Path temp;

  @Test
  void measure() throws Exception {
    String[] sizes = System.getenv().getOrDefault("VIGIL_BENCH_INDEX_ROWS", "2000000,20000000").split(",");
    long horizonMillis = DecisionPipeline.IDEMPOTENCY_HORIZON_MILLIS_DEFAULT;
    for (String each : sizes) {
      int rows = Integer.parseInt(each.trim());
      long stepMillis = Math.max(1, horizonMillis / rows);
      Path file = temp.resolve("event-ids-" + rows + ".bin");
      long pauseNanos;
      long writeNanos;
      try (EventIds ids = new EventIds(horizonMillis, null)) {
        for (int i = 1; i <= rows; i++) ids.put("bench-" + i, i, i * stepMillis, false);
        ids.awaitMerge();
        long t0 = System.nanoTime();
        EventIds.Snapshot snapshot = ids.snapshot();
        pauseNanos = System.nanoTime() - t0;
        long t1 = System.nanoTime();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
          snapshot.writeTo(new StateWriter(out));
        }
        writeNanos = System.nanoTime() - t1;
      }
      long t2 = System.nanoTime();
      try (EventIds read = new EventIds(horizonMillis, null);
          InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
        read.restore(new StateReader(in));
        long readNanos = System.nanoTime() - t2;
        System.out.printf("event-id index of %,d ids: snapshot (sequencer pause) %,d ms; %,d MiB written in %,d ms (off the "
            + "sequencer), read in %,d ms%n", rows, pauseNanos / 1_000_000, Files.size(file) >> 20, writeNanos / 1_000_000,
            readNanos / 1_000_000);
        assertThat(read.sequenceOf("bench-" + rows, false)).isEqualTo(rows);
      }
      Files.delete(file);
    }
  }
}
