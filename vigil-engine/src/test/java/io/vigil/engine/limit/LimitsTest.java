package io.vigil.engine.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.engine.Engine;
import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventParser;
import io.vigil.engine.event.EventType;
import io.vigil.engine.feature.FeatureConfig;
import io.vigil.engine.list.ListEntity;
import io.vigil.engine.list.ListEntry;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.list.ListKind;
import io.vigil.engine.policy.Action;
import io.vigil.engine.policy.CompiledPolicy;
import io.vigil.engine.policy.Decision;
import io.vigil.engine.policy.DefaultPolicyPack;
import io.vigil.engine.policy.Reason;
import io.vigil.engine.restriction.Restriction;
import io.vigil.engine.restriction.RestrictionIndex;
import io.vigil.engine.restriction.RestrictionKind;
import io.vigil.engine.rule.RuleEffect;
import io.vigil.engine.signal.ReferenceDataLoader;
import io.vigil.engine.signal.SignalConfig;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Limits (L3) in the engine, with the default pack's USD limits. */
class LimitsTest {
  static final long NOON = Instant.parse("2026-11-21T12:00:00Z").toEpochMilli();
  static final long HOUR = 3_600_000L;
  ListIndex lists = new ListIndex();
  Engine engine;
  int sequence;

  @BeforeEach
  void setUp() {
    engine = new Engine(FeatureConfig.defaults(), lists);
    engine.install(CompiledPolicy.compile(DefaultPolicyPack.document(), engine.compiler()));
  }

  private Map<String, Object> payment(String account, long amountMinor, long atMillis) {
    Map<String, Object> body = new HashMap<>(Map.of("event_id", "e" + (++sequence), "type", "payment",
        "occurred_at", Instant.ofEpochMilli(atMillis).toString(), "account_id", account, "amount", amountMinor,
        "currency", "USD"));
    return body;
  }

  private Decision decide(Map<String, Object> body, long clockMillis) {
    return engine.decide(EventParser.parse(body), clockMillis);
  }

  private Decision pay(String account, long amountMinor) {
    return decide(payment(account, amountMinor, NOON), NOON);
  }

  private static LimitUsage usage(Decision d, String limitId) {
    return d.limits().stream().filter(u -> u.limit().id().equals(limitId)).findFirst().orElseThrow();
  }

  @Test
  void aDailyLimitCountsEarlierSpendAndStepsUpAtTheBreach() {
    Decision first = pay("a1", 4_000_00);
    assertThat(first.action()).isEqualTo(Action.ALLOW);
    LimitUsage u = usage(first, "daily_password");
    assertThat(u.capMinor()).isEqualTo(10_000_00);
    assertThat(u.usedMinor()).isZero();
    assertThat(u.remainingMinor()).isEqualTo(6_000_00);
    assertThat(u.resetsAtMillis()).isEqualTo(Instant.parse("2026-11-22T00:00:00Z").toEpochMilli());
    assertThat(usage(pay("a1", 6_000_00), "daily_password").remainingMinor()).as("exactly the cap is allowed").isZero();

    Decision over = pay("a1", 1);
    assertThat(over.action()).isEqualTo(Action.CHALLENGE);
    assertThat(over.challengeKind()).isEqualTo("password_and_otp");
    Reason reason = over.reasons().get(0);
    assertThat(reason.ruleId()).isEqualTo("limit.daily_password");
    assertThat(reason.message()).isEqualTo("10,000.00 USD already spent daily plus 0.01 USD is over the daily_password limit of 10,000.00 USD");
    assertThat(reason.values()).containsEntry("used_minor", 10_000_00L).containsEntry("limit_minor", 10_000_00L);
    // Other accounts and other currencies are untouched.
    assertThat(pay("a2", 9_000_00).action()).isEqualTo(Action.ALLOW);
    Map<String, Object> euros = payment("a1", 5_000_00, NOON);
    euros.put("currency", "EUR");
    Decision eur = decide(euros, NOON);
    assertThat(eur.action()).isEqualTo(Action.ALLOW);
    assertThat(eur.limits()).isEmpty();
  }

  @Test
  void theAssuranceLevelChoosesTheCapAndTheSpendIsShared() {
    pay("a1", 9_000_00);
    Map<String, Object> withOtp = payment("a1", 5_000_00, NOON);
    withOtp.put("auth", Map.of("assurance_level", 2));
    Decision d = decide(withOtp, NOON);
    assertThat(d.action()).isEqualTo(Action.ALLOW);
    assertThat(d.limits()).extracting(x -> x.limit().id()).contains("daily_otp").doesNotContain("daily_password", "daily_strong");
    assertThat(usage(d, "daily_otp").usedMinor()).isEqualTo(9_000_00);
    assertThat(usage(d, "daily_otp").remainingMinor()).isEqualTo(36_000_00);
    Map<String, Object> biggerWithOtp = payment("a1", 40_000_00, NOON);
    biggerWithOtp.put("auth", Map.of("assurance_level", 2));
    Decision stepUp = decide(biggerWithOtp, NOON);
    assertThat(stepUp.action()).isEqualTo(Action.CHALLENGE);
    assertThat(stepUp.challengeKind()).isEqualTo("biometric");
  }

  @Test
  void aCreditScoreMapsToADailyCapAndABreachDenies() {
    Map<String, Object> low = payment("s1", 150_00, NOON);
    low.put("credit_score", 300);
    assertThat(usage(decide(low, NOON), "daily_by_credit_score").capMinor()).isEqualTo(200_00);
    Map<String, Object> more = payment("s1", 100_00, NOON);
    more.put("credit_score", 300);
    Decision denied = decide(more, NOON);
    assertThat(denied.action()).isEqualTo(Action.DENY);
    assertThat(denied.reasons().get(0).ruleId()).isEqualTo("limit.daily_by_credit_score");
    assertThat(usage(denied, "daily_by_credit_score").remainingMinor()).as("a denial does not count").isEqualTo(50_00);
    Map<String, Object> after = payment("s1", 50_00, NOON);
    after.put("credit_score", 300);
    assertThat(decide(after, NOON).action()).as("the denied 100 was not reserved").isEqualTo(Action.ALLOW);
    // No score: the dynamic limit does not apply at all.
    assertThat(pay("s2", 5_000_00).limits()).extracting(x -> x.limit().id()).doesNotContain("daily_by_credit_score");
  }

  @Test
  void scoreMappingIsLinearAndClamped() {
    ScoreMapping m = new ScoreMapping(300, 850, 200_00, 2_000_00);
    assertThat(m.capMinor(0)).isEqualTo(200_00);
    assertThat(m.capMinor(300)).isEqualTo(200_00);
    assertThat(m.capMinor(575)).isEqualTo(1_100_00);
    assertThat(m.capMinor(850)).isEqualTo(2_000_00);
    assertThat(m.capMinor(1_000)).isEqualTo(2_000_00);
    assertThat(new ScoreMapping(0, 3, 0 + 1, 100).capMinor(1)).isEqualTo(1 + 33); // rounded down
  }

  @Test
  void calendarDaysFollowTheAccountsTimeZone() {
    // 23:30 in Dhaka (UTC+6) is 17:30 UTC; the next payment at 00:30 Dhaka is a new day there.
    long lateEvening = Instant.parse("2026-11-21T17:30:00Z").toEpochMilli();
    Map<String, Object> first = payment("d1", 9_000_00, lateEvening);
    first.put("timezone", "Asia/Dhaka");
    Decision d = decide(first, lateEvening);
    assertThat(usage(d, "daily_password").resetsAtMillis()).isEqualTo(Instant.parse("2026-11-21T18:00:00Z").toEpochMilli());
    Map<String, Object> afterMidnight = payment("d1", 9_000_00, lateEvening + HOUR);
    afterMidnight.put("timezone", "Asia/Dhaka");
    Decision next = decide(afterMidnight, lateEvening + HOUR);
    assertThat(next.action()).isEqualTo(Action.ALLOW);
    assertThat(usage(next, "daily_password").usedMinor()).isZero();
    assertThat(usage(next, "monthly_total").usedMinor()).as("the month still counts both").isEqualTo(9_000_00);
  }

  @Test
  void periodsStartAndResetWhereTheyShould() {
    ZoneId utc = ZoneId.of("UTC");
    long t = Instant.parse("2026-11-21T12:00:00Z").toEpochMilli();
    assertThat(LimitPeriod.DAILY.startMillis(t, utc)).isEqualTo(Instant.parse("2026-11-21T00:00:00Z").toEpochMilli());
    assertThat(LimitPeriod.MONTHLY.startMillis(t, utc)).isEqualTo(Instant.parse("2026-11-01T00:00:00Z").toEpochMilli());
    assertThat(LimitPeriod.MONTHLY.resetsAtMillis(t, utc, t)).isEqualTo(Instant.parse("2026-12-01T00:00:00Z").toEpochMilli());
    assertThat(LimitPeriod.ROLLING_24H.startMillis(t, utc)).isEqualTo(t - 86_400_000L + 1);
    assertThat(LimitPeriod.ROLLING_24H.resetsAtMillis(t, utc, t - HOUR)).isEqualTo(t - HOUR + 86_400_000L);
  }

  @Test
  void aRolling24HourWindowLetsSpendFallOutExactly() {
    LimitDefinition rolling = new LimitDefinition("withdrawals_24h", null, LimitPeriod.ROLLING_24H, "USD", 1_000_00, null,
        Set.of(), Set.of(), Set.of(EventType.WITHDRAWAL), Set.of(), Action.DENY, null);
    LimitLedger ledger = new LimitLedger();
    ZoneId utc = ZoneId.of("UTC");
    Event first = withdrawal("r1", 800_00, NOON);
    assertThat(ledger.check(first, List.of(rolling), utc).get(0).breached()).isFalse();
    ledger.reserve(first);
    Event justInside = withdrawal("r1", 300_00, NOON + 86_400_000L - 1);
    LimitUsage inside = ledger.check(justInside, List.of(rolling), utc).get(0);
    assertThat(inside.breached()).isTrue();
    assertThat(inside.resetsAtMillis()).isEqualTo(NOON + 86_400_000L);
    Event atTheEdge = withdrawal("r1", 300_00, NOON + 86_400_000L);
    assertThat(ledger.check(atTheEdge, List.of(rolling), utc).get(0).usedMinor()).isZero();
    // A payment is not a withdrawal: it neither counts nor is capped.
    assertThat(ledger.check(EventParser.parse(payment("r1", 5_000_00, NOON)), List.of(rolling), utc)).isEmpty();
  }

  @Test
  void anAccountsUsageCountsItsSpendInEachPeriodAndChangesNothing() {
    LimitDefinition daily = new LimitDefinition("daily_all", null, LimitPeriod.DAILY, "USD", 1_000_00, null,
        Set.of(), Set.of(), Set.of(), Set.of(), Action.DENY, null);
    LimitDefinition withdrawals = new LimitDefinition("withdrawals_24h", null, LimitPeriod.ROLLING_24H, "USD", 500_00, null,
        Set.of(), Set.of(), Set.of(EventType.WITHDRAWAL), Set.of(), Action.DENY, null);
    LimitDefinition single = new LimitDefinition("single", null, LimitPeriod.SINGLE, "USD", 2_000_00, null,
        Set.of(), Set.of(), Set.of(), Set.of(), Action.DENY, null);
    LimitLedger ledger = new LimitLedger();
    ZoneId utc = ZoneId.of("UTC");
    ledger.reserve(EventParser.parse(payment("u1", 300_00, NOON - 86_400_000L))); // yesterday: not today's
    ledger.reserve(EventParser.parse(payment("u1", 400_00, NOON)));
    ledger.reserve(withdrawal("u1", 700_00, NOON + 1));
    List<LimitUsage> usage = ledger.usage("u1", List.of(daily, withdrawals, single), NOON + HOUR, utc);
    assertThat(usage).extracting(LimitUsage::usedMinor).containsExactly(1_100_00L, 700_00L, 0L);
    assertThat(usage).extracting(LimitUsage::remainingMinor).containsExactly(0L, 0L, 2_000_00L);
    assertThat(usage).extracting(LimitUsage::breached).containsExactly(true, true, false);
    assertThat(usage.get(0).resetsAtMillis()).isEqualTo(Instant.parse("2026-11-22T00:00:00Z").toEpochMilli());
    assertThat(usage.get(1).resetsAtMillis()).isEqualTo(NOON + 1 + 86_400_000L);
    assertThat(ledger.usage("nobody", List.of(daily), NOON, utc).get(0).usedMinor()).isZero();
    assertThat(ledger.usage("u1", List.of(daily, withdrawals, single), NOON + HOUR, utc)).as("a read changes nothing")
        .isEqualTo(usage);
  }

  private Event withdrawal(String account, long amountMinor, long at) {
    Map<String, Object> body = payment(account, amountMinor, at);
    body.put("type", "withdrawal");
    return EventParser.parse(body);
  }

  @Test
  void aReleaseGivesTheAmountBackOnceAndPartly() {
    Map<String, Object> big = payment("a1", 9_000_00, NOON);
    Decision d = decide(big, NOON);
    String eventId = (String) big.get("event_id");
    assertThat(engine.ledger().heldMinor("a1", eventId)).isEqualTo(9_000_00);
    assertThat(pay("a1", 2_000_00).action()).isEqualTo(Action.CHALLENGE);
    assertThat(engine.ledger().release("a1", eventId, 4_000_00)).isEqualTo(5_000_00);
    assertThat(engine.ledger().release("a1", eventId, 4_000_00)).as("the same release again changes nothing").isEqualTo(5_000_00);
    assertThat(engine.ledger().release("a1", eventId, 99_000_00)).as("never more than reserved").isZero();
    assertThat(pay("a1", 2_000_00).action()).isEqualTo(Action.ALLOW);
    assertThat(engine.ledger().release("a1", "unknown", 1)).isEqualTo(-1);
    assertThat(d.action()).isEqualTo(Action.ALLOW);
  }

  @Test
  void aReleaseBeforeItsReservationWaitsForTheReplay() {
    Event e = EventParser.parse(payment("a1", 9_000_00, NOON));
    assertThat(engine.ledger().release("a1", e.eventId(), 9_000_00)).isEqualTo(-1);
    engine.replay(e, Action.ALLOW, NOON);
    assertThat(engine.ledger().heldMinor("a1", e.eventId())).isZero();
  }

  @Test
  void replayReservesWhatWasNotDeniedAndDecidingAgainAgrees() {
    Engine replayed = new Engine(FeatureConfig.defaults(), lists);
    replayed.install(engine.policy());
    for (long amount : new long[] {4_000_00, 5_000_00, 3_000_00, 500_00}) {
      Map<String, Object> body = payment("a1", amount, NOON);
      Decision d = decide(body, NOON);
      replayed.replay(EventParser.parse(body), d.action(), NOON);
    }
    Map<String, Object> probe = payment("a1", 1_000_00, NOON);
    Decision live = decide(probe, NOON);
    probe.put("event_id", "probe-2");
    Decision again = replayed.decide(EventParser.parse(probe), NOON);
    assertThat(again.limits()).isEqualTo(live.limits());
    assertThat(again.action()).isEqualTo(live.action());
  }

  @Test
  void theAllowListDoesNotLiftALimitButARestrictionsDenialReservesNothing() {
    lists.put(new ListEntry("le_1", ListKind.ALLOW, ListEntity.ACCOUNT, "vip", "known customer", null, "ops", NOON - 1, 0));
    pay("vip", 10_000_00);
    Decision d = pay("vip", 1_00);
    assertThat(d.action()).isEqualTo(Action.CHALLENGE);
    assertThat(d.reasons().get(0).ruleId()).isEqualTo("limit.daily_password");
    lists.put(new ListEntry("le_2", ListKind.BLOCK, ListEntity.ACCOUNT, "bad", "fraud", null, "ops", NOON - 1, 0));
    Map<String, Object> blocked = payment("bad", 1_000_00, NOON);
    assertThat(decide(blocked, NOON).action()).isEqualTo(Action.DENY);
    assertThat(engine.ledger().heldMinor("bad", (String) blocked.get("event_id"))).isEqualTo(-1);
  }

  @Test
  void highRiskMerchantsHaveTheirOwnCapAndStepUp() {
    Map<String, Object> body = payment("m1", 1_500_00, NOON);
    body.put("merchant_risk_level", "high");
    Decision d = decide(body, NOON);
    assertThat(d.action()).isEqualTo(Action.CHALLENGE);
    assertThat(d.challengeKind()).isEqualTo("3ds");
    body.put("event_id", "low-risk");
    body.put("merchant_risk_level", "low");
    Decision low = decide(body, NOON);
    assertThat(low.limits()).extracting(x -> x.limit().id()).doesNotContain("daily_high_risk_merchants");
  }

  @Test
  void anAccountsReservationsAreCappedAndTheDropIsCounted() {
    LimitLedger ledger = new LimitLedger();
    for (int i = 0; i <= LimitLedger.RESERVATIONS_PER_ACCOUNT_MAX; i++) ledger.reserve(withdrawal("busy", 1, NOON + i));
    assertThat(ledger.reservationCount()).isEqualTo(LimitLedger.RESERVATIONS_PER_ACCOUNT_MAX);
    assertThat(ledger.dropped()).isEqualTo(1);
    ledger.sweep(NOON + LimitLedger.RETENTION_MILLIS + LimitLedger.RESERVATIONS_PER_ACCOUNT_MAX + 1);
    assertThat(ledger.reservationCount()).isZero();
  }

  @Test
  void badDefinitionsAreRefused() {
    assertThatThrownBy(() -> new LimitDefinition("Bad Id", null, LimitPeriod.DAILY, "USD", 1, null, Set.of(), Set.of(),
        Set.of(), Set.of(), Action.DENY, null)).hasMessageContaining("limit id");
    assertThatThrownBy(() -> new LimitDefinition("x", null, LimitPeriod.DAILY, "XYZ", 1, null, Set.of(), Set.of(),
        Set.of(), Set.of(), Action.DENY, null)).hasMessageContaining("ISO 4217");
    assertThatThrownBy(() -> new LimitDefinition("x", null, LimitPeriod.DAILY, "USD", 0, null, Set.of(), Set.of(),
        Set.of(), Set.of(), Action.DENY, null)).hasMessageContaining("amount_minor");
    assertThatThrownBy(() -> new LimitDefinition("x", null, LimitPeriod.DAILY, "USD", 1, null, Set.of(4), Set.of(),
        Set.of(), Set.of(), Action.DENY, null)).hasMessageContaining("assurance");
    assertThatThrownBy(() -> new LimitDefinition("x", null, LimitPeriod.DAILY, "USD", 1, null, Set.of(), Set.of(),
        Set.of(EventType.LOGIN), Set.of(), Action.DENY, null)).hasMessageContaining("payments, transfers and withdrawals");
    assertThatThrownBy(() -> new LimitDefinition("x", null, LimitPeriod.DAILY, "USD", 1, null, Set.of(), Set.of(),
        Set.of(), Set.of(), Action.REVIEW, null)).hasMessageContaining("DENY or CHALLENGE");
    assertThatThrownBy(() -> new LimitDefinition("x", null, LimitPeriod.DAILY, "USD", 1, null, Set.of(), Set.of(),
        Set.of(), Set.of(), Action.CHALLENGE, null)).hasMessageContaining("challenge kind");
    assertThatThrownBy(() -> new ScoreMapping(500, 400, 1, 2)).hasMessageContaining("score_min");
  }

  @Test
  void failedChallengesFeedTheRules() {
    engine.signals().recordChallengeFailure("f1", NOON - 10 * 60_000);
    engine.signals().recordChallengeFailure("f1", NOON - 5 * 60_000);
    engine.signals().recordChallengeFailure("f1", NOON - 30 * HOUR);
    Decision d = pay("f1", 10_00);
    Reason r = d.reasons().stream().filter(x -> x.ruleId().equals("challenge_failures")).findFirst().orElseThrow();
    assertThat(r.message()).isEqualTo("2 failed challenges on this account within 1 h");
    assertThat(pay("f2", 10_00).reasons()).extracting(Reason::ruleId).doesNotContain("challenge_failures");
  }

  /** A fresh engine over a restriction index the test fills (the server's pipeline fills it in production). */
  private RestrictionIndex engineWithRestrictions() {
    RestrictionIndex index = new RestrictionIndex();
    engine = new Engine(FeatureConfig.defaults(), SignalConfig.defaults(), lists,
        ReferenceDataLoader.builtIn(), index);
    engine.install(CompiledPolicy.compile(DefaultPolicyPack.document(), engine.compiler()));
    return index;
  }

  @Test
  void aLowerLimitRestrictionCapsTheDayLikeAPolicyLimit() {
    RestrictionIndex index = engineWithRestrictions();
    index.put(new Restriction("rst_1", "lim", RestrictionKind.LOWER_LIMIT,
        "operator", "privileges limited after a complaint", "ops", NOON - 1, 0, 0, 100_00, "USD"), NOON);
    assertThat(pay("lim", 60_00).action()).isEqualTo(Action.ALLOW);
    Decision over = pay("lim", 50_00);
    assertThat(over.action()).isEqualTo(Action.DENY);
    assertThat(over.reasons().get(0).ruleId()).isEqualTo("limit.restriction_rst_1");
    assertThat(over.reasons().get(0).values()).containsEntry("limit_minor", 100_00L).containsEntry("used_minor", 60_00L);
    assertThat(pay("lim", 40_00).action()).as("a lower limit stops nothing outright").isEqualTo(Action.ALLOW);
    assertThatThrownBy(() -> new Restriction("rst_2", "x", RestrictionKind.LOWER_LIMIT,
        "operator", "r", "ops", NOON, 0, 0)).hasMessageContaining("lower_limit");
  }

  @Test
  void aFreezeOfAnIdUsedAsMerchantStopsPaymentsToItAndItsOnboardingButNotItsRefunds() {
    RestrictionIndex index = engineWithRestrictions();
    index.put(new Restriction("rst_m", "shop_1", RestrictionKind.FREEZE,
        "operator", "merchant under investigation", "ops", NOON - 1, 0, 0), NOON);
    Map<String, Object> toFrozen = payment("buyer", 10_00, NOON);
    toFrozen.put("merchant_id", "shop_1");
    Decision denied = decide(toFrozen, NOON);
    assertThat(denied.action()).isEqualTo(Action.DENY);
    Reason first = denied.reasons().get(0);
    assertThat(first.ruleId()).isEqualTo("restriction.merchant_freeze");
    assertThat(first.message()).contains("payments to it are stopped").contains("merchant under investigation");
    assertThat(first.values()).containsEntry("restriction_id", "rst_m").containsEntry("merchant_id", "shop_1");

    Map<String, Object> elsewhere = payment("buyer", 10_00, NOON);
    elsewhere.put("merchant_id", "shop_2");
    assertThat(decide(elsewhere, NOON).action()).isEqualTo(Action.ALLOW);

    Map<String, Object> refund = payment("buyer", 10_00, NOON);
    refund.put("type", "refund");
    refund.put("merchant_id", "shop_1");
    assertThat(decide(refund, NOON).reasons()).extracting(Reason::ruleId).doesNotContain("restriction.merchant_freeze");

    Map<String, Object> onboarding = new HashMap<>(Map.of("event_id", "onb", "type", "merchant_onboarding",
        "occurred_at", Instant.ofEpochMilli(NOON).toString(), "merchant_id", "shop_1"));
    assertThat(decide(onboarding, NOON).action()).isEqualTo(Action.DENY);

    // The narrower kinds concern the account's own money out, never payments to it.
    index.put(new Restriction("rst_w", "shop_2", RestrictionKind.NO_WITHDRAWALS,
        "operator", "r", "ops", NOON - 1, 0, 0), NOON);
    elsewhere.put("event_id", "again");
    assertThat(decide(elsewhere, NOON).action()).isEqualTo(Action.ALLOW);
  }

  @Test
  void aFiringRuleAsksForARestrictionOnceWhileOneItSetIsInForce() {
    RestrictionIndex index = engineWithRestrictions();
    Map<String, Object> first = payment("ato", 10_00, NOON);
    first.put("phone", "+8801712345678");
    first.put("device", Map.of("id", "dev-1"));
    decide(first, NOON);
    Map<String, Object> takeover = payment("ato", 10_00, NOON);
    takeover.put("type", "transfer");
    takeover.put("phone", "+8801812345678");
    takeover.put("device", Map.of("id", "dev-2"));
    Decision d = decide(takeover, NOON);
    assertThat(d.action()).isEqualTo(Action.DENY);
    assertThat(d.restrict()).hasSize(1);
    Decision.Restrict r = d.restrict().get(0);
    assertThat(r.ruleId()).isEqualTo("account_takeover_pattern");
    assertThat(r.kind()).isEqualTo(RestrictionKind.FREEZE);
    assertThat(r.expiresAtMillis()).isEqualTo(NOON + 86_400_000L);
    // The pipeline stores it; while it is in force the rule does not ask again.
    index.put(new Restriction("rst_9", "ato", r.kind(), "rule", r.reason(), "rule:" + r.ruleId(), NOON,
        r.expiresAtMillis(), 0), NOON);
    takeover.put("event_id", "again");
    takeover.put("device", Map.of("id", "dev-3"));
    takeover.put("phone", "+8801912345678");
    Decision again = decide(takeover, NOON);
    assertThat(again.reasons().get(0).ruleId()).isEqualTo("restriction.freeze");
    assertThat(again.restrict()).isEmpty();
    // A rule cannot set a lower limit: it has no amount to set.
    assertThatThrownBy(() -> RuleEffect.points(10).restricting(RestrictionKind.LOWER_LIMIT,
        60_000)).hasMessageContaining("freeze, no_withdrawals or no_transfers_out");
  }

  /**
   * The ledger against a plain recount: random payments (some late, some in other currencies, types
   * and channels), partial releases and drops at the cap, checked under daily, monthly and rolling
   * limits in two time zones. Busy accounts answer from cached period sums, so this is what keeps
   * the cache honest.
   */
  @Test
  void aBusyAccountsCachedSumsAlwaysEqualARecount() {
    Random random = new Random(7);
    List<LimitDefinition> limits = List.of(
        new LimitDefinition("day", null, LimitPeriod.DAILY, "USD", 1_000_000_00L, null, Set.of(), Set.of(), Set.of(), Set.of(),
            Action.DENY, null),
        new LimitDefinition("month_pay_app", null, LimitPeriod.MONTHLY, "USD", 1_000_000_00L, null, Set.of(), Set.of(),
            Set.of(EventType.PAYMENT), Set.of("app"), Action.DENY, null),
        new LimitDefinition("rolling_eur", null, LimitPeriod.ROLLING_24H, "EUR", 1_000_000_00L, null, Set.of(), Set.of(), Set.of(),
            Set.of(), Action.DENY, null));
    LimitLedger ledger = new LimitLedger();
    List<Event> reserved = new ArrayList<>();
    Map<String, Long> released = new HashMap<>();
    long t = NOON;
    String[] types = {"payment", "transfer", "withdrawal"};
    for (int i = 0; i < 3_000; i++) {
      t += random.nextInt(20 * 60_000);
      long at = random.nextInt(10) == 0 ? t - random.nextInt(20 * 3_600_000) : t; // some late events
      Map<String, Object> body = payment("busy", 1 + random.nextInt(10_000), at);
      body.put("event_id", "p" + i);
      body.put("type", types[random.nextInt(3)]);
      body.put("currency", random.nextInt(4) == 0 ? "EUR" : "USD");
      if (random.nextBoolean()) body.put("channel", "app");
      Event e = EventParser.parse(body);
      ZoneId zone = ZoneId.of(random.nextBoolean() ? "UTC" : "Asia/Dhaka");
      List<LimitUsage> usages = ledger.check(e, limits, zone);
      for (LimitUsage u : usages) {
        assertThat(u.usedMinor()).as("%s at event %d", u.limit().id(), i).isEqualTo(recount(u.limit(), e, zone, reserved, released));
      }
      ledger.reserve(e);
      reserved.add(e);
      if (reserved.size() > LimitLedger.RESERVATIONS_PER_ACCOUNT_MAX) throw new AssertionError("the test stays under the cap");
      if (random.nextInt(5) == 0) {
        Event victim = reserved.get(random.nextInt(reserved.size()));
        long amount = random.nextInt((int) victim.amountMinor() + 1);
        ledger.release("busy", victim.eventId(), amount);
        released.merge(victim.eventId(), Math.min(amount, victim.amountMinor()), Math::max);
      }
    }
  }

  private static long recount(LimitDefinition limit, Event e, ZoneId zone, List<Event> reserved, Map<String, Long> released) {
    long start = limit.period().startMillis(e.occurredAtMillis(), zone);
    long sum = 0;
    for (Event r : reserved) {
      if (r.occurredAtMillis() < start || !r.currency().equals(limit.currency())
          || !limit.countsSpend(r.type(), r.channel(), r.merchantRiskLevel())) continue;
      sum += r.amountMinor() - released.getOrDefault(r.eventId(), 0L);
    }
    return sum;
  }
}
