package io.vigil.server.list;

import io.vigil.engine.event.PanDetector;
import io.vigil.engine.list.ListEntity;
import io.vigil.engine.list.ListEntry;
import io.vigil.engine.list.ListKind;
import io.vigil.engine.list.ListValues;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The fields of an entry to add, checked and normalized: the body of {@code POST /v1/lists/entries}
 * or one row of an import. An entry is identified by its list, entity and normalized value: a list
 * holds a value once.
 */
record NewEntry(ListKind kind, ListEntity entity, String value, String reason, String source, long expiresAtMillis) {
  static final Set<String> FIELDS = Set.of("list", "entity", "value", "reason", "source", "expires_at");
  private static final int VALUE_CHARS_MAX = 256;
  private static final int REASON_CHARS_MAX = 1024;
  private static final int SOURCE_CHARS_MAX = 128;

  /** Checks the fields against the entry API's rules; errors name the field as {@code param}. */
  static NewEntry parse(Map<String, Object> fields, long nowMillis) {
    Params.checkFields(fields, FIELDS, "");
    ListKind kind = ListKind.fromWire(Params.string(fields, "list", true, 16));
    if (kind == null) throw ApiException.invalid("invalid_list", "list must be " + ListKind.choices(), "list");
    ListEntity entity = ListEntity.fromWire(Params.string(fields, "entity", true, 32));
    if (entity == null) {
      throw ApiException.invalid("invalid_entity",
          "entity must be account, device, ip, card, bin, phone, email_domain, merchant or country", "entity");
    }
    String raw = Params.string(fields, "value", true, VALUE_CHARS_MAX);
    // A valid E.164 number is exempt, as in events: its digits may pass the Luhn check by chance.
    if (entity != ListEntity.PHONE) refuseCardNumber(raw, "value");
    String value = ListValues.normalize(entity, raw);
    long expiresAt = Params.expiresAt(Params.string(fields, "expires_at", false, 64), nowMillis);
    String reason = refuseCardNumber(Params.string(fields, "reason", false, REASON_CHARS_MAX), "reason");
    String source = refuseCardNumber(Params.string(fields, "source", false, SOURCE_CHARS_MAX), "source");
    return new NewEntry(kind, entity, value, reason, source, expiresAt);
  }

  /** The entry as stored: a new id, created by actor now. */
  ListEntry toEntry(String actor, long nowMillis) {
    return new ListEntry("le_" + UUID.randomUUID().toString().replace("-", ""), kind, entity, value, reason, source, actor,
        nowMillis, expiresAtMillis);
  }

  /** The fields (reason, source, expires_at) in which a stored entry of the same value differs from this one. */
  List<String> differencesFrom(ListEntry stored) {
    List<String> fields = new ArrayList<>(3);
    if (!Objects.equals(reason, stored.reason())) fields.add("reason");
    if (!Objects.equals(source, stored.source())) fields.add("source");
    if (expiresAtMillis != stored.expiresAtMillis()) fields.add("expires_at");
    return fields;
  }

  private static String refuseCardNumber(String text, String param) {
    if (text != null && PanDetector.containsPan(text)) {
      throw ApiException.invalid("card_number_detected", "A card number was found in " + param
          + ". Vigil accepts card tokens only; the value was not stored or logged.", param);
    }
    return text;
  }
}
