package io.vigil.engine.rule;

import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import io.vigil.engine.feature.FeatureCatalog;
import io.vigil.engine.list.ListEntity;
import io.vigil.engine.list.ListKind;
import io.vigil.engine.signal.Signals;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every name a rule can use, with its CEL type. Names are dotted (event.amount,
 * velocity.ip.count_1h, lists.block.device) and declared one by one, so a misspelt feature is a
 * compile error with a position, never a silent "no such key" at run time.
 *
 * <p>Absent event strings read as "", absent numbers as 0 ({@code event.assurance_level} as -1),
 * so rules need no presence checks except on {@code event.attributes}, a map.
 */
public final class Variables {
  static final Map<String, CelType> EVENT_FIELDS;

  static {
    Map<String, CelType> m = new LinkedHashMap<>();
    for (String s : new String[] {"type", "currency", "account_id", "merchant_id", "counterparty_id",
        "channel", "ip", "device_id", "device_fingerprint", "user_agent", "phone", "email", "email_domain",
        "card_token", "card_bin", "card_last4", "auth_method", "base_currency"}) {
      m.put("event." + s, SimpleType.STRING);
    }
    m.put("event.amount", SimpleType.INT);
    m.put("event.amount_major", SimpleType.DOUBLE);
    m.put("event.amount_base", SimpleType.DOUBLE);
    m.put("event.amount_base_known", SimpleType.BOOL);
    m.put("event.assurance_level", SimpleType.INT);
    m.put("event.login_failed", SimpleType.BOOL);
    m.put("event.attributes", MapType.create(SimpleType.STRING, SimpleType.DYN));
    m.put("time.local_hour", SimpleType.INT);
    m.put("time.local_minute", SimpleType.INT);
    m.put("time.local_day_of_week", SimpleType.INT);
    m.put("time.timezone", SimpleType.STRING);
    EVENT_FIELDS = Collections.unmodifiableMap(m);
  }

  private Variables() {}

  /** All declarations for a feature catalog, in a stable order. */
  public static Map<String, CelType> declarations(FeatureCatalog catalog) {
    Map<String, CelType> all = new LinkedHashMap<>(EVENT_FIELDS);
    for (String name : catalog.velocityFeatures().keySet()) all.put(name, SimpleType.INT);
    for (String fact : FeatureCatalog.factNames()) {
      all.put(fact, fact.equals("facts.account_known_devices") ? SimpleType.INT : SimpleType.BOOL);
    }
    Signals.DECLARATIONS.forEach((name, type) -> all.put(name, celType(type)));
    for (ListKind kind : ListKind.values()) {
      for (ListEntity entity : ListEntity.values()) {
        all.put("lists." + kind.wireName() + "." + entity.wireName(), SimpleType.BOOL);
      }
    }
    return all;
  }

  private static CelType celType(String type) {
    return switch (type) {
      case "string" -> SimpleType.STRING;
      case "int" -> SimpleType.INT;
      case "double" -> SimpleType.DOUBLE;
      case "bool" -> SimpleType.BOOL;
      default -> throw new AssertionError("unknown signal type " + type);
    };
  }
}
