package io.vigil.server.api;

import static io.vigil.server.api.ApiTestSupport.id;
import static io.vigil.server.api.ApiTestSupport.num;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /v1/features: values are looked up the way events store them, and parameters are checked. */
class FeatureApiTest extends SharedServerBase {
  @Test
  @SuppressWarnings("unchecked")
  void anIpv6KeyIsFoundHoweverItIsWritten() {
    Map<String, Object> event = Events.payment(id("evt"), id("acc"), 100);
    event.put("ip", "2001:DB8:0:0:0:0:0:7");
    assertEquals(200, api.post("/v1/decisions", event).status());
    for (String written : new String[] {"2001:db8::7", "2001:DB8::7", "2001:0db8:0000:0000:0000:0000:0000:0007"}) {
      ApiClient.Reply r = api.get("/v1/features/ip/" + written);
      assertEquals(200, r.status(), r.body());
      assertEquals(Boolean.TRUE, r.json().get("known"), written);
      assertEquals(1L, num(((Map<String, Object>) r.json().get("features")).get("count_1h")), written);
    }
    ApiClient.Reply bad = api.get("/v1/features/ip/not-an-ip");
    assertEquals(400, bad.status());
    assertEquals("invalid_ip", bad.error().get("code"));
  }

  @Test
  void anInvalidCurrencyIsRefusedEvenForAnUnknownKey() {
    for (String currency : new String[] {"ZZZ", "usd"}) {
      ApiClient.Reply r = api.get("/v1/features/account/" + id("nobody") + "?currency=" + currency);
      assertEquals(400, r.status(), r.body());
      assertEquals("invalid_currency", r.error().get("code"));
      assertEquals("currency", r.error().get("param"));
    }
  }
}
