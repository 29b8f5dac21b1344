package io.vigil.server.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.engine.Engine;
import io.vigil.engine.feature.FeatureCatalog;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.rule.RuleCompiler;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import io.vigil.server.journal.JournalObserver;
import io.vigil.server.journal.JournalRepository;
import io.vigil.server.journal.JournalVerifier;
import io.vigil.server.policy.PolicyRepository;
import io.vigil.server.policy.PolicyService;
import io.vigil.server.storage.DurableCommit;
import io.vigil.server.support.Events;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Idempotency across the horizon, on both stores, with a clock of the test's own (the suite's clock
 * starts it and it moves only when told). Within the horizon a retry is answered from memory;
 * after it, the index has forgotten the id, and the retry is still answered with the stored
 * decision (or the conflict), never decided twice. When a retry does get decided again (a horizon
 * shorter than the lateness, which the configuration refuses), the journal's unique index refuses
 * it: the caller gets the stored decision, the other decisions are either stored or refused with
 * 503, and the state is rebuilt to match the journal.
 */
class IdempotencyHorizonTest {
  private static final long HOUR = 3_600_000L;

  static Stream<TestDatabases.Store> stores() {
    return Stream.of(TestDatabases.h2(), TestDatabases.postgres());
  }

  /** The suite's clock plus an offset the test moves forward. */
  static final class MovableClock extends Clock {
    final AtomicLong offsetMillis = new AtomicLong();

    void advance(Duration by) {
      offsetMillis.addAndGet(by.toMillis());
    }

    @Override
    public long millis() {
      return TestClock.INSTANCE.millis() + offsetMillis.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aRetryWithinAndAfterTheHorizonGetsTheStoredDecision(TestDatabases.Store store) throws Exception {
    MovableClock clock = new MovableClock();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (HikariDataSource ds = store.open(); DecisionPipeline p = pipeline(ds, clock, registry, 7 * 24 * HOUR)) {
      JournalRepository journal = new JournalRepository(ds);
      DecisionService service = new DecisionService(p, journal, 10_000, "REVIEW");
      byte[] first = body(Events.payment("h-1", "acc-h", 100), clock);
      Outcome.Response decided = service.decide(first);
      assertThat(decided.replay()).isFalse();

      clock.advance(Duration.ofDays(6).plusHours(20));
      Outcome.Response within = service.decide(first);
      assertThat(within.replay()).isTrue();
      assertThat(within.json()).isEqualTo(decided.json());

      clock.advance(Duration.ofDays(2)); // 8 days 20 h after: beyond the horizon
      service.decide(body(Events.payment("h-2", "acc-h", 100), clock)); // a decision in a new hour
      awaitIdsHeld(registry, 1); // the sweep forgot h-1; h-2 is held
      Outcome.Response after = service.decide(first);
      assertThat(after.replay()).isTrue();
      assertThat(after.json()).as("answered from the journal byte for byte").isEqualTo(decided.json());
      assertThat(registry.counter("vigil.state.rebuilds").count()).as("not decided again: only the start-up's rebuild")
          .isEqualTo(1);
      // The same id with another body and a new time: the index has forgotten the id, so it is decided,
      // the journal's unique index refuses it, and the caller gets the conflict. (The state is then
      // rebuilt to match the journal, in the background: the test above asserts that.)
      byte[] other = body(Events.payment("h-1", "acc-h", 999), clock);
      assertThatThrownBy(() -> service.decide(other)).isInstanceOf(ApiException.class)
          .extracting("code").isEqualTo("event_id_reused");
      assertThat(journal.count()).isEqualTo(2);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aSecondDecisionForAStoredEventIdMeetsTheUniqueIndex(TestDatabases.Store store) throws Exception {
    MovableClock clock = new MovableClock();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // A one-hour horizon under a 24 h lateness: a retry 3 h later is decided again (the configuration refuses this).
    try (HikariDataSource ds = store.open(); DecisionPipeline p = pipeline(ds, clock, registry, HOUR)) {
      JournalRepository journal = new JournalRepository(ds);
      DecisionService service = new DecisionService(p, journal, 10_000, "REVIEW");
      byte[] original = body(Events.payment("u-1", "acc-u", 100), clock);
      Outcome.Response decided = service.decide(original);
      for (int i = 0; i < 5; i++) service.decide(body(Events.payment("u-old-" + i, "acc-u", 10 + i), clock));
      clock.advance(Duration.ofHours(3));
      service.decide(body(Events.payment("u-2", "acc-u", 100), clock));
      awaitIdsHeld(registry, 1);

      // The retry and fresh decisions at once: some may share its batch.
      List<CompletableFuture<Object>> fresh = new ArrayList<>();
      List<byte[]> freshBodies = new ArrayList<>();
      for (int i = 0; i < 20; i++) freshBodies.add(body(Events.payment("u-new-" + i, "acc-u" + i, 50 + i), clock));
      CompletableFuture<Outcome.Response> retry = CompletableFuture.supplyAsync(() -> service.decide(original));
      for (byte[] b : freshBodies) fresh.add(CompletableFuture.supplyAsync(() -> {
        try {
          return service.decide(b);
        } catch (ApiException e) {
          return e;
        }
      }));
      Outcome.Response answered = retry.get(30, TimeUnit.SECONDS);
      assertThat(answered.replay()).isTrue();
      assertThat(answered.json()).isEqualTo(decided.json());
      awaitReady(p);
      for (int i = 0; i < fresh.size(); i++) {
        Object outcome = fresh.get(i).get(30, TimeUnit.SECONDS);
        if (outcome instanceof ApiException e) {
          assertThat(e.status()).isEqualTo(503);
          assertThat(e.code()).isIn("storage_unavailable", "recovering");
          awaitReady(p);
          outcome = service.decide(freshBodies.get(i));
        }
        assertThat(((Outcome.Response) outcome).replay()).isFalse();
      }
      assertThat(registry.counter("vigil.state.rebuilds").count()).as("start-up and the refused batch").isEqualTo(2);
      assertThat(journal.count()).isEqualTo(1 + 5 + 1 + 20);
      assertThat(JournalVerifier.verify(journal).intact()).isTrue();

      // Remembered now: the next retry is answered without another refused commit.
      assertThat(service.decide(original).json()).isEqualTo(decided.json());
      byte[] other = body(Events.payment("u-1", "acc-u", 999), clock);
      assertThatThrownBy(() -> service.decide(other)).isInstanceOf(ApiException.class)
          .extracting("code").isEqualTo("event_id_reused");
      assertThat(registry.counter("vigil.state.rebuilds").count()).isEqualTo(2);
      assertThat(journal.count()).isEqualTo(27);
    }
  }

  private static DecisionPipeline pipeline(HikariDataSource ds, Clock clock, SimpleMeterRegistry registry, long horizonMillis) {
    FeatureConfig config = FeatureConfig.defaults();
    PolicyService policies = new PolicyService(new PolicyRepository(ds), new RuleCompiler(new FeatureCatalog(config)), clock);
    return new DecisionPipeline(new JournalRepository(ds), ds, () -> new Engine(config, new ListIndex()), policies.active(), 256, 64,
        registry, clock, null, JournalObserver.NONE, horizonMillis, DurableCommit.SYNC);
  }

  /** An event body occurring at the test clock's now. */
  private static byte[] body(Map<String, Object> event, Clock clock) {
    event.put("occurred_at", clock.instant().toString());
    return Json.write(event).getBytes(StandardCharsets.UTF_8);
  }

  private static void awaitIdsHeld(SimpleMeterRegistry registry, int ids) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (registry.get("vigil.idempotency.ids").gauge().value() != ids) {
      assertThat(System.nanoTime()).as("the index never held exactly %d ids", ids).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static void awaitReady(DecisionPipeline p) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!p.ready()) {
      assertThat(System.nanoTime()).as("the pipeline never became ready").isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
