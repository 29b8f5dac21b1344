package io.vigil.engine.rule;

import dev.cel.runtime.CelVariableResolver;
import io.vigil.engine.event.Event;
import io.vigil.engine.feature.FeatureCatalog;
import io.vigil.engine.feature.FeatureView;
import io.vigil.engine.list.ListEntity;
import io.vigil.engine.list.ListEntry;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.list.ListKind;
import io.vigil.engine.money.ExchangeRates;
import io.vigil.engine.signal.Signals;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The values of one decision, resolved by name as CEL asks for them. Velocity windows and list
 * lookups are computed only when a rule reads them.
 */
public final class Activation implements CelVariableResolver {
  private final Event event;
  private final FeatureView features;
  private final FeatureCatalog catalog;
  private final ListIndex lists;
  private final long clockMillis;
  private final ZoneId zone;
  private final Signals signals;
  private ZonedDateTime localTime;

  public Activation(Event event, FeatureView features, FeatureCatalog catalog, ListIndex lists,
      long clockMillis, ZoneId zone, Signals signals) {
    this.event = event;
    this.signals = signals;
    this.features = features;
    this.catalog = catalog;
    this.lists = lists;
    this.clockMillis = clockMillis;
    this.zone = zone;
  }

  @Override
  public Optional<Object> find(String name) {
    Object value = value(name);
    return Optional.ofNullable(value);
  }

  /** The value of a declared name, or null for an undeclared one. */
  public Object value(String name) {
    FeatureCatalog.Ref ref = catalog.velocityFeatures().get(name);
    if (ref != null) return features.value(ref.entity(), ref.windowIndex(), ref.slot());
    ListVariable list = LIST_VARIABLES.get(name);
    if (list != null) return listMatch(list.kind(), list.entity()) != null;
    Object scalar = scalar(name);
    return scalar != null ? scalar : signals.value(name);
  }

  /**
   * The active list entry of this kind for the event's value of the entity. The country an event
   * is matched by is its IP's country, or the {@code country} attribute when the IP has none.
   */
  public ListEntry listMatch(ListKind kind, ListEntity entity) {
    if (entity == ListEntity.COUNTRY && signals.ipCountry() != null) {
      return lists.matchValue(kind, entity, signals.ipCountry(), clockMillis);
    }
    return lists.match(kind, entity, event, clockMillis);
  }

  /** A {@code lists.<kind>.<entity>} name, resolved once for all decisions. */
  private record ListVariable(ListKind kind, ListEntity entity) {}

  private static final Map<String, ListVariable> LIST_VARIABLES = listVariables();

  private static Map<String, ListVariable> listVariables() {
    Map<String, ListVariable> m = new java.util.HashMap<>();
    for (ListKind kind : ListKind.values()) {
      for (ListEntity entity : ListEntity.values()) {
        m.put("lists." + kind.wireName() + "." + entity.wireName(), new ListVariable(kind, entity));
      }
    }
    return Map.copyOf(m);
  }

  private Object scalar(String name) {
    return switch (name) {
      case "event.amount_base" -> signals.amountBaseMajor();
      case "event.amount_base_known" -> event.hasAmount() && signals.amountBaseMinor() != ExchangeRates.UNKNOWN;
      case "event.base_currency" -> signals.baseCurrency();
      case "facts.first_event_for_account" -> features.facts().firstEventForAccount();
      case "facts.first_transaction_for_account" -> features.facts().firstTransactionForAccount();
      case "facts.new_device_for_account" -> features.facts().newDeviceForAccount();
      case "facts.account_known_devices" -> (long) features.facts().accountKnownDevices();
      case "time.local_hour" -> (long) localTime().getHour();
      case "time.local_minute" -> (long) localTime().getMinute();
      case "time.local_day_of_week" -> (long) localTime().getDayOfWeek().getValue();
      case "time.timezone" -> zone.getId();
      default -> eventField(event, name);
    };
  }

  /**
   * The value of an {@code event.*} name the event answers by itself (not those derived from
   * signals, such as {@code event.amount_base}); null for any other name. Absent strings read as "".
   */
  public static Object eventField(Event event, String name) {
    return switch (name) {
      case "event.type" -> event.type().wireName();
      case "event.amount" -> event.hasAmount() ? event.amountMinor() : 0L;
      case "event.amount_major" -> event.amountMajor();
      case "event.currency" -> orEmpty(event.currency());
      case "event.account_id" -> orEmpty(event.accountId());
      case "event.merchant_id" -> orEmpty(event.merchantId());
      case "event.counterparty_id" -> orEmpty(event.counterpartyId());
      case "event.channel" -> orEmpty(event.channel());
      case "event.ip" -> orEmpty(event.ip());
      case "event.device_id" -> orEmpty(event.deviceId());
      case "event.device_fingerprint" -> orEmpty(event.deviceFingerprint());
      case "event.user_agent" -> orEmpty(event.userAgent());
      case "event.phone" -> orEmpty(event.phone());
      case "event.email" -> orEmpty(event.email());
      case "event.email_domain" -> orEmpty(event.emailDomain());
      case "event.card_token" -> orEmpty(event.cardToken());
      case "event.card_bin" -> orEmpty(event.cardBin());
      case "event.card_last4" -> orEmpty(event.cardLast4());
      case "event.auth_method" -> orEmpty(event.authMethod());
      case "event.assurance_level" -> (long) event.assuranceLevel();
      case "event.login_failed" -> event.isFailedLogin();
      case "event.attributes" -> event.attributes();
      default -> null;
    };
  }

  private ZonedDateTime localTime() {
    if (localTime == null) localTime = ZonedDateTime.ofInstant(Instant.ofEpochMilli(event.occurredAtMillis()), zone);
    return localTime;
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  /** Renders a value for a reason message. */
  static String display(Object value) {
    if (value instanceof Double d) return String.format(Locale.ROOT, "%.2f", d);
    if (value instanceof Map<?, ?> m) return "{" + m.size() + " attributes}";
    return String.valueOf(value);
  }
}
