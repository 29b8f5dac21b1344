package io.vigil.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.engine.Engine;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.list.ListEntity;
import io.vigil.engine.list.ListEntry;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.list.ListKind;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Large-amount holds in the engine: thresholds in major units, the highest exceeded applies, DENY wins. */
class HoldPolicyTest {
  static final long NOON = Instant.parse("2026-11-21T12:00:00Z").toEpochMilli();
  ListIndex lists = new ListIndex();
  Engine engine;
  int sequence;

  @BeforeEach
  void setUp() {
    engine = new Engine(FeatureConfig.defaults(), lists);
    engine.install(CompiledPolicy.compile(DefaultPolicyPack.document(), engine.compiler()));
  }

  private Decision decide(String type, String account, long amountMinor, String currency) {
    Map<String, Object> body = new HashMap<>(Map.of("event_id", "e" + (++sequence), "type", type,
        "occurred_at", Instant.ofEpochMilli(NOON).toString(), "account_id", account, "timezone", "UTC"));
    if (amountMinor >= 0) {
      body.put("amount", amountMinor);
      body.put("currency", currency);
    }
    return engine.decide(EventParser.parse(body), NOON);
  }

  @Test
  void theHighestThresholdExceededApplies() {
    Decision d = decide("payment", "a1", 15_000_000L, "USD");
    assertThat(d.action()).isEqualTo(Action.HOLD);
    assertThat(d.hold().policy().id()).isEqualTo("two_approvers");
    assertThat(d.hold().deadlineMillis()).isEqualTo(NOON + 86_400_000L);
    assertThat(d.reasons().get(0).ruleId()).isEqualTo("hold.two_approvers");
    // EUR: the default pack's limits are in USD, and 600,000 USD is over its monthly limit (DENY).
    assertThat(decide("withdrawal", "a2", 60_000_000L, "EUR").hold().policy().id()).isEqualTo("supervisor");
    assertThat(decide("payment", "a3", 10_000_000L, "USD").action()).as("exactly 100,000 is not over it").isNotEqualTo(Action.HOLD);
    // Major units: 150,000 JPY has no minor unit; 150,000 BDT minor units are 1,500 taka.
    assertThat(decide("payment", "a4", 150_000L, "JPY").action()).isEqualTo(Action.HOLD);
    assertThat(decide("payment", "a5", 150_000L, "BDT").action()).isNotEqualTo(Action.HOLD);
  }

  @Test
  void aDenialIsNotHeldAndSessionsNeverAre() {
    lists.put(new ListEntry("le_1", ListKind.BLOCK, ListEntity.ACCOUNT, "a6", "fraud", null, "ops", NOON - 1, 0));
    Decision denied = decide("payment", "a6", 15_000_000L, "USD");
    assertThat(denied.action()).isEqualTo(Action.DENY);
    assertThat(denied.hold()).isNull();
    assertThat(decide("login", "a7", -1, null).hold()).isNull();
  }

  @Test
  void badPoliciesAreRefused() {
    assertThatThrownBy(() -> new HoldPolicy("x", 100, 1, Map.of("supervisor", 2), 60_000, Action.DENY))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more approvals");
    assertThatThrownBy(() -> new HoldPolicy("x", 100, 1, Map.of("cfo", 1), 60_000, Action.DENY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HoldPolicy("x", 100, 1, Map.of(), 60_000, Action.ALLOW))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PolicyDocument(1, List.of(), DefaultPolicyPack.document().defaultThresholds(), Map.of(), 1.0, 0.0,
        "UTC", List.of(), List.of(new HoldPolicy("x", 1, 1, Map.of(), 60_000, Action.DENY),
            new HoldPolicy("x", 2, 1, Map.of(), 60_000, Action.DENY)))).isInstanceOf(IllegalArgumentException.class);
  }
}
