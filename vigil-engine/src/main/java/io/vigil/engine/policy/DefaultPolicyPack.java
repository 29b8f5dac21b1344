package io.vigil.engine.policy;

import static io.vigil.engine.event.EventType.LOGIN;
import static io.vigil.engine.event.EventType.PAYMENT;
import static io.vigil.engine.event.EventType.REFUND;
import static io.vigil.engine.event.EventType.TRANSFER;
import static io.vigil.engine.event.EventType.WITHDRAWAL;

import io.vigil.engine.event.EventType;
import io.vigil.engine.rule.RuleDefinition;
import io.vigil.engine.rule.RuleEffect;
import io.vigil.engine.rule.RuleEffect.ForcedAction;
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
  private static final Set<EventType> SESSIONS_AND_MONEY = Set.of(LOGIN, PAYMENT, TRANSFER, WITHDRAWAL);

  public static PolicyDocument document() {
    List<RuleDefinition> rules = List.of(
        rule("off_hours", "Money moved outside 09:00-23:00 in the account's time zone (S7)", MONEY,
            "time.local_hour < 9 || time.local_hour >= 23", RuleEffect.points(20),
            "Outside 09:00-23:00 local time (hour {time.local_hour} in {time.timezone})"),
        rule("new_device", "A device this account has not used before (S7, S2)", SESSIONS_AND_MONEY,
            "facts.new_device_for_account", RuleEffect.points(35),
            "Device is new to this account ({facts.account_known_devices} known before)"),
        rule("ip_velocity", "More than 5 events from one IP within an hour (M2)", Set.of(),
            "velocity.ip.count_1h > 5", RuleEffect.points(25),
            "{velocity.ip.count_1h} events from this IP within 1 h (limit 5)"),
        rule("failed_logins_account_challenge", "Repeated wrong passwords on one account: step up (S1)", Set.of(LOGIN),
            "velocity.account.failed_logins_1h >= 3", RuleEffect.force(ForcedAction.CHALLENGE, "sms_otp"),
            "{velocity.account.failed_logins_1h} failed logins on this account within 1 h"),
        rule("failed_logins_account_lockout", "Many wrong passwords on one account: lock out (S1)", Set.of(LOGIN),
            "velocity.account.failed_logins_1h >= 10", RuleEffect.force(ForcedAction.DENY, null),
            "Account locked out: {velocity.account.failed_logins_1h} failed logins within 1 h"),
        rule("failed_logins_ip_challenge", "Many failed logins from one IP: step up (credential stuffing)", Set.of(LOGIN),
            "velocity.ip.failed_logins_1h >= 10", RuleEffect.force(ForcedAction.CHALLENGE, "sms_otp"),
            "{velocity.ip.failed_logins_1h} failed logins from this IP within 1 h"),
        rule("failed_logins_ip_lockout", "Credential stuffing from one IP: lock out", Set.of(LOGIN),
            "velocity.ip.failed_logins_1h >= 30", RuleEffect.force(ForcedAction.DENY, null),
            "IP locked out: {velocity.ip.failed_logins_1h} failed logins within 1 h"),
        rule("many_accounts_one_device", "Several accounts on one device within an hour (S2, AML red flag)", Set.of(),
            "velocity.device.distinct_accounts_1h >= 3", RuleEffect.points(40),
            "{velocity.device.distinct_accounts_1h} accounts used this device within 1 h"),
        rule("structuring", "Several amounts just under the 500 USD reporting threshold within 24 h (M2)", MONEY,
            "velocity.account.near_threshold_24h >= 3", RuleEffect.force(ForcedAction.REVIEW, null),
            "{velocity.account.near_threshold_24h} amounts just under the reporting threshold within 24 h"),
        rule("large_payment", "Payments over 10,000 need the transaction password and an OTP (P2)", Set.of(PAYMENT, TRANSFER),
            "event.amount_major > 10000.0", RuleEffect.force(ForcedAction.CHALLENGE, "password_and_otp"),
            "Amount {event.amount_major} {event.currency} is over 10,000"),
        rule("card_testing", "Many cards on one account within 24 h", MONEY,
            "velocity.account.distinct_cards_24h >= 4", RuleEffect.points(30),
            "{velocity.account.distinct_cards_24h} different cards on this account within 24 h"),
        rule("watch_list", "An entity of the event is on a watch list", Set.of(),
            "lists.watch.account || lists.watch.device || lists.watch.ip || lists.watch.card || lists.watch.bin"
                + " || lists.watch.phone || lists.watch.email_domain || lists.watch.merchant || lists.watch.country",
            RuleEffect.points(25), "An entity of this event is on a watch list"));
    Thresholds standard = new Thresholds(40, 60, 80, 30, 60, 80, "sms_otp");
    Thresholds strict = new Thresholds(30, 50, 70, 20, 50, 70, "sms_otp");
    return new PolicyDocument(1, rules, standard, Map.of(WITHDRAWAL, strict), 1.0, 0.0, "UTC");
  }

  private static RuleDefinition rule(String id, String description, Set<EventType> types, String expression,
      RuleEffect effect, String reason) {
    return new RuleDefinition(id, description, types, expression, effect, reason, true);
  }
}
