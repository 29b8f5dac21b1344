package io.vigil.server.support;

import java.util.LinkedHashMap;
import java.util.Map;

/** Event bodies for API tests. */
public final class Events {
  private Events() {}

  public static Map<String, Object> payment(String eventId, String account, long amountMinor) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event_id", eventId);
    m.put("type", "payment");
    m.put("occurred_at", TestClock.now().toString());
    m.put("account_id", account);
    m.put("amount", amountMinor);
    m.put("currency", "USD");
    return m;
  }
}
