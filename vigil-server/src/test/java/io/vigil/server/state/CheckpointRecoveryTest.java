package io.vigil.server.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.engine.Engine;
import io.vigil.engine.feature.Entity;
import io.vigil.engine.feature.FeatureCatalog;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.feature.WindowDiskSettings;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.restriction.RestrictionIndex;
import io.vigil.engine.rule.RuleCompiler;
import io.vigil.engine.signal.ReferenceDataLoader;
import io.vigil.engine.signal.SignalConfig;
import io.vigil.server.api.Json;
import io.vigil.server.decision.DecisionPipeline;
import io.vigil.server.decision.DecisionService;
import io.vigil.server.decision.Outcome;
import io.vigil.server.decision.WindowStateStores;
import io.vigil.server.journal.AnchoredChain;
import io.vigil.server.journal.JournalObserver;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.policy.PolicyRepository;
import io.vigil.server.policy.PolicyService;
import io.vigil.server.storage.DurableCommit;
import io.vigil.server.support.Events;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestDatabases;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up from a checkpoint against a full replay, on the embedded store, with the server's
 * disk-backed windows (and once with windows in memory): the state (windows, facts, links,
 * ledger), the idempotency answers and the chain head are the same; a damaged,
 * truncated or foreign checkpoint is skipped for the previous one or a full replay; a full disk
 * while checkpointing (a real one: a tmpfs of a few hundred KiB) keeps the previous checkpoint
 * and decisions flowing.
 */
class CheckpointRecoveryTest {
  private static final int EVERY = 40;
  @TempDir Path temp;
  private HikariDataSource ds;
  private JournalRepository journal;
  private PolicyService policies;
  private final FeatureConfig config = FeatureConfig.defaults();
  private final Map<String, byte[]> bodies = new LinkedHashMap<>();
  private final Map<String, String> answers = new HashMap<>();
  /** Windows on disk (the server's default) unless a test sets this. */
  private boolean windowsInMemory;
  private final List<WindowStateStores> stores = new ArrayList<>();

  @BeforeEach
  void open() {
    ds = TestDatabases.h2().open();
    journal = new JournalRepository(ds);
    policies = new PolicyService(new PolicyRepository(ds), new RuleCompiler(new FeatureCatalog(config)), TestClock.INSTANCE);
  }

  @AfterEach
  void close() {
    stores.forEach(WindowStateStores::close);
    ds.close();
  }

  private Checkpoints checkpoints(Path dir, boolean load) {
    return checkpoints(dir, load, true);
  }

  private Checkpoints checkpoints(Path dir, boolean load, boolean take) {
    return new Checkpoints(new CheckpointFiles(dir), new Checkpoints.Settings(take, load, TimeUnit.DAYS.toMillis(1), EVERY, 2),
        journal, TestClock.INSTANCE);
  }

  private DecisionPipeline pipeline(Checkpoints checkpoints) {
    return pipeline(checkpoints, JournalObserver.NONE);
  }

  /** A pipeline as the server builds it: its own window directory (two may be open at once), engines on it. */
  private DecisionPipeline pipeline(Checkpoints checkpoints, JournalObserver observer) {
    if (windowsInMemory) {
      return new DecisionPipeline(journal, ds, () -> new Engine(config, new ListIndex()), null, policies.active(), 256, 16,
          new SimpleMeterRegistry(), TestClock.INSTANCE, observer, DecisionPipeline.IDEMPOTENCY_HORIZON_MILLIS_DEFAULT,
          DurableCommit.SYNC, checkpoints);
    }
    WindowStateStores windows = new WindowStateStores(config, temp.resolve("windows-" + stores.size()),
        new WindowDiskSettings(8 * WindowDiskSettings.MB, 8 * WindowDiskSettings.MB, 4 * WindowDiskSettings.MB));
    stores.add(windows);
    return new DecisionPipeline(journal, ds, () -> new Engine(windows.fresh(), SignalConfig.defaults(), new ListIndex(), ReferenceDataLoader.builtIn(), new RestrictionIndex()),
        dir -> new Engine(windows.restore(dir), SignalConfig.defaults(), new ListIndex(), ReferenceDataLoader.builtIn(),
            new RestrictionIndex()), policies.active(), 256, 16,
        new SimpleMeterRegistry(), TestClock.INSTANCE, observer, DecisionPipeline.IDEMPOTENCY_HORIZON_MILLIS_DEFAULT,
        DurableCommit.SYNC, checkpoints);
  }

  /** Decides events {@code from..to-1}: accounts, devices and phones that repeat, so windows and links fill. */
  private void decide(DecisionPipeline p, int from, int to) {
    DecisionService service = new DecisionService(p, journal, 10_000, "REVIEW");
    for (int i = from; i < to; i++) {
      String id = "ck-" + i;
      byte[] body = bodies.computeIfAbsent(id, k -> {
        Map<String, Object> b = new HashMap<>(Events.payment(k, "acc-" + (k.hashCode() & 7), 1_000 + k.length() * 37L));
        b.put("device", Map.of("id", "dev-" + (k.hashCode() & 3)));
        b.put("phone", "+88017123456" + (10 + (k.hashCode() & 5)));
        return Json.write(b).getBytes(StandardCharsets.UTF_8);
      });
      Outcome.Response r = service.decide(body);
      assertThat(r.replay()).isFalse();
      answers.put(id, r.json());
    }
  }

  /** Everything observable of the state, read on the sequencer. */
  private String state(DecisionPipeline p) throws Exception {
    return p.onSequencer(e -> {
      StringBuilder out = new StringBuilder();
      long t = e.clockMillis();
      for (int a = 0; a < 8; a++) {
        out.append(Arrays.toString(e.features().query(Entity.ACCOUNT, "acc-" + a, t, null))).append('\n');
        // Fingerprints are keyed per state: a full replay draws a new key, so they are left out.
        e.signals().links().linksOf("acc-" + a).identifiers().stream()
            .map(l -> l.kind() + " " + l.firstSeenMillis() + " " + l.lastSeenMillis() + " " + l.accountsSharing() + " " + l.sharingCapped())
            .sorted().forEach(l -> out.append(l).append('\n'));
      }
      for (int d = 0; d < 4; d++) out.append(Arrays.toString(e.features().query(Entity.DEVICE, "dev-" + d, t, null))).append('\n');
      // Disk-backed stores count what is in heap only (keys load when touched): compared in memory only.
      if (!e.features().diskBacked()) out.append(e.features().entryCount()).append(' ').append(e.features().keyCount()).append(' ');
      out.append(e.features().accountCount()).append(' ').append(e.features().entriesDropped()).append(' ')
          .append(e.ledger().reservationCount()).append(' ').append(e.signals().links().stats());
      return out.toString();
    }).get(10, TimeUnit.SECONDS);
  }

  /** Every event decided so far is answered as a replay, with its first answer. */
  private void assertIdempotent(DecisionPipeline p) {
    DecisionService service = new DecisionService(p, journal, 10_000, "REVIEW");
    bodies.forEach((id, body) -> {
      Outcome.Response again = service.decide(body);
      assertThat(again.replay()).as(id).isTrue();
      assertThat(again.json()).as(id).isEqualTo(answers.get(id));
    });
  }

  private static void awaitCheckpoint(Checkpoints c, long atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (c.lastWrittenSequence() < atLeast) {
      if (System.nanoTime() > deadline) throw new AssertionError("no checkpoint of sequence ≥ " + atLeast + " was written");
      Thread.sleep(10);
    }
  }

  /** The reference: a pipeline that replayed the whole journal. */
  private String fullReplayState() throws Exception {
    try (DecisionPipeline full = pipeline(null)) {
      assertThat(full.recoveredFromSequence()).isZero();
      return state(full);
    }
  }

  @Test
  void aStartFromTheNewestCheckpointEqualsAFullReplayAndKeepsIdempotency() throws Exception {
    Path dir = temp.resolve("checkpoints");
    Checkpoints c = checkpoints(dir, true);
    long written;
    try (DecisionPipeline p = pipeline(c)) {
      decide(p, 0, 100);
      awaitCheckpoint(c, EVERY);
      decide(p, 100, 130); // a tail after the checkpoint
      assertThat(c.lastPauseNanos()).isPositive();
    }
    c.close(); // finishes a checkpoint being written
    written = c.lastWrittenSequence();
    Checkpoints again = checkpoints(dir, true);
    try (DecisionPipeline p = pipeline(again)) {
      assertThat(p.recoveredFromSequence()).isEqualTo(written).isLessThan(130);
      assertThat(state(p)).isEqualTo(fullReplayState());
      assertIdempotent(p);
      decide(p, 130, 140); // goes on from the right head: the chain verifies below
    }
    again.close();
    try (DecisionPipeline p = pipeline(null)) {
      assertThat(journal.count()).isEqualTo(140);
      assertIdempotent(p);
    }
  }

  @Test
  void withWindowsInMemoryAStartFromTheNewestCheckpointEqualsAFullReplay() throws Exception {
    windowsInMemory = true;
    aStartFromTheNewestCheckpointEqualsAFullReplayAndKeepsIdempotency();
  }

  @Test
  void aCheckpointOfWindowsOnDiskListsTheirFilesAndIsRefusedByAnInMemoryServer() throws Exception {
    Path dir = temp.resolve("checkpoints");
    Checkpoints c = checkpoints(dir, true);
    try (DecisionPipeline p = pipeline(c)) {
      decide(p, 0, 50);
      awaitCheckpoint(c, EVERY);
    }
    c.close();
    Path newest = new CheckpointFiles(dir).newestFirst().get(0);
    Manifest m = new CheckpointFiles(dir).manifest(newest);
    assertThat(m.files()).containsKey("features/store.bin").doesNotContainKey("features.bin");
    assertThat(m.files().keySet()).anyMatch(f -> f.startsWith("features/entries/CURRENT"));
    m.files().forEach((name, sum) -> assertThat(newest.resolve(name)).as(name).hasSize(sum.bytes()));
    windowsInMemory = true;
    Checkpoints again = checkpoints(dir, true, false);
    try (DecisionPipeline p = pipeline(again)) {
      assertThat(p.recoveredFromSequence()).as("windows on disk cannot be restored into memory: a full replay").isZero();
      assertThat(state(p)).isEqualTo(fullReplayState());
      assertIdempotent(p);
    }
    again.close();
  }

  @Test
  void aDamagedOrTruncatedCheckpointIsSkippedForThePreviousOneThenAFullReplay() throws Exception {
    Path dir = temp.resolve("checkpoints");
    Checkpoints c = checkpoints(dir, true);
    try (DecisionPipeline p = pipeline(c)) {
      decide(p, 0, 50);
      awaitCheckpoint(c, EVERY);
      decide(p, 50, 100);
      awaitCheckpoint(c, 2 * EVERY);
      decide(p, 100, 110);
    }
    c.close();
    List<Path> kept = new CheckpointFiles(dir).newestFirst();
    assertThat(kept).hasSize(2);
    String expected = fullReplayState();

    // Windows on disk: store.bin carries its own checksum (the manifest lists its length only).
    flipOneByte(kept.get(0).resolve(windowsInMemory ? "features.bin" : "features/store.bin"));
    Checkpoints second = checkpoints(dir, true, false);
    try (DecisionPipeline p = pipeline(second)) {
      assertThat(p.recoveredFromSequence()).isEqualTo(CheckpointFiles.sequenceOf(kept.get(1)));
      assertThat(state(p)).isEqualTo(expected);
      assertIdempotent(p);
    }
    second.close();
    assertThat(new CheckpointFiles(dir).newestFirst()).as("the damaged one is set aside").containsExactly(kept.get(1));
    assertThat(dir.resolve(CheckpointFiles.UNUSABLE_PREFIX + kept.get(0).getFileName())).isDirectory();

    try (RandomAccessFile f = new RandomAccessFile(kept.get(1).resolve("event-ids.bin").toFile(), "rw")) {
      f.setLength(f.length() - 5);
    }
    Checkpoints none = checkpoints(dir, true, false);
    try (DecisionPipeline p = pipeline(none)) {
      assertThat(p.recoveredFromSequence()).as("both checkpoints are unusable: a full replay").isZero();
      assertThat(state(p)).isEqualTo(expected);
      assertIdempotent(p);
    }
    none.close();
  }

  @Test
  void aCheckpointBeyondTheJournalOrOfAnotherJournalIsSkipped() throws Exception {
    Path dir = temp.resolve("checkpoints");
    Checkpoints c = checkpoints(dir, true);
    try (DecisionPipeline p = pipeline(c)) {
      decide(p, 0, 50);
      awaitCheckpoint(c, EVERY);
      decide(p, 50, 100);
      awaitCheckpoint(c, 2 * EVERY);
    }
    c.close();
    List<Path> kept = new CheckpointFiles(dir).newestFirst();
    long older = CheckpointFiles.sequenceOf(kept.get(1));
    long newer = CheckpointFiles.sequenceOf(kept.get(0));
    // The database comes back from a backup taken between the two checkpoints.
    try (Connection conn = ds.getConnection(); Statement st = conn.createStatement()) {
      st.executeUpdate("DELETE FROM decisions WHERE sequence > " + (newer - 1));
    }
    bodies.keySet().removeIf(id -> Integer.parseInt(id.substring(3)) >= newer - 1);
    Checkpoints beyond = checkpoints(dir, true);
    try (DecisionPipeline p = pipeline(beyond)) {
      assertThat(p.recoveredFromSequence()).isEqualTo(older);
      assertThat(state(p)).isEqualTo(fullReplayState());
      assertIdempotent(p);
    }
    beyond.close();

    // A journal that is not the one the checkpoint was taken from: row `older` has another hash.
    Path manifest = kept.get(1).resolve(CheckpointFiles.MANIFEST);
    Manifest m = new CheckpointFiles(dir).manifest(kept.get(1));
    Files.writeString(manifest, new Manifest(m.formatVersion(), m.sequence(), "0".repeat(64), m.createdAtMillis(), m.files()).text());
    Checkpoints foreign = checkpoints(dir, true);
    try (DecisionPipeline p = pipeline(foreign)) {
      assertThat(p.recoveredFromSequence()).isZero();
    }
    foreign.close();
  }

  @Test
  void aFullDiskKeepsThePreviousCheckpointAndDecisionsFlow() throws Exception {
    Path mount = Files.createDirectories(temp.resolve("tiny"));
    Tmpfs.mount(mount, "512k");
    try {
      Path dir = mount.resolve("checkpoints");
      Checkpoints c = checkpoints(dir, true);
      try (DecisionPipeline p = pipeline(c)) {
        decide(p, 0, 50);
        awaitCheckpoint(c, EVERY);
        long first = c.lastWrittenSequence();
        fill(mount.resolve("filler"));
        decide(p, 50, 150); // two more checkpoints are due and fail: no space left
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (c.failures() < 1 || c.writing()) {
          if (System.nanoTime() > deadline) throw new AssertionError("the checkpoint write did not fail");
          Thread.sleep(10);
        }
        assertThat(c.lastWrittenSequence()).isEqualTo(first);
        List<Path> kept = new CheckpointFiles(dir).newestFirst();
        assertThat(kept).hasSize(1);
        assertThat(CheckpointFiles.sequenceOf(kept.get(0))).isEqualTo(first);
        try (Stream<Path> left = Files.list(dir)) {
          assertThat(left.filter(x -> x.getFileName().toString().startsWith(".tmp-")).toList()).as("no half-written checkpoint").isEmpty();
        }
        decide(p, 150, 160); // decisions still flow
        Files.delete(mount.resolve("filler"));
      }
      c.close();
      Checkpoints again = checkpoints(dir, true);
      try (DecisionPipeline p = pipeline(again)) {
        assertThat(p.recoveredFromSequence()).isEqualTo(EVERY);
        assertThat(state(p)).isEqualTo(fullReplayState());
        assertIdempotent(p);
      }
      again.close();
    } finally {
      Tmpfs.unmount(mount);
    }
  }

  @Test
  void theChainIsCheckedFromTheCheckpointsHeadForward() throws Exception {
    Path dir = temp.resolve("checkpoints");
    Checkpoints c = checkpoints(dir, true);
    try (DecisionPipeline p = pipeline(c)) {
      decide(p, 0, 50);
      awaitCheckpoint(c, EVERY);
      decide(p, 50, 70);
    }
    c.close();
    try (Connection conn = ds.getConnection(); Statement st = conn.createStatement()) {
      st.executeUpdate("UPDATE decisions SET response_json = REPLACE(response_json, 'ALLOW', 'DENY') WHERE sequence = 60");
    }
    AnchoredChain[] seen = new AnchoredChain[1];
    JournalObserver recording = new JournalObserver() {
      @Override
      public AnchoredChain rebuilding() {
        return seen[0] = new AnchoredChain(() -> null);
      }

      @Override
      public AnchoredChain rebuildingFrom(long headSequence, String headHash) {
        return seen[0] = new AnchoredChain(() -> null, headSequence, headHash);
      }

      @Override
      public void rebuilt(AnchoredChain chain) {
        chain.finish();
      }

      @Override
      public void committed(long sequence, String hash) {}
    };
    Checkpoints again = checkpoints(dir, true, false);
    try (DecisionPipeline p = pipeline(again, recording)) {
      assertThat(p.recoveredFromSequence()).isEqualTo(EVERY);
      assertThat(seen[0].rowsChecked()).as("rows after the checkpoint, up to the altered one").isEqualTo(60 - EVERY);
      assertThat(seen[0].finding()).isNotNull();
      assertThat(seen[0].finding().kind()).isEqualTo("altered");
      assertThat(seen[0].finding().sequence()).isEqualTo(60);
    }
    again.close();
  }

  private static void flipOneByte(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      long at = f.length() / 2;
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x5A);
    }
  }

  /** Writes until the file system says it is full. */
  private static void fill(Path file) throws IOException {
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) out.write(block);
    } catch (IOException full) {
      assertThat(full.getMessage()).contains("No space left on device");
    }
  }
}
