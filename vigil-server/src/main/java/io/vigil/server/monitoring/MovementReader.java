package io.vigil.server.monitoring;

import io.vigil.engine.event.EventType;
import io.vigil.engine.money.ExchangeRates;
import io.vigil.engine.monitoring.Movement;
import io.vigil.server.api.Json;
import io.vigil.server.journal.DecisionRules;
import io.vigil.server.journal.JournalRow;
import io.vigil.server.privacy.JournalPrivacy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads a committed decision as a movement (its personal fields opened as the engine's replay opens them): its parties, its amount converted to the operator's
 * currency with the live exchange rates, the identities it carries (device id and fingerprint,
 * phone, national id: kept in the monitor's memory only, never in an alert) and the rules that fired.
 */
final class MovementReader {
  private static final Map<String, String> TYPES = types();

  private final JournalPrivacy privacy;
  private final Supplier<ExchangeRates> rates;
  private final String currency;

  MovementReader(JournalPrivacy privacy, Supplier<ExchangeRates> rates, String currency) {
    this.privacy = privacy;
    this.rates = rates;
    this.currency = currency;
  }

  Movement read(JournalRow row) {
    Map<String, Object> event = privacy.openEvent(row.record().eventJson(), JournalPrivacy.Reading.REPLAY);
    long amount = Movement.NO_AMOUNT;
    if (row.amountMinor() != null && row.currency() != null && row.amountMinor() > 0) {
      long converted = rates.get().convertMinor(row.amountMinor(), row.currency(), currency);
      amount = converted == ExchangeRates.UNKNOWN ? Movement.NO_AMOUNT : converted;
    }
    String counterparty = event.get("counterparty_id") instanceof String s && !s.isEmpty() ? s : null;
    // One string per type, not the row's copy per movement.
    String type = TYPES.getOrDefault(row.eventType(), row.eventType());
    return new Movement(row.record().decisionId(), type, row.accountId(), counterparty, amount, row.occurredAtMillis(),
        identities(event), DecisionRules.ruleIds(Json.readStored(row.record().responseJson())));
  }

  private static Map<String, String> types() {
    Map<String, String> m = new HashMap<>();
    for (EventType t : EventType.values()) m.put(t.wireName(), t.wireName());
    return Map.copyOf(m);
  }

  private static List<String> identities(Map<String, Object> event) {
    List<String> out = new ArrayList<>(Movement.IDENTITIES_MAX);
    if (event.get("device") instanceof Map<?, ?> device) {
      if (device.get("id") instanceof String id) out.add("device:" + id);
      else if (device.get("fingerprint") instanceof String fp) out.add("device:" + fp);
    }
    if (event.get("phone") instanceof String phone) out.add("phone:" + phone);
    if (event.get("identity") instanceof Map<?, ?> identity && identity.get("national_id") instanceof String nid) {
      out.add("national_id:" + identity.get("national_id_type") + ":" + nid);
    }
    return out;
  }
}
