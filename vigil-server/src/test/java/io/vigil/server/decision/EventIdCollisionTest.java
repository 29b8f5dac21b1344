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
import io.vigil.server.policy.PolicyRepository;
import io.vigil.server.policy.PolicyService;
import io.vigil.server.storage.DurableCommit;
import io.vigil.server.support.Events;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Idempotency stays exact when event ids share a hash: with a hash function that maps every id to
 * the same value, each id is still decided once, replays return its own decision, and a restart
 * rebuilds the same answers.
 */
class EventIdCollisionTest {
  @Test
  void everyEventIdCollidesAndIdempotencyIsStillExact() {
    TestDatabases.Store store = TestDatabases.h2();
    try (HikariDataSource ds = store.open()) {
      FeatureConfig config = FeatureConfig.defaults();
      JournalRepository journal = new JournalRepository(ds);
      PolicyService policies = new PolicyService(new PolicyRepository(ds), new RuleCompiler(new FeatureCatalog(config)), TestClock.INSTANCE);
      Map<String, String> first = new HashMap<>();
      try (DecisionPipeline p = collidingPipeline(ds, journal, config, policies)) {
        DecisionService service = new DecisionService(p, journal, 10_000, "REVIEW");
        for (int i = 0; i < 30; i++) {
          Outcome.Response r = service.decide(body("c-" + i, "acc-" + (i % 3), 100 + i));
          assertThat(r.replay()).isFalse();
          first.put("c-" + i, r.json());
        }
        for (int i = 29; i >= 0; i--) {
          Outcome.Response again = service.decide(body("c-" + i, "acc-" + (i % 3), 100 + i));
          assertThat(again.replay()).isTrue();
          assertThat(again.json()).isEqualTo(first.get("c-" + i));
        }
        assertThatThrownBy(() -> service.decide(body("c-4", "acc-1", 1)))
            .isInstanceOf(ApiException.class).extracting("code").isEqualTo("event_id_reused");
        assertThat(journal.count()).isEqualTo(30);
      }
      try (DecisionPipeline p = collidingPipeline(ds, journal, config, policies)) {
        DecisionService service = new DecisionService(p, journal, 10_000, "REVIEW");
        for (int i = 0; i < 30; i++) {
          assertThat(service.decide(body("c-" + i, "acc-" + (i % 3), 100 + i)).json()).isEqualTo(first.get("c-" + i));
        }
        assertThat(service.decide(body("c-new", "acc-0", 1)).replay()).isFalse();
        assertThat(journal.count()).isEqualTo(31);
      }
    }
  }

  private DecisionPipeline collidingPipeline(HikariDataSource ds, JournalRepository journal, FeatureConfig config,
      PolicyService policies) {
    return new DecisionPipeline(journal, ds, () -> new Engine(config, new ListIndex()), policies.active(), 64, 8, new SimpleMeterRegistry(),
        TestClock.INSTANCE, id -> 42L, JournalObserver.NONE, DecisionPipeline.IDEMPOTENCY_HORIZON_MILLIS_DEFAULT,
        DurableCommit.SYNC);
  }

  /** One body per (event id, account, amount), fixed on first use so that repeats are identical. */
  private final Map<String, byte[]> bodies = new HashMap<>();

  private byte[] body(String eventId, String account, long amount) {
    return bodies.computeIfAbsent(eventId + "|" + account + "|" + amount,
        k -> Json.write(Events.payment(eventId, account, amount)).getBytes(StandardCharsets.UTF_8));
  }
}
