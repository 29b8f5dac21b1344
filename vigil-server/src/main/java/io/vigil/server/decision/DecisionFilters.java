package io.vigil.server.decision;

import io.vigil.engine.Limits;
import io.vigil.engine.event.Canonical;
import io.vigil.engine.event.EventType;
import io.vigil.engine.policy.Action;
import io.vigil.engine.policy.RiskLevel;
import io.vigil.server.api.ApiException;
import io.vigil.server.journal.DecisionRules;
import io.vigil.server.journal.JournalRepository;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The query parameters of {@code GET /v1/decisions} and its CSV, checked: a value that cannot
 * filter is a 400 naming its parameter, never a filter quietly left out. The console's decision
 * search reads its form through the same checks.
 */
public final class DecisionFilters {
  private static final Pattern RULE_ID = Pattern.compile("[a-z][a-z0-9_.]*");
  private static final int SCORE_MAX = 100;

  private DecisionFilters() {}

  /** The parameters as sent; null means absent. */
  public record Query(String accountId, String type, String action, String from, String to, String merchantId, String riskLevel,
      String rule, Integer scoreMin, Integer scoreMax, Long amountMin, Long amountMax, String currency) {}

  public static JournalRepository.Filter parse(Query p) {
    identifier(p.accountId(), "account_id");
    identifier(p.merchantId(), "merchant_id");
    if (p.type() != null && EventType.fromWire(p.type()) == null) {
      throw invalid("type", "type must be an event type such as payment");
    }
    if (p.action() != null && !isAction(p.action())) {
      throw invalid("action", "action must be ALLOW, CHALLENGE, REVIEW, HOLD or DENY");
    }
    if (p.riskLevel() != null && !isRiskLevel(p.riskLevel())) {
      throw invalid("risk_level", "risk_level must be low, medium, high or critical");
    }
    if (p.rule() != null && (p.rule().length() > DecisionRules.RULE_ID_CHARS_MAX || !RULE_ID.matcher(p.rule()).matches())) {
      throw invalid("rule", "rule is a rule id as in reasons[].rule_id, e.g. large_payment or limit.daily_password");
    }
    range(p.scoreMin(), p.scoreMax(), SCORE_MAX, "score_min", "score_max", "an integer score from 0 to 100");
    range(p.amountMin(), p.amountMax(), Limits.AMOUNT_MINOR_MAX, "amount_min", "amount_max",
        "an amount in minor units from 0 to " + Limits.AMOUNT_MINOR_MAX);
    if (p.currency() != null && !Canonical.isIsoCurrency(p.currency())) {
      throw invalid("currency", "currency must be an upper-case ISO 4217 code such as USD");
    }
    return new JournalRepository.Filter(p.accountId(), p.type(), p.action(), time(p.from(), "from"), time(p.to(), "to"),
        p.merchantId(), p.riskLevel(), p.rule(), p.scoreMin(), p.scoreMax(), p.amountMin(), p.amountMax(), p.currency());
  }

  private static void identifier(String value, String param) {
    if (value != null && value.length() > Limits.IDENTIFIER_CHARS_MAX) {
      throw invalid(param, param + " is at most " + Limits.IDENTIFIER_CHARS_MAX + " characters");
    }
  }

  private static boolean isAction(String value) {
    for (Action a : Action.values()) if (a.name().equals(value)) return true;
    return false;
  }

  private static boolean isRiskLevel(String value) {
    for (RiskLevel l : RiskLevel.values()) if (l.wireName().equals(value)) return true;
    return false;
  }

  /** An inclusive range: each end from 0 to max, the lower not above the upper. */
  private static <N extends Number> void range(N min, N max, long bound, String minParam, String maxParam, String what) {
    if (min != null && (min.longValue() < 0 || min.longValue() > bound)) throw invalid(minParam, minParam + " is " + what);
    if (max != null && (max.longValue() < 0 || max.longValue() > bound)) throw invalid(maxParam, maxParam + " is " + what);
    if (min != null && max != null && min.longValue() > max.longValue()) {
      throw invalid(maxParam, maxParam + " must not be below " + minParam);
    }
  }

  private static Long time(String value, String param) {
    if (value == null) return null;
    try {
      return Instant.parse(value).toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) { // unreadable, or beyond the millisecond range
      throw invalid(param, param + " must be an RFC 3339 UTC time such as 2026-11-21T00:00:00Z");
    }
  }

  /**
   * A number parameter given as text (the console's form): null when absent or blank, else the
   * number, or the same 400 the API answers when its typed parameter does not convert.
   */
  public static Long number(String value, String param) {
    if (value == null || value.isBlank()) return null;
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw invalid(param, param + " has the wrong format");
    }
  }

  /** {@link #number} for an int parameter (a value beyond int is the wrong format, as for the API). */
  public static Integer integer(String value, String param) {
    Long n = number(value, param);
    if (n == null) return null;
    if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) throw invalid(param, param + " has the wrong format");
    return n.intValue();
  }

  private static ApiException invalid(String param, String message) {
    return ApiException.invalid("invalid_parameter", message, param);
  }
}
