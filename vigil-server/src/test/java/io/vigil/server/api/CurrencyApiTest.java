package io.vigil.server.api;

import static io.vigil.server.api.ApiTestSupport.assertError;
import static io.vigil.server.api.ApiTestSupport.assertInvalid;
import static io.vigil.server.api.ApiTestSupport.list;
import static io.vigil.server.api.ApiTestSupport.map;
import static io.vigil.server.api.ApiTestSupport.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Money in other currencies over HTTP: a BDT payment meets the large-payment rule through its
 * converted amount and the seeded BDT limits in taka; the exchange rates are a reference file whose
 * date and version show in GET /v1/reference, and a reload changes both and the next decision. Runs
 * its own server: it rewrites its reference directory.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CurrencyApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-currency-");
  private static final Path REFERENCE_DIR = referenceDir();
  private static final String RATES_HEAD = "base,USD\ncurrency,units_per_base\n";

  @DynamicPropertySource
  static void dirs(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    registry.add("vigil.reference.dir", REFERENCE_DIR::toString);
  }

  private static Path referenceDir() {
    try {
      Path dir = Files.createDirectories(DATA_DIR.resolve("reference"));
      writeRates(dir, "as_of,2026-03-01\n" + RATES_HEAD + "BDT,120.00\n");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeRates(Path dir, String csv) throws IOException {
    Files.writeString(dir.resolve("exchange-rates.csv"), csv);
  }

  /**
   * A payment at assurance level 1 (a password): the daily_password limits apply. It happens in the
   * daytime, so that the expected reasons hold at any hour the suite runs.
   */
  private Map<String, Object> pay(long amountMinor, String currency) {
    Map<String, Object> body = new HashMap<>();
    body.put("event_id", ApiTestSupport.id("cur"));
    body.put("type", "payment");
    body.put("occurred_at", TestClock.daytime().toString());
    body.put("account_id", ApiTestSupport.id("acct"));
    body.put("amount", amountMinor);
    body.put("currency", currency);
    body.put("auth", Map.of("method", "password", "assurance_level", 1));
    ApiClient.Reply r = api.post("/v1/decisions", body);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  private static Map<String, Object> reason(Map<String, Object> decision, String ruleId) {
    for (Map<String, Object> r : list(decision.get("reasons"))) {
      if (ruleId.equals(r.get("rule_id"))) return r;
    }
    return null;
  }

  private Map<String, Object> live() {
    ApiClient.Reply r = api.get("/v1/reference");
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  private static String ratesComponent(Map<String, Object> set) {
    return (String) map(set.get("components")).get("exchange_rates");
  }

  @Test
  @Order(1)
  void aBdtPaymentMeetsTheLargePaymentRuleAndTheBdtLimits() {
    Map<String, Object> set = live();
    assertTrue(ratesComponent(set).startsWith("as_of 2026-03-01 base USD sha256:"), set::toString);

    // 1,250,000.00 BDT at 120.00 per USD is 10,416.66 USD: over the rule's 10,000 USD, and over the
    // 1,200,000.00 BDT a day that a password allows.
    Map<String, Object> d = pay(1_250_000_00L, "BDT");
    assertEquals("CHALLENGE", d.get("action"), d::toString);
    assertEquals("password_and_otp", map(d.get("challenge")).get("kind"));
    assertEquals(num(set.get("version")), num(d.get("reference_version")));
    Map<String, Object> large = reason(d, "large_payment");
    assertNotNull(large, d::toString);
    assertEquals("Amount 1250000.00 BDT (10416.66 USD) is over 10,000 USD", large.get("message"));
    assertEquals(10_416.66, ((Number) map(large.get("values")).get("event.amount_base")).doubleValue());
    Map<String, Object> limit = reason(d, "limit.daily_password_bdt");
    assertNotNull(limit, d::toString);
    assertEquals("0.00 BDT already spent daily plus 1,250,000.00 BDT is over the daily_password_bdt limit of 1,200,000.00 BDT",
        limit.get("message"));
    List<Map<String, Object>> limits = list(d.get("limits"));
    assertEquals(List.of("daily_password_bdt", "monthly_total_bdt"), limits.stream().map(l -> (String) l.get("limit_id")).sorted().toList());
    for (Map<String, Object> l : limits) assertEquals("BDT", l.get("currency"));

    // 12,500.00 BDT is 104.16 USD: allowed, and counted in taka under the BDT limits.
    Map<String, Object> small = pay(12_500_00L, "BDT");
    assertEquals("ALLOW", small.get("action"), small::toString);
    assertEquals(List.of(), small.get("reasons"));
    assertEquals(1_200_000_00L - 12_500_00L, num(map(list(small.get("limits")).get(0)).get("remaining_minor")));
  }

  @Test
  @Order(2)
  void aCurrencyWithoutARateIsSentToReview() {
    Map<String, Object> d = pay(500_00L, "CHF");
    assertEquals("REVIEW", d.get("action"), d::toString);
    Map<String, Object> r = reason(d, "no_exchange_rate");
    assertNotNull(r, d::toString);
    assertEquals("No exchange rate for CHF in the reference data: the amount cannot be compared with thresholds in USD", r.get("message"));

    Map<String, Object> chf = map(api.get("/v1/reference/lookup?currency=CHF").json().get("currency"));
    assertEquals(false, chf.get("known"));
    assertTrue(chf.containsKey("units_per_base") && chf.get("units_per_base") == null, chf::toString);
    assertEquals("USD", chf.get("base_currency"));
    assertEquals("2026-03-01", chf.get("as_of"));
    Map<String, Object> bdt = map(api.get("/v1/reference/lookup?currency=BDT").json().get("currency"));
    assertEquals(true, bdt.get("known"));
    assertEquals(120.0, ((Number) bdt.get("units_per_base")).doubleValue());
    assertInvalid(api.get("/v1/reference/lookup?currency=bdt"), "invalid_currency", "currency");
    assertInvalid(api.get("/v1/reference/lookup?currency=XXY"), "invalid_currency", "currency");
  }

  @Test
  @Order(3)
  void reloadingNewRatesMakesANewReferenceVersionForTheNextDecision() throws IOException {
    long before = num(live().get("version"));
    writeRates(REFERENCE_DIR, "as_of,2026-03-09\n" + RATES_HEAD + "BDT,125.00\nCHF,0.88\n");
    ApiClient.Reply reloaded = ApiTestSupport.send(base, "POST", "/v1/reference/reload", null);
    assertEquals(200, reloaded.status(), reloaded.body());
    long after = num(reloaded.json().get("version"));
    assertEquals(before + 1, after);
    assertTrue(ratesComponent(reloaded.json()).startsWith("as_of 2026-03-09 base USD sha256:"), reloaded.body());
    ApiClient.Reply old = api.get("/v1/reference/versions/" + before);
    assertTrue(ratesComponent(old.json()).startsWith("as_of 2026-03-01 "), old.body());

    // At 125.00 per USD, 1,250,000.00 BDT is exactly 10,000.00 USD: not over the rule. The BDT limit
    // is a fixed amount in taka and does not move with the rate: still over 1,200,000.00 BDT.
    Map<String, Object> d = pay(1_250_000_00L, "BDT");
    assertEquals(after, num(d.get("reference_version")));
    assertNull(reason(d, "large_payment"), d::toString);
    assertNotNull(reason(d, "limit.daily_password_bdt"), d::toString);
    // CHF has a rate now.
    Map<String, Object> chf = pay(500_00L, "CHF");
    assertEquals("ALLOW", chf.get("action"), chf::toString);
  }

  @Test
  @Order(4)
  void aBrokenRatesFileIsRefusedAndTheOldRatesStayLive() throws IOException {
    Map<String, Object> set = live();
    writeRates(REFERENCE_DIR, "as_of,2026-03-10\n" + RATES_HEAD + "BDT,-125\n");
    Map<String, Object> error = assertError(api.post("/v1/reference/reload", Map.of()), 422, "invalid_request_error",
        "reference_data_invalid", "exchange_rates");
    assertTrue(((String) error.get("message")).contains("exchange-rates.csv line 4"), error::toString);
    assertEquals(set, live());
  }
}
