package io.vigil.server.api;

import static io.vigil.server.api.ApiTestSupport.assertError;
import static io.vigil.server.api.ApiTestSupport.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestAuth;
import io.vigil.server.support.TestClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
 * Reference data over HTTP: decisions enriched from the real geo and ASN databases, the version
 * each decision records, reload without restart, and a broken file refused while the old set stays
 * live. Runs its own server: it rewrites its reference directory.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReferenceApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-reference-");
  private static final Path REFERENCE_DIR = referenceDir();
  private static final String BTCL_IP = "203.112.192.1";
  private static final String GOOGLE_DNS = "8.8.8.8";
  private static final String BINS_HEADER = "range_start,range_end,scheme,type,country,issuer\n";

  @DynamicPropertySource
  static void dirs(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    registry.add("vigil.reference.dir", REFERENCE_DIR::toString);
  }

  private static Path referenceDir() {
    try {
      Path dir = Files.createDirectories(DATA_DIR.resolve("reference"));
      link(dir, "geo-city-ipv4.mmdb", "dbipCityIpv4");
      link(dir, "geo-city-ipv6.mmdb", "dbipCityIpv6");
      link(dir, "asn.mmdb", "geoliteAsn");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void link(Path dir, String name, String key) throws IOException {
    String value = System.getProperty("vigil.test.mmdb." + key);
    if (value == null) throw new IllegalStateException("run through Maven: vigil.test.mmdb." + key + " is not set");
    Files.createSymbolicLink(dir.resolve(name), Path.of(value).toAbsolutePath());
  }

  private Map<String, Object> decide(Map<String, Object> extra) {
    Map<String, Object> body = new HashMap<>();
    body.put("event_id", ApiTestSupport.id("ref"));
    body.put("type", "login");
    body.put("occurred_at", TestClock.now().toString());
    body.put("account_id", ApiTestSupport.id("acct"));
    body.putAll(extra);
    ApiClient.Reply r = api.post("/v1/decisions", body);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  private long liveVersion() {
    ApiClient.Reply r = api.get("/v1/reference");
    assertEquals(200, r.status(), r.body());
    return ((Number) r.json().get("version")).longValue();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> reason(Map<String, Object> decision, String ruleId) {
    for (Object o : (List<Object>) decision.get("reasons")) {
      Map<String, Object> r = (Map<String, Object>) o;
      if (ruleId.equals(r.get("rule_id"))) return r;
    }
    return null;
  }

  @Test
  @Order(1)
  @SuppressWarnings("unchecked")
  void startupLoadsTheDirectoryAndDecisionsRecordTheVersion() {
    ApiClient.Reply live = api.get("/v1/reference");
    Map<String, Object> components = (Map<String, Object>) live.json().get("components");
    assertNotEquals("not_configured", components.get("geo"), live.body());
    assertNotEquals("not_configured", components.get("asn"), live.body());
    assertEquals("not_configured", components.get("payment_codes"));
    long version = liveVersion();

    Map<String, Object> d = decide(Map.of("ip", GOOGLE_DNS, "account_country", "BD"));
    assertEquals(version, ((Number) d.get("reference_version")).longValue());
    Map<String, Object> mismatch = reason(d, "country_mismatch");
    assertTrue(mismatch != null, () -> "country_mismatch should fire: " + d);
    assertEquals("US", ((Map<String, Object>) mismatch.get("values")).get("ip.country"));

    ApiClient.Reply lookup = api.get("/v1/reference/lookup?ip=" + BTCL_IP + "&phone=%2B8801912345678&bin=45678901&email_domain=mailinator.com");
    assertEquals(200, lookup.status(), lookup.body());
    assertEquals("BD", ((Map<String, Object>) lookup.json().get("ip")).get("country"));
    assertEquals(17494, ((Number) ((Map<String, Object>) lookup.json().get("ip")).get("asn")).intValue());
    assertEquals("Banglalink", ((Map<String, Object>) lookup.json().get("phone")).get("operator"));
    assertEquals(true, ((Map<String, Object>) lookup.json().get("email_domain")).get("disposable"));
  }

  @Test
  @Order(2)
  void aBrokenFileIsRefusedAndTheOldSetStaysLive() throws IOException {
    long before = liveVersion();
    Files.writeString(REFERENCE_DIR.resolve("bins.csv"), BINS_HEADER + "40000000,40000099,visa,debit,BD,Sample Bank\nnot,a,row\n");
    ApiClient.Reply refused = ApiTestSupport.send(base, "POST", "/v1/reference/reload", null);
    Map<String, Object> error = assertError(refused, 422, "invalid_request_error", "reference_data_invalid", "bin_table");
    assertTrue(((String) error.get("message")).contains("line 3"), () -> "names the line: " + error);
    assertEquals(before, liveVersion());
    assertEquals(before, ((Number) decide(Map.of("ip", BTCL_IP)).get("reference_version")).longValue());

    Files.write(REFERENCE_DIR.resolve("geo-city-ipv4.mmdb.tmp"), new byte[] {0, 1, 2});
    Files.delete(REFERENCE_DIR.resolve("geo-city-ipv4.mmdb"));
    Files.move(REFERENCE_DIR.resolve("geo-city-ipv4.mmdb.tmp"), REFERENCE_DIR.resolve("geo-city-ipv4.mmdb"));
    Files.writeString(REFERENCE_DIR.resolve("bins.csv"), BINS_HEADER + "40000000,40000099,visa,prepaid,BD,Sample Bank\n");
    assertError(api.post("/v1/reference/reload", Map.of()), 422, "invalid_request_error", "reference_data_invalid", "geo");
    assertEquals(before, liveVersion());
    Files.delete(REFERENCE_DIR.resolve("geo-city-ipv4.mmdb"));
    link(REFERENCE_DIR, "geo-city-ipv4.mmdb", "dbipCityIpv4");
  }

  @Test
  @Order(3)
  @SuppressWarnings("unchecked")
  void aGoodReloadIsLiveForTheNextDecision() throws IOException {
    long before = liveVersion();
    Files.writeString(REFERENCE_DIR.resolve("payment-codes.csv"),
        "code,institution,merchant_id,account_id,device_id\nQR-SHOP-1,sample_bank,m_shop_1,acct_shop_1,pos_1\n");
    ApiClient.Reply reloaded = ApiTestSupport.send(base, "POST", "/v1/reference/reload", null);
    assertEquals(200, reloaded.status(), reloaded.body());
    long after = liveVersion();
    assertEquals(before + 1, after);
    assertEquals(TestAuth.actor(base, "POST", "/v1/reference/reload"), reloaded.json().get("loaded_by"));

    Map<String, Object> lookup = api.get("/v1/reference/lookup?bin=40000012").json();
    assertEquals(true, ((Map<String, Object>) lookup.get("bin")).get("prepaid"));
    Map<String, Object> payment = new HashMap<>(Map.of("type", "payment", "amount", 5000L, "currency", "BDT",
        "merchant_id", "m_other", "payment_code", "QR-SHOP-1", "ip", BTCL_IP));
    Map<String, Object> d = decide(payment);
    assertEquals(after, ((Number) d.get("reference_version")).longValue());
    Map<String, Object> mismatch = reason(d, "payment_code_merchant_mismatch");
    assertTrue(mismatch != null, () -> "the code's merchant differs: " + d);
    assertEquals("m_shop_1", ((Map<String, Object>) mismatch.get("values")).get("payment_code.merchant_id"));

    ApiClient.Reply versions = api.get("/v1/reference/versions");
    assertEquals(after, ((Number) ((Map<String, Object>) ((List<Object>) versions.json().get("data")).get(0)).get("version")).longValue());
    ApiClient.Reply old = api.get("/v1/reference/versions/" + before);
    assertEquals(200, old.status(), old.body());
    assertEquals("not_configured", ((Map<String, Object>) old.json().get("components")).get("payment_codes"));
    assertError(api.get("/v1/reference/versions/99999"), 404, "not_found_error", "reference_version_not_found", "version");

    String metrics = api.get("/actuator/prometheus").body();
    assertTrue(metrics.contains("vigil_reference_version " + after + ".0"), metrics.lines()
        .filter(l -> l.startsWith("vigil_reference")).toList()::toString);
    for (String name : List.of("vigil_links_accounts", "vigil_links_identifiers", "vigil_links_evicted_total",
        "vigil_links_walks_capped_total", "vigil_geo_lookup_errors_total")) {
      assertTrue(metrics.contains(name), name);
    }
  }

  @Test
  @Order(4)
  void lookupsRefuseBadInput() {
    assertInvalid(api.get("/v1/reference/lookup"), "missing_field", "ip");
    assertInvalid(api.get("/v1/reference/lookup?ip=999.1.1.1"), "invalid_ip", "ip");
    assertInvalid(api.get("/v1/reference/lookup?phone=017123"), "invalid_phone", "phone");
    assertInvalid(api.get("/v1/reference/lookup?bin=12ab56"), "invalid_format", "bin");
  }

  @Test
  @Order(5)
  @SuppressWarnings("unchecked")
  void scorecardsAreVersionedConfiguration() {
    ApiClient.Reply card = api.get("/v1/scorecards/bd_whitelist");
    assertEquals(200, card.status(), card.body());
    assertEquals(false, card.json().get("enabled"), "shipped disabled");
    long version = ((Number) card.json().get("policy_version")).longValue();
    ApiClient.Reply enabled = api.post("/v1/scorecards/bd_whitelist/enable", Map.of());
    assertEquals(200, enabled.status(), enabled.body());
    assertEquals(version + 1, ((Number) enabled.json().get("policy_version")).longValue());

    Map<String, Object> outsider = decide(Map.of("channel", "whitelist", "ip", GOOGLE_DNS));
    assertEquals("DENY", outsider.get("action"));
    assertTrue(reason(outsider, "scorecard.bd_whitelist.prefilter.ip_country") != null, outsider::toString);

    Map<String, Object> body = new HashMap<>(card.json());
    body.remove("policy_version");
    List<Object> factors = (List<Object>) body.get("factors");
    ((Map<String, Object>) factors.get(0)).put("weight", 31);
    assertInvalid(api.put("/v1/scorecards/bd_whitelist", body), "rule_compile_error", "factors");
    ((Map<String, Object>) factors.get(0)).put("weight", 30);
    ((Map<String, Object>) factors.get(0)).put("expression", "ip.countryy == \"BD\" ? 1.0 : 0.0");
    assertInvalid(api.put("/v1/scorecards/bd_whitelist", body), "rule_compile_error", "factors[0].expression");
    assertEquals(200, api.post("/v1/scorecards/bd_whitelist/disable", Map.of()).status());
  }

  @Test
  @Order(7)
  void aGeoFencedCountryIsDeniedUnlessTheAccountIsExempt() {
    String northKorea = "175.45.176.1"; // Star JV, North Korea's only allocation (175.45.176.0/22)
    String account = ApiTestSupport.id("acct");
    Map<String, Object> fenced = decide(Map.of("account_id", account, "ip", northKorea));
    assertEquals("DENY", fenced.get("action"), fenced::toString);
    assertTrue(reason(fenced, "geofence_sanctioned_country") != null, fenced::toString);

    ApiClient.Reply entry = api.post("/v1/lists/entries", Map.of("list", "exempt", "entity", "account", "value", account,
        "reason", "approved by compliance, case 42"));
    assertEquals(201, entry.status(), entry.body());
    Map<String, Object> exempt = decide(Map.of("account_id", account, "ip", northKorea));
    assertTrue(reason(exempt, "geofence_sanctioned_country") == null, exempt::toString);
  }

  @Test
  @Order(8)
  @SuppressWarnings("unchecked")
  void anAccountLinkedToConfirmedFraudGoesToReview() {
    String fraudster = ApiTestSupport.id("acct");
    String phone = "+88017" + (10_000_000 + new java.util.Random().nextInt(89_999_999));
    decide(Map.of("account_id", fraudster, "phone", phone));
    ApiClient.Reply entry = api.post("/v1/lists/entries", Map.of("list", "confirmed_fraud", "entity", "account",
        "value", fraudster, "reason", "chargeback investigation 7"));
    assertEquals(201, entry.status(), entry.body());
    Map<String, Object> linked = decide(Map.of("phone", phone));
    Map<String, Object> reason = reason(linked, "linked_to_bad_account");
    assertTrue(reason != null, linked::toString);
    assertEquals(true, ((Map<String, Object>) reason.get("values")).get("links.linked_fraud"));
    assertEquals("REVIEW", linked.get("action"));

    ApiClient.Reply links = api.get("/v1/accounts/" + fraudster + "/links");
    assertEquals(200, links.status(), links.body());
    List<Object> identifiers = (List<Object>) links.json().get("links");
    assertEquals(1, identifiers.size(), links.body());
    Map<String, Object> phoneLink = (Map<String, Object>) identifiers.get(0);
    assertEquals("phone", phoneLink.get("kind"));
    assertEquals(1, ((Number) phoneLink.get("accounts_sharing")).intValue());
    assertTrue(!links.body().contains(phone.substring(1)), "no raw phone number in " + links.body());
    assertEquals(List.of(), api.get("/v1/accounts/nobody_here/links").json().get("links"));
    assertInvalid(api.get("/v1/accounts/" + "x".repeat(200) + "/links"), "invalid_format", "account_id");
  }

  @Test
  @Order(6)
  void newEventFieldsAreValidated() {
    Map<String, Object> base = new HashMap<>(Map.of("event_id", ApiTestSupport.id("bad"), "type", "registration",
        "occurred_at", TestClock.now().toString(), "account_id", "acct_x"));
    Map<String, Object> dob = new HashMap<>(base);
    dob.put("identity", Map.of("date_of_birth", "31-02-1990"));
    assertInvalid(api.post("/v1/decisions", dob), "invalid_date_of_birth", "identity.date_of_birth");
    Map<String, Object> status = new HashMap<>(base);
    status.put("identity", Map.of("document_status", "maybe"));
    assertInvalid(api.post("/v1/decisions", status), "invalid_document_status", "identity.document_status");
    Map<String, Object> country = new HashMap<>(base);
    country.put("account_country", "XX");
    assertInvalid(api.post("/v1/decisions", country), "invalid_country", "account_country");
    Map<String, Object> sim = new HashMap<>(base);
    sim.put("sim", Map.of("binding_age_days", -1));
    assertInvalid(api.post("/v1/decisions", sim), "out_of_range", "sim.binding_age_days");
    Map<String, Object> idType = new HashMap<>(base);
    idType.put("identity", Map.of("national_id", "1234567890"));
    assertInvalid(api.post("/v1/decisions", idType), "missing_field", "identity.national_id_type");
    // A 13-digit Luhn-valid number is a card number anywhere else, but a well-formed Bangladeshi NID here.
    String thirteen = ApiTestSupport.luhn13("400000000000");
    Map<String, Object> pan = new HashMap<>(base);
    pan.put("attributes", Map.of("note", thirteen));
    assertInvalid(api.post("/v1/decisions", pan), "card_number_detected", "attributes.note");
    Map<String, Object> nid = new HashMap<>(base);
    nid.put("identity", Map.of("national_id", thirteen, "national_id_type", "bd_nid"));
    assertEquals(200, api.post("/v1/decisions", nid).status());
  }
}
