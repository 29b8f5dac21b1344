package io.vigil.engine;

import io.vigil.engine.event.Event;
import io.vigil.engine.event.EventParser;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds event bodies the way a client would send them. */
public final class TestEvents {
  private TestEvents() {}

  public static Map<String, Object> body(String eventId, String type, long occurredAtMillis) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event_id", eventId);
    body.put("type", type);
    body.put("occurred_at", Instant.ofEpochMilli(occurredAtMillis).toString());
    return body;
  }

  public static Map<String, Object> payment(String eventId, long t, String account, long amountMinor, String currency) {
    Map<String, Object> body = body(eventId, "payment", t);
    body.put("account_id", account);
    body.put("amount", amountMinor);
    body.put("currency", currency);
    return body;
  }

  public static Event parse(Map<String, Object> body) {
    return EventParser.parse(body);
  }
}
