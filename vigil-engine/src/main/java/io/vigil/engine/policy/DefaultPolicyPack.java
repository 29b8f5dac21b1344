package io.vigil.engine.policy;

import static io.vigil.engine.event.EventType.LOGIN;
import static io.vigil.engine.event.EventType.MERCHANT_ONBOARDING;
import static io.vigil.engine.event.EventType.PAYMENT;
import static io.vigil.engine.event.EventType.REFUND;
import static io.vigil.engine.event.EventType.REGISTRATION;
import static io.vigil.engine.event.EventType.TRANSFER;
import static io.vigil.engine.event.EventType.WITHDRAWAL;

import io.vigil.engine.event.EventType;
import io.vigil.engine.limit.LimitDefinition;
import io.vigil.engine.limit.LimitPeriod;
import io.vigil.engine.limit.ScoreMapping;
import io.vigil.engine.money.Money;
import io.vigil.engine.restriction.RestrictionKind;
import io.vigil.engine.rule.RuleDefinition;
import io.vigil.engine.rule.RuleEffect.ForcedAction;
import io.vigil.engine.rule.RuleEffect;
import io.vigil.engine.scorecard.ScorecardDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The policy seeded at first start. It encodes the examples of the source documents (see
 * docs/rules.md); every figure in it is data an operator can change through the rules API.
 */
public final class DefaultPolicyPack {
  private DefaultPolicyPack() {}

  private static final Set<EventType> MONEY = Set.of(PAYMENT, TRANSFER, WITHDRAWAL, REFUND);
  private static final Set<EventType> SPEND = Set.of(PAYMENT, TRANSFER, WITHDRAWAL);
  private static final Set<EventType> SESSIONS_AND_MONEY = Set.of(LOGIN, PAYMENT, TRANSFER, WITHDRAWAL);
  /** The BDT limits' figures are the USD ones times this: the built-in sample rate. */
  private static final long BDT_PER_USD = 120;

  public static PolicyDocument document() {
    List<RuleDefinition> rules = List.of(
        rule("off_hours", "Money moved outside 09:00-23:00 in the account's time zone", MONEY,
            "time.local_hour < 9 || time.local_hour >= 23", RuleEffect.points(20),
            "Outside 09:00-23:00 local time (hour {time.local_hour} in {time.timezone})"),
        rule("new_device", "A device this account has not used before", SESSIONS_AND_MONEY,
            "facts.new_device_for_account", RuleEffect.points(35),
            "Device is new to this account ({facts.account_known_devices} known before)"),
        rule("ip_velocity", "More than 5 events from one IP within an hour", Set.of(),
            "velocity.ip.count_1h > 5", RuleEffect.points(25),
            "{velocity.ip.count_1h} events from this IP within 1 h (limit 5)"),
        rule("failed_logins_account_challenge", "Repeated wrong passwords on one account: step up", Set.of(LOGIN),
            "velocity.account.failed_logins_1h >= 3", RuleEffect.force(ForcedAction.CHALLENGE, "sms_otp"),
            "{velocity.account.failed_logins_1h} failed logins on this account within 1 h"),
        rule("failed_logins_account_lockout", "Many wrong passwords on one account: lock out", Set.of(LOGIN),
            "velocity.account.failed_logins_1h >= 10", RuleEffect.force(ForcedAction.DENY, null),
            "Account locked out: {velocity.account.failed_logins_1h} failed logins within 1 h"),
        rule("failed_logins_ip_challenge", "Many failed logins from one IP: step up (credential stuffing)", Set.of(LOGIN),
            "velocity.ip.failed_logins_1h >= 10", RuleEffect.force(ForcedAction.CHALLENGE, "sms_otp"),
            "{velocity.ip.failed_logins_1h} failed logins from this IP within 1 h"),
        rule("failed_logins_ip_lockout", "Credential stuffing from one IP: lock out", Set.of(LOGIN),
            "velocity.ip.failed_logins_1h >= 30", RuleEffect.force(ForcedAction.DENY, null),
            "IP locked out: {velocity.ip.failed_logins_1h} failed logins within 1 h"),
        rule("many_accounts_one_device", "Several accounts on one device within an hour (AML red flag)", Set.of(),
            "velocity.device.distinct_accounts_1h >= 3", RuleEffect.points(40),
            "{velocity.device.distinct_accounts_1h} accounts used this device within 1 h"),
        rule("structuring", "Several amounts worth just under the 500 USD reporting threshold within 24 h, in any currency",
            MONEY, "velocity.account.near_threshold_24h >= 3", RuleEffect.force(ForcedAction.REVIEW, null),
            "{velocity.account.near_threshold_24h} amounts just under the reporting threshold within 24 h"),
        rule("large_payment", "Payments worth over 10,000 in the base currency (USD) need the transaction password and an OTP",
            Set.of(PAYMENT, TRANSFER), "event.amount_base > 10000.0", RuleEffect.force(ForcedAction.CHALLENGE, "password_and_otp"),
            "Amount {event.amount_major} {event.currency} ({event.amount_base} {event.base_currency}) is over 10,000 {event.base_currency}"),
        rule("no_exchange_rate", "Money moved in a currency without an exchange rate: amount thresholds cannot judge it",
            SPEND, "event.amount > 0 && !event.amount_base_known", RuleEffect.force(ForcedAction.REVIEW, null),
            "No exchange rate for {event.currency} in the reference data: the amount cannot be compared with thresholds in {event.base_currency}"),
        rule("challenge_failures", "Failed step-ups on the account just before this event", MONEY,
            "account.challenge_failures_1h >= 2", RuleEffect.points(40),
            "{account.challenge_failures_1h} failed challenges on this account within 1 h"),
        rule("card_testing", "Many cards on one account within 24 h", MONEY,
            "velocity.account.distinct_cards_24h >= 4", RuleEffect.points(30),
            "{velocity.account.distinct_cards_24h} different cards on this account within 24 h"),
        rule("watch_list", "An entity of the event is on a watch list", Set.of(),
            "lists.watch.account || lists.watch.device || lists.watch.ip || lists.watch.card || lists.watch.bin"
                + " || lists.watch.phone || lists.watch.email_domain || lists.watch.merchant || lists.watch.country",
            RuleEffect.points(25), "An entity of this event is on a watch list"),
        rule("many_accounts_one_device_24h", "Many accounts on one device within a day (AML red flag)", Set.of(),
            "velocity.device.distinct_accounts_24h >= 5", RuleEffect.points(40),
            "{velocity.device.distinct_accounts_24h} accounts used this device within 24 h"));
    List<RuleDefinition> all = new ArrayList<>(rules);
    all.addAll(signalRules());
    Thresholds standard = new Thresholds(40, 60, 80, 30, 60, 80, "sms_otp");
    Thresholds strict = new Thresholds(30, 50, 70, 20, 50, 70, "sms_otp");
    // The documents' blend: rules and model 50/50. Until a model is live the rules score stands alone.
    return new PolicyDocument(1, all, standard, Map.of(WITHDRAWAL, strict), 0.5, 0.5, "UTC",
        List.of(bangladeshWhitelist()), holds(), limits(), ChallengePolicy.defaults());
  }

  /**
   * The documents' L3 examples, in USD and in BDT (limits are per currency; add one set per
   * currency you take): the daily cap rises with the assurance level (10,000 with a password, 50,000
   * with an OTP, 200,000 with biometrics or a certificate), and passing the step-up is how a customer
   * reaches the next one; a credit score maps to a daily cap between 200 and 2,000; high-risk
   * merchants get 1,000 a day before 3-D Secure; a month holds at most 500,000. The BDT limits carry
   * the same figures at 120 BDT per USD, the built-in sample rate: fixed amounts that do not move
   * with the rates.
   */
  public static List<LimitDefinition> limits() {
    List<LimitDefinition> all = new ArrayList<>(limitsIn("USD", "", 1));
    all.addAll(limitsIn("BDT", "_bdt", BDT_PER_USD));
    return List.copyOf(all);
  }

  private static List<LimitDefinition> limitsIn(String currency, String idSuffix, long perUsd) {
    Set<Integer> any = Set.of();
    return List.of(
        limit("daily_password" + idSuffix, "Daily spend with a password only", LimitPeriod.DAILY, currency,
            perUsd * 10_000_00L, null, Set.of(0, 1), Set.of(), Action.CHALLENGE, "password_and_otp"),
        limit("daily_otp" + idSuffix, "Daily spend with an OTP", LimitPeriod.DAILY, currency,
            perUsd * 50_000_00L, null, Set.of(2), Set.of(), Action.CHALLENGE, "biometric"),
        limit("daily_strong" + idSuffix, "Daily spend with biometrics or a certificate", LimitPeriod.DAILY, currency,
            perUsd * 200_000_00L, null, Set.of(3), Set.of(), Action.DENY, null),
        limit("daily_by_credit_score" + idSuffix, "Daily cap from the account's credit score: 300 → "
                + Money.format(perUsd * 200_00L, currency) + ", 850 → " + Money.format(perUsd * 2_000_00L, currency),
            LimitPeriod.DAILY, currency, 0, new ScoreMapping(300, 850, perUsd * 200_00L, perUsd * 2_000_00L), any, Set.of(),
            Action.DENY, null),
        limit("daily_high_risk_merchants" + idSuffix, "Daily spend at high-risk merchants before 3-D Secure", LimitPeriod.DAILY,
            currency, perUsd * 1_000_00L, null, any, Set.of("high"), Action.CHALLENGE, "3ds"),
        limit("monthly_total" + idSuffix, "Monthly spend", LimitPeriod.MONTHLY, currency, perUsd * 500_000_00L, null, any,
            Set.of(), Action.DENY, null));
  }

  private static LimitDefinition limit(String id, String description, LimitPeriod period, String currency, long amountMinor,
      ScoreMapping mapping, Set<Integer> assurance, Set<String> merchantRisk, Action breach, String challengeKind) {
    return new LimitDefinition(id, description, period, currency, amountMinor, mapping, assurance, merchantRisk, Set.of(),
        Set.of(), breach, challengeKind);
  }

  /** The documents' P2 examples: over 100,000 two approvers; over 500,000 one of them a supervisor; 24 h. */
  public static List<HoldPolicy> holds() {
    long day = 86_400_000L;
    return List.of(
        new HoldPolicy("two_approvers", 100_000, 2, Map.of(), day, Action.DENY),
        new HoldPolicy("supervisor", 500_000, 2, Map.of("supervisor", 1), day, Action.DENY));
  }

  /** Rules on the enrichment signals (issue 3): location, reputation, phone, card, identity, links. */
  private static List<RuleDefinition> signalRules() {
    return List.of(
        rule("geofence_sanctioned_country", "Sanctioned or restricted countries are blocked unless approved", Set.of(),
            "ip.country in [\"KP\", \"IR\", \"SY\", \"CU\"] && !lists.exempt.account", RuleEffect.force(ForcedAction.DENY, null),
            "IP located in {ip.country}, a geo-fenced country; the account has no approved exception"),
        rule("sanctions_hit", "A party's name matches a sanctions or watch-list entry: review before money moves", Set.of(),
            "screening.sanctions_hit", RuleEffect.force(ForcedAction.REVIEW, null),
            "The {screening.party}'s name matches {screening.entry_name} on {screening.list} (score {screening.score})"),
        rule("country_sanctioned", "A party in a sanctioned or restricted country, without an approved exemption", Set.of(),
            "screening.country_blocked", RuleEffect.force(ForcedAction.DENY, null),
            "The {screening.blocked_party}'s country {screening.blocked_country} is sanctioned or restricted; no approved exemption"),
        rule("geofence_withdrawal_abroad", "Withdrawals only from the account's own country unless approved", Set.of(WITHDRAWAL),
            "geo.ip_country_mismatch_account && !lists.exempt.account", RuleEffect.force(ForcedAction.REVIEW, null),
            "Withdrawal from {ip.country}; the account's country is {account.country}"),
        rule("far_from_usual_region", "More than two provinces away from the usual one: verify", SESSIONS_AND_MONEY,
            "geo.regions_from_usual > 2", RuleEffect.force(ForcedAction.CHALLENGE, "sms_otp"),
            "{ip.region} is {geo.regions_from_usual} regions from the usual {geo.usual_region}"),
        rule("impossible_travel", "Consecutive events too far apart for the time between them", SESSIONS_AND_MONEY,
            "geo.impossible_travel", RuleEffect.points(40),
            "{geo.travel_distance_km} km since the previous event, {geo.travel_speed_kmh} km/h"),
        rule("many_regions_24h", "Events from three or more regions within a day", SESSIONS_AND_MONEY,
            "geo.regions_24h >= 3", RuleEffect.points(20), "{geo.regions_24h} regions within 24 h"),
        rule("nonresident_local_proxy", "A non-resident on a local proxy IP (AML red flag: critical)", Set.of(),
            "geo.nonresident_local_proxy", RuleEffect.force(ForcedAction.DENY, null),
            "Account from {account.country} on a proxy or VPN exiting in {ip.country}"),
        rule("anonymizer_ip", "Proxy, VPN or Tor exit", Set.of(),
            "ip.anonymous", RuleEffect.points(30), "The IP is a known proxy, VPN or Tor exit"),
        rule("hosting_ip", "IP of a hosting or cloud provider, not a consumer network", Set.of(),
            "ip.hosting", RuleEffect.points(15), "The IP belongs to a hosting network (AS{ip.asn} {ip.as_org})"),
        rule("country_mismatch", "IP country differs from the account's or the phone's", SESSIONS_AND_MONEY,
            "geo.ip_country_mismatch_account || geo.ip_country_mismatch_phone", RuleEffect.points(15),
            "IP in {ip.country}; account country {account.country}, phone country {phone.country}"),
        rule("bin_country_mismatch", "Card issued in another country than the IP's and the account's", MONEY,
            "geo.ip_country_mismatch_bin && geo.bin_country_mismatch_account", RuleEffect.points(20),
            "Card issued in {card.country}; IP in {ip.country}, account in {account.country}"),
        rule("prepaid_card", "Prepaid card", Set.of(PAYMENT, WITHDRAWAL),
            "card.prepaid", RuleEffect.points(10), "Prepaid {card.scheme} card from {card.issuer}"),
        rule("disposable_email", "Disposable e-mail domain", Set.of(REGISTRATION, LOGIN, MERCHANT_ONBOARDING),
            "email.disposable", RuleEffect.points(30), "{event.email_domain} is a disposable e-mail domain"),
        rule("invalid_national_id", "National ID in an impossible form", Set.of(REGISTRATION, MERCHANT_ONBOARDING),
            "identity.has_national_id && !identity.national_id_valid", RuleEffect.force(ForcedAction.REVIEW, null),
            "National ID ({identity.national_id_type}) failed its check: {identity.national_id_check}"),
        rule("document_rejected", "Identity documents were rejected", Set.of(),
            "identity.document_status == \"rejected\"", RuleEffect.force(ForcedAction.REVIEW, null),
            "Identity documents were rejected"),
        rule("shared_identity", "Phone, card or national ID shared with other accounts", Set.of(),
            "links.accounts_sharing_phone >= 3 || links.accounts_sharing_card >= 3 || links.accounts_sharing_national_id >= 1",
            RuleEffect.points(30), "Shared with other accounts: phone {links.accounts_sharing_phone}, card "
                + "{links.accounts_sharing_card}, national ID {links.accounts_sharing_national_id}"),
        rule("linked_to_bad_account", "Linked within two hops to a blocked or confirmed-fraud account", Set.of(),
            "links.linked_blocked || links.linked_fraud", RuleEffect.force(ForcedAction.REVIEW, null),
            "Linked to a blocked or fraudulent account (cluster of {links.cluster_size})"),
        rule("new_phone_money_out", "Money out right after the account's phone changed (SIM swap)", Set.of(TRANSFER, WITHDRAWAL),
            "phone.new_for_account", RuleEffect.points(25), "The account's phone changed with this event"),
        rule("account_takeover_pattern", "New phone and new device moving money out: deny and freeze for a day",
            Set.of(TRANSFER, WITHDRAWAL), "phone.new_for_account && facts.new_device_for_account",
            RuleEffect.force(ForcedAction.DENY, null).restricting(RestrictionKind.FREEZE, 86_400_000L),
            "New phone and new device on a transfer or withdrawal: the account is frozen for 24 h"),
        rule("fresh_sim", "SIM bound less than 7 days ago", MONEY,
            "phone.sim_binding_age_days >= 0 && phone.sim_binding_age_days < 7", RuleEffect.points(20),
            "SIM bound {phone.sim_binding_age_days} days ago"),
        rule("unknown_payment_code", "A scanned payment code not in the registry", Set.of(PAYMENT),
            "payment_code.unregistered", RuleEffect.points(25), "The scanned payment code is not in the registry"),
        rule("payment_code_merchant_mismatch", "The payment code belongs to another merchant", Set.of(PAYMENT),
            "payment_code.merchant_mismatch", RuleEffect.force(ForcedAction.REVIEW, null),
            "The code belongs to merchant {payment_code.merchant_id}, not this event's merchant"));
  }

  /**
   * The documents' Bangladesh whitelist channel (L2), disabled by default. Worked example in
   * docs/signals.md: a clean Bangladeshi IP (30), a SIM bound 45 days (0.6 × 25 = 15), a returning
   * account (0.5 × 20 = 10), verified documents (15) and a known device (10) score 80: admitted.
   */
  public static ScorecardDefinition bangladeshWhitelist() {
    return new ScorecardDefinition("bd_whitelist",
        "Bangladesh whitelist channel: weighted admission score", false, Set.of(REGISTRATION, LOGIN),
        "event.channel == \"whitelist\"",
        List.of(
            new ScorecardDefinition.Check("ip_country", "ip.country == \"BD\"", "the IP is not in Bangladesh"),
            new ScorecardDefinition.Check("user_agent",
                "event.user_agent != \"\" && !event.user_agent.matches(\"(?i)(bot|crawler|spider|curl|wget|python|headless|selenium)\")",
                "the user agent is missing or automated"),
            new ScorecardDefinition.Check("headers",
                "client.accept_language == \"\" || client.accept_language.matches(\"(?i)(^|[^a-z])(bn|en)([^a-z]|$)\")",
                "the browser asks for neither Bangla nor English"),
            new ScorecardDefinition.Check("geo_cookie",
                "client.geo_cookie_country == \"\" || client.geo_cookie_country == \"BD\"", "the geo cookie names another country")),
        List.of(
            new ScorecardDefinition.Factor("ip_credibility", 30,
                "ip.country != \"BD\" ? 0.0 : (ip.anonymous || ip.hosting) ? 0.3 : 1.0"),
            new ScorecardDefinition.Factor("sim_binding", 25,
                "!phone.valid || phone.country != \"BD\" ? 0.0 : phone.sim_binding_age_days >= 180 ? 1.0"
                    + " : phone.sim_binding_age_days >= 30 ? 0.6 : phone.sim_binding_age_days >= 0 ? 0.2 : 0.0"),
            new ScorecardDefinition.Factor("history", 20,
                "facts.first_event_for_account ? 0.0 : velocity.account.count_30d >= 10 ? 1.0 : 0.5"),
            new ScorecardDefinition.Factor("documents", 15,
                "identity.document_status == \"verified\" ? 1.0 : identity.document_status == \"provided\" ? 0.5 : 0.0"),
            new ScorecardDefinition.Factor("device", 10,
                "event.device_fingerprint == \"\" ? 0.0 : facts.new_device_for_account ? 0.5 : 1.0")),
        80, 60);
  }

  private static RuleDefinition rule(String id, String description, Set<EventType> types, String expression,
      RuleEffect effect, String reason) {
    return new RuleDefinition(id, description, types, expression, effect, reason, true);
  }
}
