package io.vigil.server.api;

import static io.vigil.server.api.ApiTestSupport.assertInvalid;
import static io.vigil.server.api.ApiTestSupport.data;
import static io.vigil.server.api.ApiTestSupport.enc;
import static io.vigil.server.api.ApiTestSupport.id;
import static io.vigil.server.api.ApiTestSupport.map;
import static io.vigil.server.api.ApiTestSupport.noonZone;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestClock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reviewer's filters of {@code GET /v1/decisions} and its CSV: merchant, risk level, a rule
 * that fired, score and amount ranges, currency; each applied in the query, each refused with its
 * parameter when it cannot filter.
 */
class DecisionFiltersApiTest extends SharedServerBase {
  /** One decision of the fixture. */
  record Posted(String eventId, String merchant, long amountMinor, String currency, String action, String riskLevel, int score,
      List<String> rules) {}

  private String account;
  private String shopA;
  private String shopB;
  private final List<Posted> posted = new ArrayList<>();

  /**
   * Seven payments of one fresh account to two fresh merchants: small ones at noon (ALLOW, score 0),
   * one at 03:00 local time (the seeded off_hours rule: 20 points), two over 10,000 (the seeded
   * large_payment rule forces CHALLENGE, risk medium), in USD and EUR.
   */
  @BeforeEach
  void payments() {
    account = id("acc");
    shopA = id("shopa");
    shopB = id("shopb");
    pay(shopA, 1_000, "USD", false);
    pay(shopA, 2_500, "EUR", false);
    pay(shopB, 4_000, "USD", true);
    pay(shopA, 1_500_000, "USD", false);
    pay(shopB, 7_000, "USD", false);
    pay(shopB, 1_600_000, "EUR", false);
    pay(shopA, 9_999, "USD", false);
  }

  private void pay(String merchant, long amountMinor, String currency, boolean atNight) {
    Instant at = TestClock.now();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event_id", id("evt"));
    m.put("type", "payment");
    m.put("occurred_at", at.toString());
    m.put("account_id", account);
    m.put("merchant_id", merchant);
    m.put("amount", amountMinor);
    m.put("currency", currency);
    m.put("auth", Map.of("assurance_level", 2)); // under the 50,000 daily limit of OTP sessions
    m.put("timezone", atNight ? threeInTheMorning(at) : noonZone(at));
    ApiClient.Reply r = api.post("/v1/decisions", m);
    assertEquals(200, r.status(), r.body());
    Map<String, Object> d = r.json();
    List<String> rules = ApiTestSupport.list(d.get("reasons")).stream().map(x -> (String) x.get("rule_id")).toList();
    posted.add(new Posted((String) m.get("event_id"), merchant, amountMinor, currency, (String) d.get("action"),
        (String) d.get("risk_level"), ((Number) d.get("score")).intValue(), rules));
  }

  /** A fixed-offset zone in which {@code at} is 03:xx local time: the seeded off_hours rule fires. */
  private static String threeInTheMorning(Instant at) {
    int offset = 3 - ZonedDateTime.ofInstant(at, ZoneOffset.UTC).getHour();
    if (offset < -11) offset += 24;
    return ZoneOffset.ofHours(offset).getId();
  }

  private List<String> query(String params) {
    return data(api.get("/v1/decisions?account_id=" + enc(account) + params)).stream()
        .map(r -> (String) map(r.get("event")).get("event_id")).toList();
  }

  /** Event ids of the fixture matching p, newest first. */
  private List<String> expected(Predicate<Posted> p) {
    List<String> out = new ArrayList<>();
    for (int i = posted.size() - 1; i >= 0; i--) if (p.test(posted.get(i))) out.add(posted.get(i).eventId());
    return out;
  }

  @Test
  void theFixtureCoversWhatTheFiltersTellApart() {
    assertEquals(List.of("ALLOW", "ALLOW", "ALLOW", "CHALLENGE", "ALLOW", "CHALLENGE", "ALLOW"),
        posted.stream().map(Posted::action).toList(), posted::toString);
    assertEquals(20, posted.get(2).score(), "off_hours: " + posted.get(2));
    assertEquals(List.of("off_hours"), posted.get(2).rules());
    assertEquals("medium", posted.get(3).riskLevel());
  }

  @Test
  void eachFilterSelectsExactlyItsRows() {
    assertEquals(expected(p -> p.merchant().equals(shopA)), query("&merchant_id=" + enc(shopA)));
    assertEquals(expected(p -> p.merchant().equals(shopB)), query("&merchant_id=" + enc(shopB)));
    assertEquals(expected(p -> p.riskLevel().equals("medium")), query("&risk_level=medium"));
    assertEquals(2, query("&risk_level=medium").size());
    assertEquals(expected(p -> p.rules().contains("large_payment")), query("&rule=large_payment"));
    assertEquals(expected(p -> p.rules().contains("off_hours")), query("&rule=off_hours"));
    assertEquals(List.of(), query("&rule=no_such_rule"));
    assertEquals(expected(p -> p.score() >= 10), query("&score_min=10"));
    assertEquals(expected(p -> p.score() <= 10), query("&score_max=10"));
    assertEquals(expected(p -> p.score() == 20), query("&score_min=20&score_max=20"), "score bounds are inclusive");
    assertEquals(expected(p -> p.amountMinor() >= 2_500 && p.amountMinor() <= 9_999), query("&amount_min=2500&amount_max=9999"),
        "amount bounds are inclusive");
    assertEquals(4, query("&amount_min=2500&amount_max=9999").size());
    assertEquals(expected(p -> p.currency().equals("EUR")), query("&currency=EUR"));
    assertEquals(expected(p -> p.merchant().equals(shopB) && p.currency().equals("USD") && p.amountMinor() > 5_000),
        query("&merchant_id=" + enc(shopB) + "&currency=USD&amount_min=5001"), "filters combine");
    // Without account_id: the merchant alone selects its payments.
    List<String> toShopB = data(api.get("/v1/decisions?merchant_id=" + enc(shopB))).stream()
        .map(r -> (String) map(r.get("event")).get("event_id")).toList();
    assertEquals(expected(p -> p.merchant().equals(shopB)), toShopB);
  }

  @Test
  void theCsvTakesTheSameFilters() {
    String csv = api.get("/v1/decisions.csv?account_id=" + enc(account) + "&rule=large_payment&currency=EUR").body();
    List<String> lines = csv.lines().toList();
    assertEquals(2, lines.size(), csv);
    String[] cells = lines.get(1).split(",", -1);
    assertEquals(expected(p -> p.rules().contains("large_payment") && p.currency().equals("EUR")), List.of(cells[1]));
    assertEquals(shopB, cells[7]);
    assertEquals("CHALLENGE", cells[10]);
  }

  @Test
  void filtersThatCannotFilterAreRefusedWithTheirParam() {
    for (String path : List.of("/v1/decisions?", "/v1/decisions.csv?")) {
      assertInvalid(api.get(path + "risk_level=HIGH"), "invalid_parameter", "risk_level");
      assertInvalid(api.get(path + "risk_level=severe"), "invalid_parameter", "risk_level");
      assertInvalid(api.get(path + "rule=" + enc("Large Payment")), "invalid_parameter", "rule");
      assertInvalid(api.get(path + "rule=" + "r".repeat(201)), "invalid_parameter", "rule");
      assertInvalid(api.get(path + "score_min=101"), "invalid_parameter", "score_min");
      assertInvalid(api.get(path + "score_max=-1"), "invalid_parameter", "score_max");
      assertInvalid(api.get(path + "score_min=50&score_max=10"), "invalid_parameter", "score_max");
      assertInvalid(api.get(path + "score_min=ten"), "invalid_parameter", "score_min");
      assertInvalid(api.get(path + "amount_min=-1"), "invalid_parameter", "amount_min");
      assertInvalid(api.get(path + "amount_max=100000000000001"), "invalid_parameter", "amount_max");
      assertInvalid(api.get(path + "amount_min=500&amount_max=100"), "invalid_parameter", "amount_max");
      assertInvalid(api.get(path + "amount_max=1.5"), "invalid_parameter", "amount_max");
      assertInvalid(api.get(path + "currency=usd"), "invalid_parameter", "currency");
      assertInvalid(api.get(path + "currency=XYZ"), "invalid_parameter", "currency");
      assertInvalid(api.get(path + "merchant_id=" + "m".repeat(129)), "invalid_parameter", "merchant_id");
    }
  }
}
