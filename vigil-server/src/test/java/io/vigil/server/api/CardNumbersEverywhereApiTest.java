package io.vigil.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.server.support.ApiClient;
import io.vigil.server.support.OperatorSession;
import io.vigil.server.support.TestClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A card number sent in any string a write route stores — a body field at any depth, a field
 * name, a number written in full, a list import's cell or column, a path variable, a query
 * parameter — is refused with {@code 400 card_number_detected}
 * naming the field, the message does not repeat it, and the database is exactly as before. Each
 * case then sends the same request with a harmless value and expects it to be stored, so the
 * refusal is the card check's and not another error's. Own server: the controls change the
 * policy, lists and accounts.
 */
class CardNumbersEverywhereApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-cards-");
  /** A Luhn-valid 16-digit number made at run time (prefix 99 is no issuer's range). */
  private static final String PAN = randomPan();

  @DynamicPropertySource
  static void ownDataDir(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    // The database must change only by the requests.
    backgroundWritersOff(registry);
  }

  @Autowired
  DataSource dataSource;

  /**
   * One stored string: prepare makes what the request needs (a decision, a restriction) and
   * returns the request with the value in place; param is where the error must point; control
   * is the harmless value, or null where no harmless request can store (training needs labels).
   */
  private record Case(String name, Supplier<Function<String, ApiClient.Reply>> prepare, String param, String control) {}

  @Test
  void aCardNumberInAnyStoredStringIsRefusedAndNothingIsStored() {
    assertTrue(ApiTestSupport.luhnValid(PAN));
    // Sign the test operator in first: its account is stored then, not during a refused request.
    OperatorSession.forServer(base);
    List<Case> cases = cases();
    Set<String> messages = new HashSet<>();
    for (Case c : cases) {
      Function<String, ApiClient.Reply> request = c.prepare().get();
      Map<String, List<String>> before = withoutAuditTrail(snapshot());
      ApiClient.Reply refused = request.apply(PAN);
      Map<String, Object> error = ApiTestSupport.assertInvalid(refused, "card_number_detected", c.param());
      assertFalse(refused.body().contains(PAN), c.name() + ": the answer repeats the card number: " + refused.body());
      messages.add(String.valueOf(error.get("message")));
      assertEquals(before, withoutAuditTrail(snapshot()), c.name() + ": a refused request changed the database");
      if (c.control() != null) {
        ApiClient.Reply stored = request.apply(c.control());
        assertTrue(stored.status() / 100 == 2, c.name() + ": the same request with " + c.control() + " is stored: " + stored.body());
      }
    }
    assertEquals(1, messages.size(), "one message wherever the number was found, naming no field: " + messages);
    String all = snapshot().toString();
    assertFalse(all.contains(PAN), "no card number anywhere in the database");
    assertTrue(all.contains("clean_marker_"), "the controls were stored");
    assertTrue(cases.size() >= 35, "cases: " + cases.size());
  }

  @Test
  void phoneNumbersAndDeclaredNationalIdsStayExempt() {
    String phone = luhnPhone();
    Map<String, Object> entry = Map.of("list", "watch", "entity", "phone", "value", phone);
    assertEquals(201, api.post("/v1/lists/entries", entry).status(), "an E.164 phone is a phone, not a card");
    ApiTestSupport.assertInvalid(api.post("/v1/lists/entries", Map.of("list", "watch", "entity", "account", "value", phone)),
        "card_number_detected", "value");
    ApiTestSupport.assertInvalid(api.post("/v1/lists/entries", Map.of("list", "watch", "entity", "phone", "value", "+1",
        "reason", phone)), "card_number_detected", "reason");
    Map<String, Object> event = event(ApiTestSupport.id("p"));
    event.put("phone", phone);
    assertEquals(200, api.post("/v1/decisions", event).status(), "the event's phone is exempt as before");
  }

  // ---- the cases -------------------------------------------------------------------------------

  private List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    // Decisions: EventParser's check, as the Json layer gives it.
    cases.add(new Case("decision attribute", () -> v -> {
      Map<String, Object> e = event(ApiTestSupport.id("d"));
      e.put("attributes", Map.of("note", v));
      return api.post("/v1/decisions", e);
    }, "attributes.note", "clean_marker_decision"));
    cases.add(new Case("decision device id", () -> v -> {
      Map<String, Object> e = event(ApiTestSupport.id("d"));
      e.put("device", Map.of("id", v));
      return api.post("/v1/decisions", e);
    }, "device.id", "clean_marker_device"));

    // Accounts.
    String account = ApiTestSupport.id("acct");
    cases.add(new Case("restriction reason", () -> v -> api.post("/v1/accounts/" + account + "/restrictions",
        Map.of("kind", "no_withdrawals", "reason", v)), "reason", "clean_marker_reason"));
    cases.add(new Case("restriction account id (path)", () -> v -> api.post("/v1/accounts/" + v + "/restrictions",
        Map.of("kind", "freeze", "reason", "fraud ring")), "account_id", "clean_marker_account"));
    cases.add(new Case("lower_limit currency", () -> v -> api.post("/v1/accounts/" + account + "/restrictions",
        Map.of("kind", "lower_limit", "reason", "x", "daily_limit_minor", 100, "currency", v.length() > 3 ? v : "USD")),
        "currency", "USD"));
    cases.add(new Case("lift reason", () -> {
      String id = (String) api.post("/v1/accounts/" + account + "/restrictions", Map.of("kind", "freeze", "reason", "x")).json().get("id");
      return v -> api.post("/v1/accounts/" + account + "/restrictions/" + id + "/lift", Map.of("reason", v));
    }, "reason", "clean_marker_lift"));
    String locked = ApiTestSupport.id("lock");
    cases.add(new Case("lock reason", () -> v -> api.post("/v1/accounts/" + locked + "/lock", Map.of("reason", v)), "reason",
        "clean_marker_lock"));
    cases.add(new Case("unlock verification.method", () -> v -> api.post("/v1/accounts/" + locked + "/unlock",
        Map.of("verification", Map.of("method", v))), "verification.method", "biometric"));

    // What follows a decision.
    cases.add(new Case("feedback label_id", () -> {
      String decision = decide(event(ApiTestSupport.id("f")));
      return v -> api.post("/v1/feedback", Map.of("label_id", v, "decision_id", decision, "kind", "fraud"));
    }, "label_id", "clean_marker_label"));
    cases.add(new Case("feedback reason_code", () -> {
      String decision = decide(event(ApiTestSupport.id("f")));
      return v -> api.post("/v1/feedback", Map.of("label_id", ApiTestSupport.id("l"), "decision_id", decision, "kind", "chargeback", "verdict", "fraud",
          "reason_code", v));
    }, "reason_code", "clean_marker_10_4"));
    cases.add(new Case("feedback field name", () -> {
      String decision = decide(event(ApiTestSupport.id("f")));
      return v -> api.post("/v1/feedback", v.equals(PAN)
          ? Map.of("label_id", ApiTestSupport.id("l"), "decision_id", decision, "kind", "fraud", v, "x")
          : Map.of("label_id", v + ApiTestSupport.id(""), "decision_id", decision, "kind", "fraud"));
    }, "(field name)", "clean_marker_key"));
    cases.add(new Case("role change reason", () -> {
      String operator = OperatorSession.forServer(base).username();
      return v -> api.post("/v1/operators/" + operator + "/role-changes", Map.of("roles", List.of("viewer"), "reason", v));
    }, "reason", "clean_marker_reason"));
    cases.add(new Case("challenge-result method", () -> {
      String held = held();
      return v -> api.post("/v1/decisions/" + held + "/challenge-result", Map.of("result", "passed", "method", v));
    }, "method", "clean_marker_otp"));
    cases.add(new Case("reversal verification.method", () -> {
      String paid = decide(scored(ApiTestSupport.id("rev")));
      return v -> api.post("/v1/decisions/" + paid + "/reversal-request", Map.of("verification", Map.of("method", v)));
    }, "verification.method", "clean_marker_bio"));
    cases.add(new Case("outcome reason", () -> {
      String paid = decide(scored(ApiTestSupport.id("out")));
      return v -> api.post("/v1/decisions/" + paid + "/outcome", Map.of("outcome", "refunded", "reason", v));
    }, "reason", "clean_marker_refund"));

    // Lists.
    cases.add(new Case("list entry value", () -> v -> api.post("/v1/lists/entries",
        Map.of("list", "block", "entity", "account", "value", v)), "value", "clean_marker_entry"));
    cases.add(new Case("list entry reason", () -> v -> api.post("/v1/lists/entries",
        Map.of("list", "block", "entity", "account", "value", ApiTestSupport.id("e"), "reason", "seen with " + v)), "reason",
        "clean_marker_why"));
    cases.add(new Case("list entry source", () -> v -> api.post("/v1/lists/entries",
        Map.of("list", "watch", "entity", "device", "value", ApiTestSupport.id("dev"), "source", v)), "source", "clean_marker_src"));
    cases.add(new Case("list CSV import cell", () -> v -> importFile("csv", "text/csv",
        "list,entity,value,reason,source,expires_at\r\nblock,account," + ApiTestSupport.id("c") + ",,\"" + v + "\",\r\n"),
        "lines[2].source", "clean_marker_csv"));
    cases.add(new Case("list CSV import column name", () -> v -> importFile("csv", "text/csv",
        "list,entity,value," + (v.equals(PAN) ? v : "reason") + "\r\nblock,account," + ApiTestSupport.id("c") + ",x\r\n"),
        "lines[1]", "clean_marker_header"));
    cases.add(new Case("list JSON import value", () -> v -> importFile("json", "application/json",
        ApiClient.json(Map.of("entries", List.of(Map.of("list", "block", "entity", "account", "value", ApiTestSupport.id("j")),
            Map.of("list", "watch", "entity", "merchant", "value", v))))), "entries[1].value", "clean_marker_json"));
    cases.add(new Case("list JSON import field name", () -> v -> importFile("json", "application/json",
        v.equals(PAN) ? "{\"entries\":[{\"list\":\"block\",\"entity\":\"account\",\"value\":\"a\",\"" + v + "\":\"x\"}]}"
            : ApiClient.json(Map.of("entries", List.of(Map.of("list", "block", "entity", "account", "value", v + "_k"))))),
        "entries[0]", "clean_marker_jkey"));
    cases.add(new Case("list import query parameter name", () -> v -> importFile("csv&" + v + "=1", "text/csv",
        "list,entity,value\r\nblock,account," + ApiTestSupport.id("q") + "\r\n"), "(query parameter name)", null));

    // Rules and scorecards.
    cases.add(new Case("rule reason", () -> v -> api.post("/v1/rules", rule(v.equals(PAN) ? "r_card" : "r_" + v, "reason " + v, "d")),
        "reason", "clean_marker_rule"));
    cases.add(new Case("rule description", () -> v -> api.post("/v1/rules", rule("d_" + (v.equals(PAN) ? "card" : v), "r", v)),
        "description", "clean_marker_desc"));
    cases.add(new Case("rule id (path)", () -> v -> api.put("/v1/rules/" + v, rule(v, "r", "d")), "id", "r_clean_marker_rule"));
    cases.add(new Case("scorecard description", () -> v -> api.put("/v1/scorecards/trust_card", scorecard(v)), "description",
        "clean_marker_card"));
    cases.add(new Case("scorecard id (path)", () -> v -> api.put("/v1/scorecards/" + v, scorecard("d")), "id", "clean_marker_sc"));
    cases.add(new Case("scorecard factor name", () -> v -> {
      Map<String, Object> card = scorecard("d");
      card.put("factors", List.of(Map.of("name", v, "weight", 100, "expression", "1.0")));
      return api.put("/v1/scorecards/trust_card", card);
    }, "factors[0].name", "clean_marker_factor"));

    // Policy documents (last: their controls change how later decisions go).
    cases.add(new Case("threshold challenge_kind", () -> v -> {
      Map<String, Object> t = new HashMap<>(map(thresholds().get("default")));
      t.put("challenge_kind", v);
      return api.put("/v1/policy/thresholds", Map.of("default", t));
    }, "default.challenge_kind", "clean_marker_otp"));
    cases.add(new Case("limit description", () -> v -> api.post("/v1/policy/limits", Map.of("limit", limit("l_" + (v.equals(PAN)
        ? "card" : "clean"), v))), "limit.description", "clean_marker_limit"));
    cases.add(new Case("limit id (path)", () -> v -> api.put("/v1/policy/limits/" + v, Map.of("limit", limit(v, "d"))), "id",
        "l_clean"));
    cases.add(new Case("limits list channel", () -> v -> {
      Map<String, Object> l = limit("l_channels", "d");
      l.put("channels", List.of(v));
      return api.put("/v1/policy/limits", Map.of("limits", List.of(l)));
    }, "limits[0].channels[0]", "clean_marker_atm"));
    cases.add(new Case("hold id", () -> v -> api.put("/v1/policy/holds", Map.of("holds", List.of(hold(v, 1_000_000)))), "holds[0].id",
        "clean_marker_hold"));
    cases.add(new Case("hold amount written as a number", () -> v -> api.put("/v1/policy/holds", Map.of("holds",
        List.of(hold("big_ones", v.equals(PAN) ? Long.parseLong(PAN) : 2_000_000)))), "holds[0].amount_over", "clean"));
    cases.add(new Case("weights field name", () -> v -> api.put("/v1/policy/weights", Map.of("weights", v.equals(PAN)
        ? Map.of("rules", 0.5, "model", 0.5, v, 0) : Map.of("rules", 0.5, "model", 0.5))), "weights", "clean"));

    // Models: refused before the handler; no harmless training or ONNX upload to compare with.
    cases.add(new Case("model id (path)", () -> v -> ApiTestSupport.send(base, "PUT", "/v1/models/" + v,
        "application/octet-stream", new byte[] {1, 2, 3}), "model_id", null));
    cases.add(new Case("model output_kind (query)", () -> v -> ApiTestSupport.send(base, "PUT", "/v1/models/m1?output_kind=" + v,
        "application/octet-stream", new byte[] {1, 2, 3}), "output_kind", null));
    cases.add(new Case("training parameter", () -> v -> api.post("/v1/models/train", Map.of("from",
        TestClock.now().minusSeconds(3_600).toString(), "params", Map.of("seed", v))), "params.seed", null));
    return cases;
  }

  // ---- fixtures --------------------------------------------------------------------------------

  private static Map<String, Object> event(String eventId) {
    return new HashMap<>(Map.of("event_id", eventId, "type", "login", "occurred_at", TestClock.now().toString(),
        "account_id", ApiTestSupport.id("u")));
  }

  /** A payment the default limits count: a reservation to refund or reverse. */
  private static Map<String, Object> scored(String account) {
    return new HashMap<>(Map.of("event_id", ApiTestSupport.id("s"), "type", "payment", "occurred_at", TestClock.now().toString(),
        "account_id", account, "amount", 50_00, "currency", "USD", "credit_score", 300));
  }

  private String decide(Map<String, Object> event) {
    ApiClient.Reply r = api.post("/v1/decisions", event);
    assertEquals(200, r.status(), r.body());
    return (String) r.json().get("decision_id");
  }

  /** A 150,000 EUR transfer: held for two approvers, with a step-up challenge. */
  private String held() {
    Map<String, Object> body = new HashMap<>(Map.of("event_id", ApiTestSupport.id("h"), "type", "transfer",
        "occurred_at", TestClock.now().toString(), "account_id", ApiTestSupport.id("acct"), "amount", 15_000_000L, "currency", "EUR"));
    ApiClient.Reply r = api.post("/v1/decisions", body);
    assertEquals("HOLD", r.json().get("action"), r.body());
    return (String) r.json().get("decision_id");
  }

  private ApiClient.Reply importFile(String format, String contentType, String file) {
    return ApiTestSupport.send(base, "POST", "/v1/lists/import?format=" + format, contentType, file.getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, Object> rule(String id, String reason, String description) {
    return Map.of("id", id, "description", description, "event_types", List.of("withdrawal"), "expression", "event.amount == 77771",
        "effect", Map.of("points", 1), "reason", reason);
  }

  private static Map<String, Object> scorecard(String description) {
    return new HashMap<>(Map.of("description", description, "event_types", List.of("merchant_onboarding"),
        "factors", List.of(Map.of("name", "flat", "weight", 100, "expression", "1.0")), "admit_at", 70, "review_at", 40));
  }

  private static Map<String, Object> limit(String id, String description) {
    return new HashMap<>(Map.of("id", id, "description", description, "period", "rolling_24h", "currency", "BDT",
        "amount_minor", 250_000_000, "event_types", List.of("withdrawal"), "breach_action", "DENY"));
  }

  private static Map<String, Object> hold(String id, long amountOver) {
    return Map.of("id", id, "amount_over", amountOver, "approvals_required", 1, "deadline_minutes", 60, "expiry_action", "DENY");
  }

  private Map<String, Object> thresholds() {
    return map(api.get("/v1/policy").json().get("thresholds"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  // ---- the database, table by table ------------------------------------------------------------

  /** The tables but the audit trail's, which records refused requests by design (its rows are still checked for card numbers). */
  private static Map<String, List<String>> withoutAuditTrail(Map<String, List<String>> tables) {
    Map<String, List<String>> kept = new TreeMap<>(tables);
    kept.keySet().removeIf(name -> name.toLowerCase(Locale.ROOT).contains("\"audit_"));
    return kept;
  }

  /** Every row of every table, as text (binary columns by hash), sorted per table. */
  private Map<String, List<String>> snapshot() {
    Map<String, List<String>> tables = new TreeMap<>();
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      List<String> names = new ArrayList<>();
      try (ResultSet t = c.getMetaData().getTables(null, null, "%", null)) {
        while (t.next()) {
          String schema = t.getString("TABLE_SCHEM");
          String type = t.getString("TABLE_TYPE");
          if (!"TABLE".equals(type) && !"BASE TABLE".equals(type)) continue;
          if (schema != null && (schema.equalsIgnoreCase("INFORMATION_SCHEMA") || schema.equalsIgnoreCase("pg_catalog"))) continue;
          names.add((schema == null ? "" : "\"" + schema + "\".") + "\"" + t.getString("TABLE_NAME") + "\"");
        }
      }
      for (String name : names) {
        List<String> rows = new ArrayList<>();
        try (ResultSet r = s.executeQuery("SELECT * FROM " + name)) {
          int columns = r.getMetaData().getColumnCount();
          while (r.next()) {
            StringBuilder row = new StringBuilder();
            for (int i = 1; i <= columns; i++) {
              row.append(text(r.getObject(i))).append('|');
            }
            rows.add(row.toString());
          }
        }
        rows.sort(null);
        tables.put(name, rows);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    assertTrue(tables.keySet().stream().anyMatch(n -> n.toLowerCase().contains("policy_versions")), tables.keySet()::toString);
    return tables;
  }

  /** A column's value as text: binary and large objects by their content, not their identity. */
  private static String text(Object value) throws SQLException {
    if (value instanceof Blob blob) value = blob.getBytes(1, (int) blob.length());
    if (value instanceof Clob clob) return clob.getSubString(1, (int) clob.length());
    if (value instanceof byte[] b) return "bytes#" + Arrays.hashCode(b) + ":" + new String(b, StandardCharsets.ISO_8859_1);
    return String.valueOf(value);
  }

  // ---- generated numbers -----------------------------------------------------------------------

  private static String randomPan() {
    SecureRandom random = new SecureRandom();
    StringBuilder body = new StringBuilder("99");
    while (body.length() < 15) body.append(random.nextInt(10));
    return ApiTestSupport.luhn(body.toString());
  }

  /** A +1 phone number whose 15 digits pass the Luhn check: a card number's digits in a phone. */
  private static String luhnPhone() {
    for (int tail = 0; tail < 10; tail++) {
      String digits = "4479111234567" + tail + "0";
      for (int check = 0; check < 10; check++) {
        String candidate = digits.substring(0, 14) + check;
        if (ApiTestSupport.luhnValid(candidate)) return "+" + candidate;
      }
    }
    throw new IllegalStateException();
  }
}
