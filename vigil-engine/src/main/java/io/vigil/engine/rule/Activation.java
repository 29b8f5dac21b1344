package io.vigil.engine.rule;

import dev.cel.runtime.CelVariableResolver;
import io.vigil.engine.event.Event;
import io.vigil.engine.feature.FeatureCatalog;
import io.vigil.engine.feature.FeatureStore;
import io.vigil.engine.feature.FeatureView;
import io.vigil.engine.list.ListEntity;
import io.vigil.engine.list.ListIndex;
import io.vigil.engine.list.ListKind;
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
  private ZonedDateTime localTime;

  public Activation(Event event, FeatureView features, FeatureCatalog catalog, ListIndex lists,
      long clockMillis, ZoneId zone) {
    this.event = event;
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
    if (name.startsWith("velocity.")) {
      FeatureCatalog.Ref ref = catalog.velocityFeatures().get(name);
      return ref == null ? null : features.value(ref.entity(), ref.windowIndex(), ref.slot());
    }
    if (name.startsWith("event.")) return eventValue(name.substring(6));
    if (name.startsWith("facts.")) return factValue(name.substring(6));
    if (name.startsWith("lists.")) return listValue(name.substring(6));
    if (name.startsWith("time.")) return timeValue(name.substring(5));
    return null;
  }

  private Object eventValue(String field) {
    return switch (field) {
      case "type" -> event.type().wireName();
      case "amount" -> event.hasAmount() ? event.amountMinor() : 0L;
      case "amount_major" -> amountMajor();
      case "currency" -> orEmpty(event.currency());
      case "account_id" -> orEmpty(event.accountId());
      case "merchant_id" -> orEmpty(event.merchantId());
      case "counterparty_id" -> orEmpty(event.counterpartyId());
      case "channel" -> orEmpty(event.channel());
      case "ip" -> orEmpty(event.ip());
      case "device_id" -> orEmpty(event.deviceId());
      case "device_fingerprint" -> orEmpty(event.deviceFingerprint());
      case "user_agent" -> orEmpty(event.userAgent());
      case "phone" -> orEmpty(event.phone());
      case "email" -> orEmpty(event.email());
      case "email_domain" -> orEmpty(event.emailDomain());
      case "card_token" -> orEmpty(event.cardToken());
      case "card_bin" -> orEmpty(event.cardBin());
      case "card_last4" -> orEmpty(event.cardLast4());
      case "auth_method" -> orEmpty(event.authMethod());
      case "assurance_level" -> (long) event.assuranceLevel();
      case "login_failed" -> event.isFailedLogin();
      case "attributes" -> event.attributes();
      default -> null;
    };
  }

  private double amountMajor() {
    if (!event.hasAmount()) return 0.0;
    int digits = java.util.Currency.getInstance(event.currency()).getDefaultFractionDigits();
    return event.amountMinor() / Math.pow(10, Math.max(0, digits));
  }

  private Object factValue(String fact) {
    FeatureStore.Facts f = features.facts();
    return switch (fact) {
      case "first_event_for_account" -> f.firstEventForAccount();
      case "first_transaction_for_account" -> f.firstTransactionForAccount();
      case "new_device_for_account" -> f.newDeviceForAccount();
      case "account_known_devices" -> (long) f.accountKnownDevices();
      default -> null;
    };
  }

  private Object listValue(String rest) {
    int dot = rest.indexOf('.');
    if (dot < 0) return null;
    ListKind kind = ListKind.fromWire(rest.substring(0, dot));
    ListEntity entity = ListEntity.fromWire(rest.substring(dot + 1));
    if (kind == null || entity == null) return null;
    return lists.match(kind, entity, event, clockMillis) != null;
  }

  private Object timeValue(String field) {
    if (localTime == null) localTime = ZonedDateTime.ofInstant(Instant.ofEpochMilli(event.occurredAtMillis()), zone);
    return switch (field) {
      case "local_hour" -> (long) localTime.getHour();
      case "local_minute" -> (long) localTime.getMinute();
      case "local_day_of_week" -> (long) localTime.getDayOfWeek().getValue();
      case "timezone" -> zone.getId();
      default -> null;
    };
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
