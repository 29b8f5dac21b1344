package io.vigil.engine.money;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.Engine;
import io.vigil.engine.TestEvents;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.limit.LimitUsage;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.policy.Action;
import io.vigil.engine.policy.CompiledPolicy;
import io.vigil.engine.policy.Decision;
import io.vigil.engine.policy.DefaultPolicyPack;
import io.vigil.engine.policy.Reason;
import io.vigil.engine.signal.ReferenceData;
import io.vigil.engine.signal.ReferenceDataException;
import io.vigil.engine.signal.ReferenceDataLoader;
import io.vigil.engine.signal.SignalConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default policy's money rules across currencies: the large-payment rule, structuring and
 * holds compare converted amounts; limits are per currency with BDT seeded next to USD; an amount
 * without a rate goes to review; and the rates are those of the reference set the decision records.
 */
class CurrencyDecisionsTest {
  static final long NOON = Instant.parse("2026-11-21T14:00:00Z").toEpochMilli();
  static final long HOUR = 3_600_000L;
  @TempDir
  Path temp;
  Engine engine;
  int sequence;

  @BeforeEach
  void setUp() {
    engine = new Engine(FeatureConfig.defaults(), new ListIndex()); // the built-in rates: 1 USD = 120.00 BDT = 0.96 EUR
    engine.install(CompiledPolicy.compile(DefaultPolicyPack.document(), engine.compiler()));
  }

  private Decision pay(String account, long amountMinor, String currency, long atMillis) {
    return engine.decide(TestEvents.parse(TestEvents.payment("e" + (++sequence), atMillis, account, amountMinor, currency)), NOON);
  }

  private Decision pay(String account, long amountMinor, String currency) {
    return pay(account, amountMinor, currency, NOON);
  }

  private static Reason reason(Decision d, String ruleId) {
    return d.reasons().stream().filter(r -> r.ruleId().equals(ruleId)).findFirst().orElse(null);
  }

  private ReferenceData rates(String rows, long version) throws IOException, ReferenceDataException {
    Path dir = Files.createDirectories(temp.resolve("v" + version));
    Files.writeString(dir.resolve(ReferenceDataLoader.EXCHANGE_RATES_FILE),
        "as_of,2026-11-20\nbase,USD\ncurrency,units_per_base\n" + rows);
    return ReferenceDataLoader.load(dir, version, 10);
  }

  @Test
  void theLargePaymentRuleComparesTheAmountInTheBaseCurrency() {
    // 12,500.00 BDT is 104.16 USD: not a large payment, although 12,500 > 10,000.
    assertThat(reason(pay("bd1", 12_500_00L, "BDT"), "large_payment")).isNull();
    // 1,250,000.00 BDT is 10,416.66 USD.
    Decision large = pay("bd2", 1_250_000_00L, "BDT");
    Reason r = reason(large, "large_payment");
    assertThat(r).isNotNull();
    assertThat(r.message()).isEqualTo("Amount 1250000.00 BDT (10416.66 USD) is over 10,000 USD");
    assertThat(r.values()).containsEntry("event.amount_base", 10_416.66).containsEntry("event.base_currency", "USD");
    assertThat(large.action()).isEqualTo(Action.CHALLENGE);
    assertThat(large.challengeKind()).isEqualTo("password_and_otp");
    // In the base currency itself nothing changes: over 10,000.00 USD, and not at exactly 10,000.00.
    assertThat(reason(pay("us1", 10_000_01L, "USD"), "large_payment")).isNotNull();
    assertThat(reason(pay("us2", 10_000_00L, "USD"), "large_payment")).isNull();
    // JPY has no minor unit: 1,570,000 JPY is exactly 10,000.00 USD, 1,570,157 JPY is 10,001.00.
    assertThat(reason(pay("jp1", 1_570_000L, "JPY"), "large_payment")).isNull();
    assertThat(reason(pay("jp2", 1_570_157L, "JPY"), "large_payment")).isNotNull();
  }

  @Test
  void structuringCountsAmountsOfAnyCurrencyJustUnderTheThreshold() {
    // 450.00 <= amount < 500.00 USD: 55,000.00 BDT (458.33 USD), 480.00 USD, 450.00 EUR (468.75 USD).
    assertThat(pay("smurf", 55_000_00L, "BDT", NOON - 3 * HOUR).action()).isEqualTo(Action.ALLOW);
    assertThat(pay("smurf", 480_00L, "USD", NOON - 2 * HOUR).action()).isEqualTo(Action.ALLOW);
    Decision third = pay("smurf", 450_00L, "EUR", NOON - HOUR);
    assertThat(third.action()).isEqualTo(Action.REVIEW);
    assertThat(reason(third, "structuring").values()).containsEntry("velocity.account.near_threshold_24h", 3L);
    // The band's edges in BDT: 54,000.00 BDT is 450.00 USD (counts), 53,999.99 is 449.99 (does not),
    // 60,000.00 is 500.00 (the threshold itself: does not), 59,999.99 is 499.99 (counts).
    pay("edges", 53_999_99L, "BDT");
    pay("edges", 60_000_00L, "BDT");
    pay("edges", 54_000_00L, "BDT");
    Decision edge = pay("edges", 59_999_99L, "BDT");
    assertThat(reason(edge, "structuring")).isNull();
    assertThat(pay("edges", 59_000_00L, "BDT").action()).as("the third amount in the band").isEqualTo(Action.REVIEW);
  }

  @Test
  void aReplayedHistoryCountsTowardsStructuringWithTheRatesLive() {
    // Recovery replays the journal with the reference data live then: two BDT amounts in the band…
    engine.replay(TestEvents.parse(TestEvents.payment("r1", NOON - 2 * HOUR, "replayed", 55_000_00L, "BDT")), Action.ALLOW, NOON);
    engine.replay(TestEvents.parse(TestEvents.payment("r2", NOON - HOUR, "replayed", 57_000_00L, "BDT")), Action.ALLOW, NOON);
    // …make the third, decided after the restart, the third near the threshold.
    Decision third = pay("replayed", 470_00L, "USD");
    assertThat(reason(third, "structuring").values()).containsEntry("velocity.account.near_threshold_24h", 3L);
  }

  @Test
  void limitsArePerCurrencyWithBdtSeededNextToUsd() {
    Decision bdt = pay("wallet", 1_000_000_00L, "BDT");
    assertThat(bdt.limits()).extracting(u -> u.limit().id()).containsExactlyInAnyOrder("daily_password_bdt", "monthly_total_bdt");
    LimitUsage daily = bdt.limits().stream().filter(u -> u.limit().id().equals("daily_password_bdt")).findFirst().orElseThrow();
    assertThat(daily.capMinor()).isEqualTo(1_200_000_00L);
    assertThat(daily.remainingMinor()).isEqualTo(200_000_00L);
    // USD spend is not BDT spend: the USD limits see none of the taka.
    Decision usd = pay("wallet", 9_000_00L, "USD");
    assertThat(usd.limits()).extracting(u -> u.limit().id()).containsExactlyInAnyOrder("daily_password", "monthly_total");
    assertThat(usd.limits().get(0).usedMinor()).isZero();
    // 1,000,000.00 + 250,000.00 BDT is over the 1,200,000.00 BDT cap with a password: step up.
    Decision breach = pay("wallet", 250_000_00L, "BDT");
    assertThat(breach.action()).isEqualTo(Action.CHALLENGE);
    assertThat(breach.challengeKind()).isEqualTo("password_and_otp");
    assertThat(breach.reasons().get(0).ruleId()).isEqualTo("limit.daily_password_bdt");
    assertThat(breach.reasons().get(0).message())
        .isEqualTo("1,000,000.00 BDT already spent daily plus 250,000.00 BDT is over the daily_password_bdt limit of 1,200,000.00 BDT");
  }

  @Test
  void anAmountWithoutARateIsReviewedAndNoThresholdPretendsToJudgeIt() throws Exception {
    engine.install(rates("BDT,120.00\n", 1));
    Decision eur = pay("eu1", 20_000_00L, "EUR"); // EUR has no rate in this set
    assertThat(eur.action()).isEqualTo(Action.REVIEW);
    assertThat(eur.reasons()).extracting(Reason::ruleId).containsExactly("no_exchange_rate");
    assertThat(eur.reasons().get(0).message())
        .isEqualTo("No exchange rate for EUR in the reference data: the amount cannot be compared with thresholds in USD");
    assertThat(eur.ruleErrors()).isEmpty();
    // Amounts in EUR never count as near the structuring threshold without a rate.
    for (int i = 0; i < 3; i++) pay("eu2", 470_00L, "EUR");
    assertThat(reason(pay("eu2", 470_00L, "EUR"), "structuring")).isNull();
    // A payment in a currency with a rate is not affected.
    assertThat(pay("bd1", 12_500_00L, "BDT").action()).isEqualTo(Action.ALLOW);
    // Nor are events without an amount.
    Map<String, Object> loginBody = TestEvents.body("l1", "login", NOON);
    loginBody.put("account_id", "eu1");
    Decision login = engine.decide(TestEvents.parse(loginBody), NOON);
    assertThat(login.reasons()).extracting(Reason::ruleId).doesNotContain("no_exchange_rate");
  }

  @Test
  void aDecisionConvertsWithTheRatesOfTheReferenceVersionItRecords() throws Exception {
    engine.install(rates("BDT,120.00\n", 7));
    Decision before = pay("bd1", 1_100_000_00L, "BDT"); // 9,166.66 USD
    assertThat(before.referenceVersion()).isEqualTo(7);
    assertThat(reason(before, "large_payment")).isNull();
    engine.install(rates("BDT,100.00\n", 8));
    Decision after = pay("bd2", 1_100_000_00L, "BDT"); // 11,000.00 USD
    assertThat(after.referenceVersion()).isEqualTo(8);
    assertThat(reason(after, "large_payment").message()).isEqualTo("Amount 1100000.00 BDT (11000.00 USD) is over 10,000 USD");
  }

  @Test
  void anotherBaseCurrencyChangesWhatTheRulesCompare() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("bdt"));
    Files.writeString(dir.resolve(ReferenceDataLoader.EXCHANGE_RATES_FILE),
        "as_of,2026-11-20\nbase,BDT\ncurrency,units_per_base\nUSD,0.008\n");
    Engine bdtBase = new Engine(FeatureConfig.defaults(), SignalConfig.defaults(), new ListIndex(),
        ReferenceDataLoader.load(dir, 1, 10));
    bdtBase.install(CompiledPolicy.compile(DefaultPolicyPack.document(), bdtBase.compiler()));
    // With BDT as the base, large_payment reads "over 10,000 BDT": a rule's figure is in the base currency.
    Decision d = bdtBase.decide(TestEvents.parse(TestEvents.payment("b1", NOON, "acc", 12_500_00L, "BDT")), NOON);
    assertThat(reason(d, "large_payment").message()).isEqualTo("Amount 12500.00 BDT (12500.00 BDT) is over 10,000 BDT");
  }
}
