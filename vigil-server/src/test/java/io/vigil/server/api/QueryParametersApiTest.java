package io.vigil.server.api;

import static io.vigil.server.api.ApiTestSupport.assertInvalid;
import static io.vigil.server.api.ApiTestSupport.enc;
import static io.vigil.server.api.ApiTestSupport.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A query parameter a route does not take is refused on every route, with the shape of an
 * unknown body field, instead of being ignored: a misspelt filter must not return unfiltered rows.
 */
class QueryParametersApiTest extends SharedServerBase {
  @Test
  void anUnknownParameterIsRefusedOnEveryKindOfRoute() {
    Map<String, Object> e = assertInvalid(api.get("/v1/decisions?merchant=shop_1"), "unknown_parameter", "merchant");
    assertTrue(((String) e.get("message")).contains("merchant_id"), "the message lists what the route takes: " + e);
    assertInvalid(api.get("/v1/decisions.csv?acount_id=a"), "unknown_parameter", "acount_id");
    assertInvalid(api.get("/v1/decisions/dec_x?expand=event"), "unknown_parameter", "expand");
    assertInvalid(api.get("/v1/rules?enabled=true"), "unknown_parameter", "enabled");
    assertInvalid(api.get("/v1/policy/limits?currency=USD"), "unknown_parameter", "currency");
    assertInvalid(api.get("/v1/lists/entries?lst=block"), "unknown_parameter", "lst");
    assertInvalid(api.get("/v1/reference/lookup?ip=8.8.8.8&asn=15169"), "unknown_parameter", "asn");
    assertInvalid(api.get("/v1/rules?verbose"), "unknown_parameter", "verbose");
    Map<String, Object> longName = assertInvalid(api.get("/v1/rules?" + "x".repeat(100) + "=1"), "unknown_parameter",
        "x".repeat(64) + "…");
    assertTrue(!((String) longName.get("message")).contains("x".repeat(65)), "long names are cut: " + longName);
  }

  @Test
  void theParametersARouteTakesStillWork() {
    assertEquals(200, api.get("/v1/lists/entries?list=block&limit=5").status());
    assertEquals(200, api.get("/v1/reference/lookup?ip=8.8.8.8").status());
    assertEquals(200, api.get("/v1/decisions?merchant%5Fid=shop_1&limit=1").status(), "names are compared decoded");
    assertEquals(200, api.get("/v1/rules").status());
  }

  @Test
  void aDecisionRequestWithAnUnknownParameterStoresNothing() {
    String account = id("acc");
    Map<String, Object> event = Events.payment(id("evt"), account, 1_000);
    assertInvalid(api.post("/v1/decisions?dry_run=true", event), "unknown_parameter", "dry_run");
    assertEquals(0, ApiTestSupport.data(api.get("/v1/decisions?account_id=" + enc(account))).size(), "nothing was decided");
    ApiClient.Reply decided = api.post("/v1/decisions", event);
    assertEquals(200, decided.status(), decided.body());
    assertEquals("false", decided.headers().firstValue("Idempotent-Replayed").orElse(""), "the first real decision");
  }
}
