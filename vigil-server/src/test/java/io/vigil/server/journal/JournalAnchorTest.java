package io.vigil.server.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.engine.Engine;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.feature.FeatureCatalog;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.rule.RuleCompiler;
import io.vigil.server.api.Json;
import io.vigil.server.decision.DecisionPipeline;
import io.vigil.server.decision.Outcome;
import io.vigil.server.policy.PolicyRepository;
import io.vigil.server.policy.PolicyService;
import io.vigil.server.storage.Storage;
import io.vigil.server.support.Events;
import io.vigil.server.support.JournalRows;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * The journal's anchors against an insider who can write to the database, on both stores: rows cut
 * off the end, a row changed with every later hash recomputed, a forged row appended with a correct
 * link, a changed anchor line, key rotation, and what start-up does on a broken chain. Anchors are
 * taken by calling {@link JournalAnchors#anchorNow} (the timer's own call), never by waiting.
 */
class JournalAnchorTest {
  static Stream<TestDatabases.Store> stores() {
    return Stream.of(TestDatabases.h2(), TestDatabases.postgres());
  }

  /** A key, keyring and anchor file in a directory of their own (outside the database). */
  record Anchoring(Path dir, AnchorKey key, Path keyring, AnchorFile file) {
    static Anchoring create() throws IOException {
      Path dir = Files.createTempDirectory("vigil-anchor-");
      AnchorKey key = AnchorKey.generateInto(dir.resolve("signing.key"));
      Path keyring = dir.resolve("public-keys.jsonl");
      AnchorKeyring.read(keyring).record(key, TestClock.INSTANCE.millis());
      return new Anchoring(dir, key, keyring, new AnchorFile(dir.resolve("anchors.jsonl")));
    }

    JournalAnchors anchors(JournalAnchors.OnBrokenChain onBroken) {
      return new JournalAnchors(key, AnchorKeyring.read(keyring), file, 10_000, onBroken, TestClock.INSTANCE);
    }

    void sign(AnchorKey by, JournalRepository journal, long sequence, String reason) {
      file.append(Anchor.signed(by, sequence, JournalRows.hashAt(journal, sequence), TestClock.INSTANCE.millis(), reason));
    }

    JournalVerifier.Result verify(JournalRepository journal) {
      try (AnchorFile.Reader reader = file.open(AnchorKeyring.read(keyring))) {
        return JournalVerifier.verify(journal, reader::next);
      }
    }

    List<String> lines() throws IOException {
      return Files.readAllLines(file.path());
    }
  }

  static DecisionPipeline pipeline(HikariDataSource ds, JournalObserver observer) {
    FeatureConfig config = FeatureConfig.defaults();
    PolicyService policies = new PolicyService(new PolicyRepository(ds), new RuleCompiler(new FeatureCatalog(config)),
        TestClock.INSTANCE);
    return new DecisionPipeline(new JournalRepository(ds), ds, () -> new Engine(config, new ListIndex()), policies.active(), 1_024,
        64, new SimpleMeterRegistry(), TestClock.INSTANCE, observer);
  }

  static void decide(DecisionPipeline p, String eventId) throws Exception {
    Map<String, Object> body = Events.payment(eventId, "acc-" + eventId.length(), 1_000);
    String canonical = Json.canonical(body);
    CompletableFuture<Outcome> reply = p.submit(new DecisionPipeline.Submission(EventParser.parse(body), canonical,
        p.requestHash(canonical), System.nanoTime(), false, new CompletableFuture<>()));
    assertThat(reply.get(10, TimeUnit.SECONDS)).isInstanceOf(Outcome.Response.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void anIntactJournalVerifiesAgainstItsAnchorsAndRestartsCleanly(TestDatabases.Store store) throws Exception {
    Anchoring a = Anchoring.create();
    try (HikariDataSource ds = store.open()) {
      JournalRepository journal = new JournalRepository(ds);
      JournalAnchors anchors = a.anchors(JournalAnchors.OnBrokenChain.REFUSE);
      try (DecisionPipeline p = pipeline(ds, anchors)) {
        for (int i = 0; i < 20; i++) decide(p, "ev-" + i);
        Anchor interval = anchors.anchorNow(Anchor.INTERVAL);
        assertThat(interval.sequence()).isEqualTo(20);
        assertThat(interval.hash()).isEqualTo(JournalRows.hashAt(journal, 20));
        assertThat(interval.keyId()).isEqualTo(a.key().id());
        assertThat(anchors.anchorNow(Anchor.INTERVAL)).as("the head did not move").isNull();
        for (int i = 20; i < 25; i++) decide(p, "ev-" + i);
      }
      anchors.close();
      JournalVerifier.Result result = a.verify(journal);
      assertThat(result.intact()).isTrue();
      assertThat(result.anchorsChecked()).isEqualTo(3); // start (0), interval (20), shutdown (25)
      assertThat(result.lastAnchor()).extracting(Anchor::sequence, Anchor::reason).containsExactly(25L, Anchor.SHUTDOWN);
      assertThat(result.unanchored()).isNull();

      JournalAnchors again = a.anchors(JournalAnchors.OnBrokenChain.REFUSE);
      try (DecisionPipeline p = pipeline(ds, again)) {
        assertThat(again.readOnly()).isFalse();
        decide(p, "ev-after-restart");
      }
      again.close();
      assertThat(a.lines()).hasSize(5); // + start (25), shutdown (26)
      JournalVerifier.Result after = a.verify(journal);
      assertThat(after.intact()).isTrue();
      assertThat(after.headSequence()).isEqualTo(26);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void rowsCutOffTheEndAreFoundAndStopTheStart(TestDatabases.Store store) throws Exception {
    Anchoring a = Anchoring.create();
    try (HikariDataSource ds = store.open()) {
      JournalRepository journal = new JournalRepository(ds);
      JournalRows.write(ds, JournalRows.chain(1, 30, io.vigil.engine.journal.HashChain.GENESIS, ""));
      a.sign(a.key(), journal, 30, Anchor.INTERVAL);
      JournalRows.exec(ds, "DELETE FROM decisions WHERE sequence > 25");

      assertThat(JournalVerifier.verify(journal).intact()).as("the chain alone cannot see it").isTrue();
      assertThat(a.verify(journal).finding()).extracting("kind", "sequence").containsExactly("truncated", 26L);

      ListAppender<ILoggingEvent> logged = capture();
      JournalAnchors refusing = a.anchors(JournalAnchors.OnBrokenChain.REFUSE);
      assertThatThrownBy(() -> pipeline(ds, refusing)).isInstanceOf(JournalAnchors.BrokenJournalException.class);
      assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.ERROR).singleElement().satisfies(e -> {
        assertThat(e.getFormattedMessage()).contains("first truncated row at sequence 26", "refuses to start", "verify-journal");
      });
      refusing.close();
      assertThat(a.lines()).as("a refused start signs nothing").hasSize(1);

      JournalAnchors readOnly = a.anchors(JournalAnchors.OnBrokenChain.READ_ONLY);
      try (DecisionPipeline p = pipeline(ds, readOnly)) {
        assertThat(readOnly.readOnly()).isTrue();
        assertThat(readOnly.brokenAt().sequence()).isEqualTo(26);
        assertThat(readOnly.anchorNow(Anchor.INTERVAL)).isNull();
        assertThat(p.ready()).isTrue(); // reads are served
      }
      readOnly.close();
      assertThat(a.lines()).as("a read-only run signs nothing").hasSize(1);
    } finally {
      release();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aRowChangedWithEveryLaterHashRecomputedIsFound(TestDatabases.Store store) throws Exception {
    Anchoring a = Anchoring.create();
    try (HikariDataSource ds = store.open()) {
      JournalRepository journal = new JournalRepository(ds);
      JournalRows.write(ds, JournalRows.chain(1, 30, io.vigil.engine.journal.HashChain.GENESIS, ""));
      for (long s : new long[] {10, 20, 30}) a.sign(a.key(), journal, s, Anchor.INTERVAL);
      // The insider changes row 15 and re-chains everything after it.
      String before15 = JournalRows.hashAt(journal, 14);
      JournalRows.exec(ds, "DELETE FROM decisions WHERE sequence >= 15");
      JournalRows.write(ds, JournalRows.chain(15, 30, before15, "-forged"));

      assertThat(JournalVerifier.verify(journal).intact()).as("the chain alone cannot see it").isTrue();
      var finding = a.verify(journal).finding();
      assertThat(finding).extracting("kind", "sequence").containsExactly("rewritten", 11L);
      assertThat(finding.detail()).contains("row 20 has hash", "a row from 11 to 20 was changed");

      JournalAnchors refusing = a.anchors(JournalAnchors.OnBrokenChain.REFUSE);
      assertThatThrownBy(() -> pipeline(ds, refusing)).isInstanceOf(JournalAnchors.BrokenJournalException.class)
          .hasMessageContaining("rewritten");
      refusing.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aForgedRowAppendedWithACorrectLinkIsReported(TestDatabases.Store store) throws Exception {
    Anchoring a = Anchoring.create();
    try (HikariDataSource ds = store.open()) {
      JournalRepository journal = new JournalRepository(ds);
      JournalRows.write(ds, JournalRows.chain(1, 20, io.vigil.engine.journal.HashChain.GENESIS, ""));
      a.sign(a.key(), journal, 20, Anchor.INTERVAL);
      JournalRows.write(ds, JournalRows.chain(21, 21, JournalRows.hashAt(journal, 20), "-forged"));

      // While Vigil runs, rows after the last anchor are the window: reported, with the first of them.
      JournalVerifier.Result running = a.verify(journal);
      assertThat(running.intact()).isTrue();
      assertThat(running.unanchored()).extracting("firstSequence", "lastSequence").containsExactly(21L, 21L);

      // After a clean shutdown no row may follow: the forged row is a finding.
      a.sign(a.key(), journal, 20, Anchor.SHUTDOWN);
      assertThat(a.verify(journal).finding()).extracting("kind", "sequence").containsExactly("appended", 21L);
      JournalAnchors refusing = a.anchors(JournalAnchors.OnBrokenChain.REFUSE);
      assertThatThrownBy(() -> pipeline(ds, refusing)).isInstanceOf(JournalAnchors.BrokenJournalException.class)
          .hasMessageContaining("first appended row at sequence 21");
      refusing.close();
    }
  }

  @Test
  void aChangedForgedOrUnorderedAnchorLineIsReported() throws Exception {
    Anchoring a = Anchoring.create();
    try (HikariDataSource ds = TestDatabases.h2().open()) {
      JournalRepository journal = new JournalRepository(ds);
      JournalRows.write(ds, JournalRows.chain(1, 10, io.vigil.engine.journal.HashChain.GENESIS, ""));
      a.sign(a.key(), journal, 5, Anchor.INTERVAL);
      a.sign(a.key(), journal, 10, Anchor.INTERVAL);
      assertThat(a.verify(journal).intact()).isTrue();
      List<String> good = a.lines();

      // The hash of the first anchor changed to another row's, the signature kept.
      List<String> changed = new ArrayList<>(good);
      changed.set(0, good.get(0).replace(JournalRows.hashAt(journal, 5), JournalRows.hashAt(journal, 6)));
      Files.write(a.file().path(), changed);
      var finding = a.verify(journal).finding();
      assertThat(finding).extracting("kind", "sequence").containsExactly("bad-anchor", 5L);
      assertThat(finding.detail()).contains("line 1", "the signature does not verify");

      // A line signed by a key that is not in the keyring.
      AnchorKey stranger = AnchorKey.generate();
      Files.write(a.file().path(), good);
      a.sign(stranger, journal, 10, Anchor.INTERVAL);
      assertThat(a.verify(journal).finding().detail()).contains("line 3", "not in the keyring");

      // Anchors never go back.
      Files.write(a.file().path(), List.of(good.get(1), good.get(0)));
      assertThat(a.verify(journal).finding().detail()).contains("line 2", "anchors never go back");

      // Not an anchor at all.
      Files.write(a.file().path(), List.of(good.get(0), "{\"sequence\": 7}"));
      assertThat(a.verify(journal).finding()).extracting("kind").isEqualTo("bad-anchor");
    }
  }

  @Test
  void aRotatedKeyKeepsItsOldAnchorsVerifiableAndVerifyJournalSaysSo() throws Exception {
    Path dataDir = Files.createTempDirectory("vigil-rotate-");
    Path keyring = AnchorPaths.keyringFile(dataDir.toString());
    AnchorFile file = new AnchorFile(AnchorPaths.anchorFile(dataDir.toString()));
    AnchorKey first = JournalAnchors.loadKey("", "", AnchorPaths.keyFile(dataDir.toString()));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(AnchorPaths.keyFile(dataDir.toString()))))
        .isEqualTo("rw-------");
    try (HikariDataSource ds = Storage.open(Storage.embeddedUrl(dataDir.toString()), "", "", 2, "test-rotate")) {
      Storage.migrate(ds);
      JournalRepository journal = new JournalRepository(ds);
      JournalRows.write(ds, JournalRows.chain(1, 10, io.vigil.engine.journal.HashChain.GENESIS, ""));
      new JournalAnchors(first, AnchorKeyring.read(keyring), file, 10_000, JournalAnchors.OnBrokenChain.REFUSE, TestClock.INSTANCE)
          .close();
      file.append(Anchor.signed(first, 5, JournalRows.hashAt(journal, 5), TestClock.INSTANCE.millis(), Anchor.INTERVAL));
      // Rotation: a new key file, configured; starting with it records its public key next to the old one.
      Path newKeyFile = dataDir.resolve("next.key");
      assertThat(AnchorKeyCommand.run(new String[] {"anchor-key", "--out", newKeyFile.toString()})).isZero();
      AnchorKey second = JournalAnchors.loadKey("", newKeyFile.toString(), AnchorPaths.keyFile(dataDir.toString()));
      assertThat(second.id()).isNotEqualTo(first.id());
      new JournalAnchors(second, AnchorKeyring.read(keyring), file, 10_000, JournalAnchors.OnBrokenChain.REFUSE, TestClock.INSTANCE)
          .close();
      file.append(Anchor.signed(second, 10, JournalRows.hashAt(journal, 10), TestClock.INSTANCE.millis(), Anchor.INTERVAL));
      assertThat(AnchorKeyring.read(keyring).keys()).containsOnlyKeys(first.id(), second.id());
      // The environment secret wins over the file.
      assertThat(JournalAnchors.loadKey(first.text(), newKeyFile.toString(), Path.of("unused")).id()).isEqualTo(first.id());
      assertThatThrownBy(() -> JournalAnchors.loadKey("", dataDir.resolve("missing.key").toString(), Path.of("unused")))
          .hasMessageContaining("does not exist");
    }
    String[] verify = {"verify-journal", "--data-dir", dataDir.toString()};
    assertThat(VerifyJournalCommand.run(verify)).as("old and new anchors verify").isZero();
    String[] lastOnly = {"verify-journal", "--data-dir", dataDir.toString(), "--anchor-signatures", "last"};
    assertThat(VerifyJournalCommand.run(lastOnly)).isZero();
    List<String> lines = Files.readAllLines(file.path());
    String forgedSignature = Anchor.signed(AnchorKey.generate(), 10, "x", 0, Anchor.INTERVAL).signature();
    Files.write(file.path(), List.of(lines.get(0),
        lines.get(1).replace(Anchor.fromJsonLine(lines.get(1)).signature(), forgedSignature)));
    assertThat(VerifyJournalCommand.run(lastOnly)).as("the last signature is always checked").isEqualTo(1);
    Files.write(file.path(), lines);
    try (HikariDataSource ds = Storage.open(Storage.embeddedUrl(dataDir.toString()), "", "", 2, "test-rotate")) {
      JournalRows.exec(ds, "DELETE FROM decisions WHERE sequence = 10");
    }
    assertThat(VerifyJournalCommand.run(verify)).as("truncated below the new key's anchor").isEqualTo(1);
    assertThat(VerifyJournalCommand.run(new String[] {"verify-journal", "--data-dir", dataDir.toString(), "--anchor-keys",
        dataDir.resolve("no-such-keyring").toString()})).as("no keyring: the anchors cannot be trusted").isEqualTo(1);
  }

  @Test
  void theTimerAnchorsAMovingHead() throws Exception {
    Anchoring a = Anchoring.create();
    try (HikariDataSource ds = TestDatabases.h2().open()) {
      JournalAnchors anchors = new JournalAnchors(a.key(), AnchorKeyring.read(a.keyring()), a.file(), 100,
          JournalAnchors.OnBrokenChain.REFUSE, TestClock.INSTANCE);
      try (DecisionPipeline p = pipeline(ds, anchors)) {
        for (int i = 0; i < 3; i++) decide(p, "tick-" + i);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (a.lines().stream().noneMatch(l -> l.contains("\"sequence\":3,") && l.contains(Anchor.INTERVAL))) {
          assertThat(System.nanoTime()).as("an interval anchor of sequence 3 within 10 s").isLessThan(deadline);
          Thread.sleep(20);
        }
      }
      anchors.close();
      assertThat(a.verify(new JournalRepository(ds)).intact()).isTrue();
    }
  }

  private static ListAppender<ILoggingEvent> capture() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(JournalAnchors.class)).addAppender(appender);
    return appender;
  }

  private static void release() {
    ((Logger) LoggerFactory.getLogger(JournalAnchors.class)).detachAndStopAllAppenders();
  }
}
