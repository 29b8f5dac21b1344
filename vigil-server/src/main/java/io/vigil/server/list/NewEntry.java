package io.vigil.server.list;

import io.vigil.engine.event.CardNumbers;
import io.vigil.engine.list.ListEntity;
import io.vigil.engine.list.ListEntry;
import io.vigil.engine.list.ListKind;
import io.vigil.engine.list.ListValues;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Ids;
import io.vigil.server.api.Params;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The fields of an entry to add, checked and normalized: the body of {@code POST /v1/lists/entries}
 * or one row of an import. An entry is identified by its list, entity and normalized value: a list
 * holds a value once.
 */
record NewEntry(ListKind kind, ListEntity entity, String value, String reason, String source, long expiresAtMillis) {
  /** The fields in the order a file names them: the columns of a CSV. */
  static final List<String> FIELD_NAMES = List.of("list", "entity", "value", "reason", "source", "expires_at");
  static final Set<String> FIELDS = Set.copyOf(FIELD_NAMES);
  private static final int VALUE_CHARS_MAX = 256;
  private static final int REASON_CHARS_MAX = 1024;
  private static final int SOURCE_CHARS_MAX = 128;

  /**
   * A phone entry's value in E.164 form may pass the Luhn check by chance, as an event's phone may:
   * the one string of an entry exempt from the card-number check.
   */
  static final CardNumbers.Exemption CARD_NUMBER_EXEMPTION = (root, path, text) ->
      path.equals("value") && ListEntity.PHONE.wireName().equals(root.get("entity")) && CardNumbers.isE164Phone(text);

  /**
   * Checks the fields against the entry API's rules; errors name the field as {@code param}. The
   * caller has refused card numbers in them (with {@link #CARD_NUMBER_EXEMPTION}).
   */
  static NewEntry parse(Map<String, Object> fields, long nowMillis) {
    Params.checkFields(fields, FIELDS, "");
    ListKind kind = ListKind.fromWire(Params.string(fields, "list", true, 16));
    if (kind == null) throw ApiException.invalid("invalid_list", "list must be " + ListKind.choices(), "list");
    ListEntity entity = ListEntity.fromWire(Params.string(fields, "entity", true, 32));
    if (entity == null) {
      throw ApiException.invalid("invalid_entity",
          "entity must be account, device, ip, card, bin, phone, email_domain, merchant or country", "entity");
    }
    String value = ListValues.normalize(entity, Params.string(fields, "value", true, VALUE_CHARS_MAX));
    long expiresAt = Params.expiresAt(Params.string(fields, "expires_at", false, 64), nowMillis);
    String reason = Params.string(fields, "reason", false, REASON_CHARS_MAX);
    String source = Params.string(fields, "source", false, SOURCE_CHARS_MAX);
    return new NewEntry(kind, entity, value, reason, source, expiresAt);
  }

  /** An entry's expires_at as the API and its files write it: an RFC 3339 UTC time, null when it never expires. */
  static String expiresAt(ListEntry e) {
    return e.expiresAtMillis() == 0 ? null : Instant.ofEpochMilli(e.expiresAtMillis()).toString();
  }

  /** The entry as stored: a new id, created by actor now. */
  ListEntry toEntry(String actor, long nowMillis) {
    return new ListEntry(Ids.random("le_"), kind, entity, value, reason, source, actor,
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
}
