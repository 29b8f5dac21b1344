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
import io.vigil.engine.signal.ReferenceData;
import io.vigil.engine.signal.ReferenceDataException;
import io.vigil.engine.signal.ReferenceDataLoader;
import io.vigil.engine.signal.SignalConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Large-amount holds in the engine: thresholds in major units of the base currency, the highest
 * exceeded applies, DENY wins.
 */
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
    // EUR: the default pack has no EUR limits (600,000 USD would be over the monthly USD limit: DENY).
    // 600,000.00 EUR at 0.96 EUR per USD is 625,000.00 USD: over 500,000.
    Decision eur = decide("withdrawal", "a2", 60_000_000L, "EUR");
    assertThat(eur.hold().policy().id()).isEqualTo("supervisor");
    assertThat(eur.reasons().get(0).message()).startsWith("Amount 600,000.00 EUR (625,000.00 USD) is over 500,000 USD");
    assertThat(eur.reasons().get(0).values()).containsEntry("event.amount_base", 625_000.0).containsEntry("event.base_currency", "USD");
    assertThat(decide("payment", "a3", 10_000_000L, "USD").action()).as("exactly 100,000 is not over it").isNotEqualTo(Action.HOLD);
  }

  @Test
  void thresholdsAreInTheBaseCurrencyWhateverTheEventsCurrency() {
    // The built-in rates: 1 USD = 157 JPY = 120.00 BDT. 150,000 JPY (no minor unit) is 955.41 USD.
    assertThat(decide("payment", "a4", 150_000L, "JPY").action()).isNotEqualTo(Action.HOLD);
    assertThat(decide("payment", "a5", 15_800_000L, "JPY").hold().policy().id()).as("100,636.94 USD").isEqualTo("two_approvers");
    // 12,000,000.00 BDT is exactly 100,000.00 USD: not over; nor is 12,000,001.00 BDT, which is
    // 100,000.0083 USD, rounded down to the cent. 12,000,001.20 BDT is 100,000.01 USD: over.
    assertThat(decide("payment", "a6", 12_000_000_00L, "BDT").action()).isNotEqualTo(Action.HOLD);
    assertThat(decide("payment", "a7", 12_000_001_00L, "BDT").action()).isNotEqualTo(Action.HOLD);
    Decision bdt = decide("payment", "a8", 12_000_001_20L, "BDT");
    assertThat(bdt.action()).isEqualTo(Action.HOLD);
    assertThat(bdt.reasons().get(0).message()).startsWith("Amount 12,000,001.20 BDT (100,000.01 USD) is over 100,000 USD");
  }

  @Test
  void anAmountWithoutARateIsNotHeldButGoesToReview() {
    // CHF has no rate in this engine's reference data: the seeded no_exchange_rate rule sends it to people.
    Engine withoutChf = new Engine(FeatureConfig.defaults(), SignalConfig.defaults(), lists, ratesWithoutChf());
    withoutChf.install(CompiledPolicy.compile(DefaultPolicyPack.document(), withoutChf.compiler()));
    Decision d = withoutChf.decide(EventParser.parse(Map.of("event_id", "chf1", "type", "payment",
        "occurred_at", Instant.ofEpochMilli(NOON).toString(), "account_id", "a9", "amount", 90_000_000L, "currency", "CHF")), NOON);
    assertThat(d.hold()).isNull();
    assertThat(d.action()).isEqualTo(Action.REVIEW);
    assertThat(d.reasons()).extracting(Reason::ruleId).containsExactly("no_exchange_rate");
  }

  private static ReferenceData ratesWithoutChf() {
    try {
      Path dir = Files.createTempDirectory("vigil-rates-");
      Files.writeString(dir.resolve(ReferenceDataLoader.EXCHANGE_RATES_FILE),
          "as_of,2026-11-20\nbase,USD\ncurrency,units_per_base\nBDT,120.00\n");
      return ReferenceDataLoader.load(dir, 1, 10);
    } catch (IOException | ReferenceDataException e) {
      throw new AssertionError(e);
    }
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
