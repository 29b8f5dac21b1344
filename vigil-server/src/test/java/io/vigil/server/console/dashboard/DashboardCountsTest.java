package io.vigil.server.console.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.engine.journal.JournalRecord;
import io.vigil.engine.policy.Action;
import io.vigil.engine.policy.Decision;
import io.vigil.engine.policy.Reason;
import io.vigil.engine.policy.RiskLevel;
import io.vigil.server.decision.DecisionPipeline;
import io.vigil.server.journal.DecisionRules;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.support.TestDatabases;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dashboard's counts of the days before the server started, read from the journal (H2 and
 * PostgreSQL, whose journal is partitioned by month), and the split with the commit listener at the
 * journal head: every decision is counted once.
 */
class DashboardCountsTest {
  private static final long MIN = 60_000L;
  private static final long DAY = 86_400_000L;
  /** 2026-03-10T14:30:00Z: the server's start in this test. */
  private static final long NOW = Instant.parse("2026-03-10T14:30:00Z").toEpochMilli();

  static Stream<TestDatabases.Store> stores() {
    return Stream.of(TestDatabases.h2(), TestDatabases.postgres());
  }

  private record Stored(long sequence, long recordedAtMillis, Action action, int score, List<String> rules) {}

  private static JournalRow row(Stored s) {
    String id = String.format("dec_%016x", s.sequence());
    JournalRecord r = new JournalRecord(s.sequence(), id, "e" + s.sequence(), s.recordedAtMillis(), 1, "h", "{}", "{}", "p", "h");
    return new JournalRow(r, "payment", "acc", null, s.recordedAtMillis(), s.action().name(), s.score(), "low", 100L, "USD");
  }

  private static void write(HikariDataSource ds, List<Stored> rows) throws Exception {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      JournalRepository.insertBatch(c, rows.stream().map(DashboardCountsTest::row).toList());
      List<DecisionRules.Fired> fired = new ArrayList<>();
      for (Stored s : rows) fired.add(new DecisionRules.Fired(s.sequence(), new LinkedHashSet<>(s.rules())));
      DecisionRules.insertAll(c, fired);
      c.commit();
    }
  }

  private static Decision decision(Action action, int score, String rule) {
    return new Decision(action, score, score, RiskLevel.HIGH, List.of(new Reason(rule, "m", 10, action, Map.of())), null, 1, 1,
        List.of(), null, List.of(), List.of(), null);
  }

  @ParameterizedTest
  @MethodSource("stores")
  void theDaysBeforeTheStartAreCountedFromTheJournalAndLaterDecisionsFromTheListener(TestDatabases.Store store) throws Exception {
    try (HikariDataSource ds = store.open()) {
      write(ds, List.of(
          new Stored(1, NOW - 9 * DAY, Action.ALLOW, 5, List.of("velocity")), // before the eight days: not counted
          new Stored(2, NOW - 2 * DAY, Action.REVIEW, 55, List.of("velocity")),
          new Stored(3, NOW - 10 * MIN, Action.ALLOW, 5, List.of("velocity")),
          new Stored(4, NOW - 10 * MIN + 5_000, Action.DENY, 100, List.of("list.block.account", "velocity")),
          new Stored(5, NOW - 31 * MIN, Action.HOLD, 70, List.of("hold.two_approvers")),
          // Stored after the head was read: the listener's, not the backfill's.
          new Stored(6, NOW - 5 * MIN, Action.CHALLENGE, 40, List.of("velocity"))));
      AtomicReference<DecisionPipeline.CommitListener> listener = new AtomicReference<>();
      DashboardCounts counts = new DashboardCounts(listener::set, l -> {}, () -> 5, new JournalRepository(ds),
          Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
      counts.start();
      assertThat(counts.awaitBackfill(60_000)).as("the backfill finished").isTrue();
      assertThat(counts.countedFromMillis()).isEqualTo(Instant.parse("2026-03-03T00:00:00Z").toEpochMilli());

      MinuteCounts.Window hour = counts.read(NOW - 60 * MIN, NOW, 1);
      assertThat(hour.total()).isEqualTo(3);
      assertThat(hour.of(Action.ALLOW)).isEqualTo(1);
      assertThat(hour.of(Action.DENY)).isEqualTo(1);
      assertThat(hour.of(Action.HOLD)).isEqualTo(1);
      assertThat(hour.of(Action.CHALLENGE)).as("above the head: left to the listener").isZero();
      assertThat(hour.scoreBins()[9]).isEqualTo(1);
      assertThat(hour.series()[Action.DENY.ordinal()][50]).as("the minute 10 minutes before the start").isEqualTo(1);
      assertThat(MinuteCounts.percentileMillis(hour.latencyBins(), 0.5)).as("the journal keeps no latency").isNaN();
      assertThat(counts.read(NOW - 7 * DAY, NOW, 60).total()).isEqualTo(4);

      long today = Math.floorDiv(NOW, DAY);
      assertThat(counts.rulesOn(today)).isEqualTo(Map.of("velocity", 2L, "list.block.account", 1L, "hold.two_approvers", 1L));
      assertThat(counts.rulesOn(today - 2)).isEqualTo(Map.of("velocity", 1L));

      listener.get().committed(4, NOW - 10 * MIN + 5_000, decision(Action.DENY, 100, "velocity"), 1_000_000);
      listener.get().committed(6, NOW - 5 * MIN, decision(Action.CHALLENGE, 40, "velocity"), 2_000_000);
      MinuteCounts.Window after = counts.read(NOW - 60 * MIN, NOW, 1);
      assertThat(after.of(Action.DENY)).as("at or below the head: the backfill's, not counted again").isEqualTo(1);
      assertThat(after.of(Action.CHALLENGE)).isEqualTo(1);
      assertThat(MinuteCounts.percentileMillis(after.latencyBins(), 1.0)).isBetween(2.0, 2.0 * Math.pow(2, 0.25));
      assertThat(counts.rulesOn(today).get("velocity")).isEqualTo(3L);
      counts.stop();
    }
  }

  @org.junit.jupiter.api.Test
  void decisionsToldWhileTheHeadIsReadAreSortedOutOnceItIsKnownAndStopUnsubscribes() throws Exception {
    try (HikariDataSource ds = TestDatabases.h2().open()) {
      AtomicReference<DecisionPipeline.CommitListener> listener = new AtomicReference<>();
      AtomicReference<DecisionPipeline.CommitListener> removed = new AtomicReference<>();
      // The committer tells of 7 and 8 while the head (7) is being read: 7 is the backfill's, 8 the listener's.
      java.util.function.LongSupplier head = () -> {
        listener.get().committed(7, NOW - 2 * MIN, decision(Action.DENY, 95, "velocity"), 1_000_000);
        listener.get().committed(8, NOW - MIN, decision(Action.CHALLENGE, 45, "velocity"), 1_000_000);
        return 7;
      };
      DashboardCounts counts = new DashboardCounts(listener::set, removed::set, head, new JournalRepository(ds),
          Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
      counts.start();
      assertThat(counts.awaitBackfill(60_000)).isTrue();
      MinuteCounts.Window hour = counts.read(NOW - 60 * MIN, NOW, 1);
      assertThat(hour.of(Action.DENY)).as("at the head: the backfill's (the journal is empty here)").isZero();
      assertThat(hour.of(Action.CHALLENGE)).as("after the head: counted once the head was known").isEqualTo(1);
      listener.get().committed(9, NOW - MIN, decision(Action.ALLOW, 5, "velocity"), 1_000_000);
      assertThat(counts.read(NOW - 60 * MIN, NOW, 1).of(Action.ALLOW)).isEqualTo(1);

      counts.stop();
      assertThat(removed.get()).as("stop removes the listener it added").isSameAs(listener.get());
      assertThat(counts.isRunning()).isFalse();
    }
  }
}
