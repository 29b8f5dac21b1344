package io.vigil.server.screening;

import static io.vigil.server.api.ApiTestSupport.assertError;
import static io.vigil.server.api.ApiTestSupport.assertInvalid;
import static io.vigil.server.api.ApiTestSupport.data;
import static io.vigil.server.api.ApiTestSupport.list;
import static io.vigil.server.api.ApiTestSupport.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.server.api.ApiTestSupport;
import io.vigil.server.api.ServerTestBase;
import io.vigil.server.security.Role;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Screening over HTTP on a real server: lists uploaded in each format, a wrong file refused with the
 * previous version kept, decisions that hit a list or a blocked country, false positives until the
 * entry changes, re-screening when a list changes, exemptions approved by a second operator, and
 * bad input. The hit writer runs only when the test flushes it, so nothing races the assertions.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScreeningApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-screening-");
  private static final String HOLDER = ApiTestSupport.id("acct_scr");
  private static final String LATE = ApiTestSupport.id("acct_scr_late");

  @Autowired
  private ScreeningService screening;

  @DynamicPropertySource
  static void dirs(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    registry.add("vigil.screening.writer-interval-millis", () -> "60000");
  }

  private ApiClient.Reply upload(String name, String format, String fixture) {
    return api.upload("POST", "/v1/screening/lists/" + name + "?format=" + format, "application/octet-stream",
        ListParserTest.fixture(fixture));
  }

  private Map<String, Object> decide(String type, String accountId, Map<String, Object> extra) {
    Map<String, Object> body = new HashMap<>();
    body.put("event_id", ApiTestSupport.id("scr"));
    body.put("type", type);
    body.put("occurred_at", TestClock.now().toString());
    body.put("account_id", accountId);
    body.putAll(extra);
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

  private Map<String, Object> registerZorkov() {
    return decide("registration", HOLDER, Map.of("holder", Map.of("name", "Иван Сергеевич Зорков", "country", "RU"),
        "identity", Map.of("date_of_birth", "14-03-1971")));
  }

  private List<Map<String, Object>> hitsOf(String subject) {
    screening.flush();
    return data(api.get("/v1/screening/hits?subject_id=" + subject));
  }

  @Test
  @Order(1)
  void listsInEveryFormatAreInstalledAsVersions() {
    ApiClient.Reply ofac = upload("ofac", "ofac_sdn_xml", "sdn.xml");
    assertEquals(200, ofac.status(), ofac.body());
    assertEquals(1, ((Number) ofac.json().get("version")).intValue());
    assertEquals(3, ((Number) ofac.json().get("entry_count")).intValue());
    assertEquals(200, upload("un", "un_consolidated_xml", "un-consolidated.xml").status());
    assertEquals(200, upload("os-ftm", "opensanctions_ftm_json", "entities.ftm.json").status());
    ApiClient.Reply csv = api.upload("POST", "/v1/screening/lists/ofac-csv?format=ofac_sdn_csv&threshold=0.95",
        "text/csv", ListParserTest.fixture("sdn.csv"));
    assertEquals(200, csv.status(), csv.body());
    assertEquals(0.95, ((Number) csv.json().get("threshold")).doubleValue());
    List<Map<String, Object>> lists = data(api.get("/v1/screening/lists"));
    assertEquals(List.of("ofac", "ofac-csv", "os-ftm", "un"), lists.stream().map(l -> l.get("name")).toList());
    screening.flush(); // the re-screening each upload started (no subjects yet) is done before the next tests
  }

  @Test
  @Order(2)
  void aFileInTheWrongFormatIsRefusedAndThePreviousVersionStaysLive() {
    ApiClient.Reply refused = upload("ofac", "ofac_sdn_xml", "un-consolidated.xml");
    Map<String, Object> e = assertError(refused, 422, "invalid_request_error", "invalid_list_file", "file");
    assertTrue(((String) e.get("message")).contains("line 2"), e::toString);
    assertEquals(1, data(api.get("/v1/screening/lists/ofac/versions")).size());
    Map<String, Object> check = api.post("/v1/screening/check", Map.of("name", "Ivan Zorkov")).json();
    assertEquals("90001", list(check.get("matches")).get(0).get("entry_id"));
  }

  @Test
  @Order(3)
  void adHocChecksMatchOtherScriptsAndIdentifiers() {
    Map<String, Object> arabic = api.post("/v1/screening/check", Map.of("name", "خالد فاروق نبهاني")).json();
    assertEquals("TSi.001", list(arabic.get("matches")).get(0).get("entry_id"));
    Map<String, Object> bengali = api.post("/v1/screening/check", Map.of("name", "মোহাম্মদ করিম তালুকদার")).json();
    assertEquals("os-test-talukdar", list(bengali.get("matches")).get(0).get("entry_id"));
    Map<String, Object> vessel = api.post("/v1/screening/check", Map.of("name", "Blue Gull", "id_number", "IMO9912345")).json();
    Map<String, Object> m = list(vessel.get("matches")).get(0);
    assertEquals("90002", m.get("entry_id"));
    assertEquals("identifier", m.get("match_type"));
    Map<String, Object> none = api.post("/v1/screening/check", Map.of("name", "Ivan Petrenko")).json();
    assertEquals(false, none.get("hit"));
  }

  @Test
  @Order(4)
  void aRegistrationThatMatchesIsReviewedAndTheHitKeptWithEvidence() {
    Map<String, Object> d = registerZorkov();
    Map<String, Object> r = reason(d, "sanctions_hit");
    assertTrue(r != null, () -> "sanctions_hit should fire: " + d);
    assertTrue(List.of("REVIEW", "DENY").contains(d.get("action")), d::toString);
    List<Map<String, Object>> hits = hitsOf(HOLDER);
    Map<String, Object> hit = hits.stream().filter(h -> "ofac".equals(h.get("list"))).findFirst().orElseThrow();
    assertEquals("90001", hit.get("entry_id"));
    assertEquals("holder", hit.get("party"));
    assertEquals("decision", hit.get("source"));
    Map<String, Object> evidence = map(hit.get("evidence"));
    assertFalse(list(evidence.get("matched_tokens")).isEmpty(), evidence::toString);
    assertTrue(evidence.get("notes").toString().contains("date of birth matches"), evidence::toString);
  }

  @Test
  @Order(5)
  void aFalsePositiveHoldsUntilTheEntryChangesAndTheListChangeRescreens() {
    for (Map<String, Object> hit : hitsOf(HOLDER)) {
      ApiClient.Reply marked = api.post("/v1/screening/hits/" + hit.get("id") + "/false-positive", Map.of());
      assertEquals(200, marked.status(), marked.body());
      assertEquals(true, marked.json().get("false_positive"));
    }
    Map<String, Object> again = registerZorkov();
    assertTrue(reason(again, "sanctions_hit") == null, () -> "suppressed: " + again);
    int before = hitsOf(HOLDER).size();

    ApiClient.Reply v2 = upload("ofac", "ofac_sdn_xml", "sdn-v2.xml"); // the entry's date of birth changed
    assertEquals(2, ((Number) v2.json().get("version")).intValue(), v2.body());
    List<Map<String, Object>> after = hitsOf(HOLDER);
    assertTrue(after.size() > before, () -> "re-screened: " + after);
    Map<String, Object> rescreened = after.get(0);
    assertEquals("rescreen", rescreened.get("source"));
    assertEquals(2, ((Number) rescreened.get("list_version")).intValue());
    assertTrue(reason(registerZorkov(), "sanctions_hit") != null, "the suppression lapsed with the entry's change");
  }

  @Test
  @Order(6)
  void knownCustomersAreRescreenedWhenANewListArrives() {
    decide("registration", LATE, Map.of("holder", Map.of("name", "Oksana Zelenko")));
    assertTrue(hitsOf(LATE).isEmpty());
    assertEquals(200, upload("os-targets", "opensanctions_targets_csv", "targets.simple.csv").status());
    List<Map<String, Object>> hits = hitsOf(LATE);
    assertEquals(1, hits.size(), hits::toString);
    assertEquals("os-test-zelenko", hits.get(0).get("entry_id"));
    assertEquals("rescreen", hits.get(0).get("source"));
  }

  @Test
  @Order(7)
  void aBlockedBeneficiaryCountryIsDeniedUntilASecondOperatorApprovesAnExemption() {
    String account = ApiTestSupport.id("acct_scr_tr");
    Map<String, Object> transfer = Map.of("amount", 10_000, "currency", "USD",
        "beneficiary", Map.of("name", "Plain Ordinary Person", "country", "IR"));
    Map<String, Object> denied = decide("transfer", account, transfer);
    assertEquals("DENY", denied.get("action"), denied::toString);
    assertTrue(reason(denied, "country_sanctioned") != null, denied::toString);

    ApiClient.Reply proposed = api.post("/v1/screening/exemptions", Map.of("entity_kind", "account", "entity_id", account,
        "country", "IR", "reason", "licensed humanitarian payments"));
    assertEquals(200, proposed.status(), proposed.body());
    Object id = proposed.json().get("id");
    assertError(api.post("/v1/screening/exemptions/" + id + "/approve", Map.of()), 403, "permission_error",
        "self_approval", null);
    assertTrue(reason(decide("transfer", account, transfer), "country_sanctioned") != null, "still blocked while proposed");

    TestOperators.Signed officer = TestOperators.signIn(base, TestOperators.newUsername("scr.officer"),
        Set.of(Role.COMPLIANCE_OFFICER));
    TestOperators.Exchange approved = TestOperators.post(base, "/v1/screening/exemptions/" + id + "/approve", Map.of(),
        officer.headers());
    assertEquals(200, approved.status(), approved.body());
    assertEquals("approved", approved.json().get("status"));
    Map<String, Object> allowed = decide("transfer", account, transfer);
    assertTrue(reason(allowed, "country_sanctioned") == null, allowed::toString);
    Map<String, Object> other = decide("transfer", ApiTestSupport.id("acct_scr_tr2"), transfer);
    assertTrue(reason(other, "country_sanctioned") != null, "the exemption is for that account only");
  }

  @Test
  @Order(8)
  void badInputIsRefused() {
    assertInvalid(api.post("/v1/screening/check", Map.of()), "missing_field", "name");
    assertInvalid(api.post("/v1/screening/check", Map.of("name", "x".repeat(201))), "value_too_long", "name");
    assertInvalid(api.post("/v1/screening/check", Map.of("name", "A B", "extra", 1)), "unknown_field", "extra");
    assertInvalid(api.post("/v1/screening/check", Map.of("name", "A B", "min_score", 2)), "out_of_range", "min_score");
    assertInvalid(api.post("/v1/screening/check", Map.of("name", "A B", "date_of_birth", "1990-02-30")), "invalid_date_of_birth",
        "date_of_birth");
    assertInvalid(api.upload("POST", "/v1/screening/lists/ofac?format=bogus", "text/plain", new byte[] {1}), "invalid_parameter", "format");
    assertInvalid(api.upload("POST", "/v1/screening/lists/Bad!Name?format=ofac_sdn_xml", "text/plain",
        ListParserTest.fixture("sdn.xml")), "invalid_parameter", "name");
    assertError(api.get("/v1/screening/lists/nope/versions"), 404, "not_found_error", "screening_list_not_found", "name");
    assertError(api.post("/v1/screening/hits/999999999/false-positive", Map.of()), 404, "not_found_error",
        "screening_hit_not_found", "hit_id");
    assertInvalid(api.post("/v1/screening/exemptions", Map.of("entity_kind", "account", "entity_id", "a1", "country", "FR",
        "reason", "r")), "country_not_blocked", "country");
    Map<String, Object> event = new HashMap<>(Map.of("event_id", ApiTestSupport.id("scr"), "type", "registration",
        "occurred_at", TestClock.now().toString(), "account_id", ApiTestSupport.id("acct")));
    event.put("holder", Map.of("name", "1234"));
    assertInvalid(api.post("/v1/decisions", event), "invalid_name", "holder.name");
    event.put("holder", Map.of("country", "RU"));
    assertInvalid(api.post("/v1/decisions", event), "missing_field", "holder.name");
    event.put("holder", Map.of("name", "A B"));
    event.put("beneficiary", Map.of("name", "A B", "country", "XX"));
    assertInvalid(api.post("/v1/decisions", event), "invalid_country", "beneficiary.country");
  }
}
