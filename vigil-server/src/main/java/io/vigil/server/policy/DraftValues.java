package io.vigil.server.policy;

import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelVariableResolver;
import io.vigil.engine.event.Event;
import io.vigil.engine.list.ListEntity;
import io.vigil.engine.money.ExchangeRates;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.list.ListKind;
import io.vigil.engine.rule.Activation;
import io.vigil.engine.signal.Signals;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;

/**
 * The values a draft rule reads outside the decision path (a test against a pasted event, a
 * backtest against the journal). The event's own fields and its local time come from the event;
 * then {@code known} (values the caller gave, or those the stored decision recorded in its
 * reasons); then the signals the event answers from reference data alone, recomputed with the
 * reference data in force now (IP geography, phone, card BIN, e-mail, identity, client, the amount
 * in the base currency); list names from the lists in force now (a country list by the IP's
 * country); every other name (velocity windows, facts, signals of the account's history) the value
 * it has for an account seen for the first time: 0, false, "".
 */
final class DraftValues implements CelVariableResolver {
  private final Event event;
  private final Map<String, Object> known;
  private final Map<String, CelType> declared;
  private final ListIndex lists;
  private final long clockMillis;
  private final ZoneId zone;
  private final Signals signals;

  DraftValues(Event event, Map<String, Object> known, Map<String, CelType> declared, ListIndex lists,
      long clockMillis, ZoneId zone, Signals signals) {
    assert event != null;
    assert declared != null && !declared.isEmpty();
    this.event = event;
    this.known = known;
    this.declared = declared;
    this.lists = lists;
    this.clockMillis = clockMillis;
    this.zone = zone;
    this.signals = signals;
  }

  @Override
  public Optional<Object> find(String name) {
    return Optional.ofNullable(value(name));
  }

  /** The value of a declared name; null for a name that is not declared. */
  Object value(String name) {
    CelType type = declared.get(name);
    if (type == null) return null;
    Object own = eventValue(name);
    if (own != null) return own;
    Object given = known.get(name);
    if (given != null) {
      Object converted = convert(given, type);
      if (converted != null) return converted;
    }
    Object derived = signalValue(name);
    if (derived != null) {
      Object converted = convert(derived, type);
      if (converted != null) return converted;
    }
    if (name.startsWith("lists.")) return listMatch(name);
    return zero(type);
  }

  /** A JSON value as the CEL type declares it; null when it does not fit. */
  static Object convert(Object value, CelType type) {
    if (type == SimpleType.INT) return value instanceof Integer || value instanceof Long ? ((Number) value).longValue() : null;
    if (type == SimpleType.DOUBLE) return value instanceof Number n ? n.doubleValue() : null;
    if (type == SimpleType.BOOL) return value instanceof Boolean ? value : null;
    if (type == SimpleType.STRING) return value instanceof String ? value : null;
    return value instanceof Map<?, ?> ? value : null;
  }

  private static Object zero(CelType type) {
    if (type == SimpleType.INT) return 0L;
    if (type == SimpleType.DOUBLE) return 0.0;
    if (type == SimpleType.BOOL) return false;
    if (type == SimpleType.STRING) return "";
    return Map.of();
  }

  /** A signal recomputed from the event and reference data; null without signals or for another name. */
  private Object signalValue(String name) {
    if (signals == null) return null;
    return switch (name) {
      case "event.amount_base" -> signals.amountBaseMajor();
      case "event.amount_base_known" -> event.hasAmount() && signals.amountBaseMinor() != ExchangeRates.UNKNOWN;
      case "event.base_currency" -> signals.baseCurrency();
      default -> signals.value(name);
    };
  }

  private Object listMatch(String name) {
    String[] parts = name.split("\\.");
    if (parts.length != 3 || lists == null) return false;
    for (ListKind kind : ListKind.values()) {
      if (!kind.wireName().equals(parts[1])) continue;
      for (ListEntity entity : ListEntity.values()) {
        if (!entity.wireName().equals(parts[2])) continue;
        if (entity == ListEntity.COUNTRY && signals != null && signals.ipCountry() != null) {
          return lists.matchValue(kind, entity, signals.ipCountry(), clockMillis) != null;
        }
        return lists.match(kind, entity, event, clockMillis) != null;
      }
    }
    return false;
  }

  /** The names the event answers itself, as the engine's activation reads them; null for the others. */
  private Object eventValue(String name) {
    Object field = Activation.eventField(event, name);
    if (field != null) return field;
    return switch (name) {
      case "time.local_hour" -> (long) localTime().getHour();
      case "time.local_minute" -> (long) localTime().getMinute();
      case "time.local_day_of_week" -> (long) localTime().getDayOfWeek().getValue();
      case "time.timezone" -> zone.getId();
      default -> null;
    };
  }

  private ZonedDateTime localTime() {
    return ZonedDateTime.ofInstant(Instant.ofEpochMilli(event.occurredAtMillis()), zone);
  }
}
