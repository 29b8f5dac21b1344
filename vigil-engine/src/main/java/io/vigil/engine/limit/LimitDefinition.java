package io.vigil.engine.limit;

import io.vigil.engine.Limits;
import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventType;
import io.vigil.engine.policy.Action;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One cumulative or single-transaction limit (L3), part of the versioned policy.
 *
 * <p><b>When it applies.</b> To a money-out event (payment, transfer, withdrawal) in its currency
 * whose keys all match: the account's authentication assurance level, the merchant's risk level, the
 * event type and the channel. An empty key set matches anything; an event without an assurance
 * level counts as level 0, and one without a merchant risk level matches only limits that do not key
 * on it.
 *
 * <p><b>What it counts.</b> The account's spend in the period that matches its keys other than the
 * assurance level: assurance belongs to the session that asks, not to the money already spent, so
 * the level chooses the cap (e.g. 10,000 with a password, 50,000 with biometrics) and the spend is
 * the same for every level.
 *
 * @param amountMinor the cap in minor units of {@code currency}; with a {@code scoreMapping}, the cap
 *     for events without a score, and 0 when the limit applies only to events with a score
 * @param scoreMapping when set, the cap follows the event's {@code credit_score}
 * @param breachAction DENY, or CHALLENGE with {@code challengeKind} to raise the assurance level
 */
public record LimitDefinition(
    String id,
    String description,
    LimitPeriod period,
    String currency,
    long amountMinor,
    ScoreMapping scoreMapping,
    Set<Integer> assuranceLevels,
    Set<String> merchantRiskLevels,
    Set<EventType> eventTypes,
    Set<String> channels,
    Action breachAction,
    String challengeKind) {

  /** Limits in one policy. */
  public static final int PER_POLICY_MAX = 64;
  /** The event types limits count: money leaving the account. */
  public static final Set<EventType> SPEND_TYPES = Set.of(EventType.PAYMENT, EventType.TRANSFER, EventType.WITHDRAWAL);
  public static final Set<String> MERCHANT_RISK_LEVELS = Set.of("low", "medium", "high");
  public static final int ASSURANCE_LEVEL_MAX = 3;
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]{0,63}");
  private static final Pattern KEYWORD = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,31}");
  private static final Pattern CHALLENGE_KIND = Pattern.compile("[a-z0-9][a-z0-9_]{0,31}");

  public LimitDefinition {
    if (id == null || !ID.matcher(id).matches()) throw new IllegalArgumentException("a limit id is lower-case letters, digits and _, starting with a letter");
    if (description != null && description.length() > Limits.RULE_TEXT_CHARS_MAX) {
      throw new IllegalArgumentException("description is at most " + Limits.RULE_TEXT_CHARS_MAX + " characters");
    }
    if (period == null) throw new IllegalArgumentException("period is single, daily, monthly or rolling_24h");
    try {
      if (currency == null || !java.util.Currency.getInstance(currency).getCurrencyCode().equals(currency)) throw new IllegalArgumentException();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("currency must be an ISO 4217 code such as USD");
    }
    if (amountMinor < (scoreMapping == null ? 1 : 0) || amountMinor > Limits.AMOUNT_MINOR_MAX) {
      throw new IllegalArgumentException("amount_minor must be between 1 and " + Limits.AMOUNT_MINOR_MAX
          + " (0 allowed with a score mapping: the limit then applies only to events with a credit_score)");
    }
    assuranceLevels = Set.copyOf(assuranceLevels);
    for (int level : assuranceLevels) {
      if (level < 0 || level > ASSURANCE_LEVEL_MAX) throw new IllegalArgumentException("assurance levels are 0 to " + ASSURANCE_LEVEL_MAX);
    }
    merchantRiskLevels = Set.copyOf(merchantRiskLevels);
    if (!MERCHANT_RISK_LEVELS.containsAll(merchantRiskLevels)) throw new IllegalArgumentException("merchant risk levels are low, medium or high");
    eventTypes = Set.copyOf(eventTypes);
    if (!SPEND_TYPES.containsAll(eventTypes)) throw new IllegalArgumentException("limits count payments, transfers and withdrawals only");
    channels = Set.copyOf(channels);
    if (channels.size() > 16) throw new IllegalArgumentException("at most 16 channels");
    for (String c : channels) if (!KEYWORD.matcher(c).matches()) throw new IllegalArgumentException("a channel is a lower-case keyword");
    if (breachAction != Action.DENY && breachAction != Action.CHALLENGE) throw new IllegalArgumentException("breach_action is DENY or CHALLENGE");
    if (breachAction == Action.CHALLENGE && (challengeKind == null || !CHALLENGE_KIND.matcher(challengeKind).matches())) {
      throw new IllegalArgumentException("a CHALLENGE limit names its challenge kind, e.g. password_and_otp or biometric");
    }
    if (breachAction != Action.CHALLENGE) challengeKind = null;
  }

  /** Whether this limit caps the event. */
  public boolean appliesTo(Event e) {
    if (!e.hasAmount() || !SPEND_TYPES.contains(e.type()) || !currency.equals(e.currency())) return false;
    if (amountMinor == 0 && e.creditScore() == Event.NO_CREDIT_SCORE) return false;
    if (!assuranceLevels.isEmpty() && !assuranceLevels.contains(Math.max(0, e.assuranceLevel()))) return false;
    return countsSpend(e.type(), e.channel(), e.merchantRiskLevel());
  }

  /** Whether earlier spend of this type, channel and merchant risk level (in the limit's currency) counts. */
  boolean countsSpend(EventType type, String channel, String merchantRiskLevel) {
    if (!eventTypes.isEmpty() && !eventTypes.contains(type)) return false;
    if (!channels.isEmpty() && (channel == null || !channels.contains(channel))) return false;
    return merchantRiskLevels.isEmpty() || (merchantRiskLevel != null && merchantRiskLevels.contains(merchantRiskLevel));
  }

  /** The cap for this event: mapped from its credit score when the limit is dynamic and the event has one. */
  public long capMinor(Event e) {
    return scoreMapping != null && e.creditScore() != Event.NO_CREDIT_SCORE ? scoreMapping.capMinor(e.creditScore()) : amountMinor;
  }
}
