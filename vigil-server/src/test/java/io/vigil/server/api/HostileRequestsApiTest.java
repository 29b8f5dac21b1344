package io.vigil.server.api;

import static io.vigil.server.api.ApiTestSupport.assertError;
import static io.vigil.server.api.ApiTestSupport.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import io.vigil.server.support.RawHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Requests an attacker sends on purpose: an {@code Accept} no route answers, odd methods, bad
 * percent-encoding, bad path variables, malformed request lines and headers, extreme query values.
 * Each is a 4xx in the API's JSON error shape, never a 5xx or Tomcat's HTML page, and a refused write
 * changes nothing. The class changes the policy (to prove that the writes it refuses would have been
 * applied), so it runs its own server.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileRequestsApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-hostile-");
  /** Media types no Vigil JSON route produces. */
  static final List<String> UNANSWERABLE = List.of("text/csv", "application/xml", "text/html", "image/png");

  RawHttp raw;

  @DynamicPropertySource
  static void ownDataDir(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
  }

  @BeforeEach
  void rawClient() {
    raw = new RawHttp(port);
  }

  /** A write request: method, path and JSON body. */
  record Write(String method, String path, String body, boolean changesPolicy) {
  }

  @Test
  @SuppressWarnings("unchecked")
  void aWriteWithAnAcceptItCannotAnswerIsRefusedBeforeItsHandlerAndChangesNothing() {
    String account = id("acct");
    ApiClient.Reply decided = api.post("/v1/decisions", Events.payment(id("evt"), account, 1_000));
    assertEquals(200, decided.status(), decided.body());
    String decisionId = (String) decided.json().get("decision_id");
    String listValue = id("acct");
    List<Write> writes = writes(account, decisionId, listValue);

    Map<String, Object> before = state(account, decisionId, listValue);
    for (Write w : writes) {
      for (String accept : UNANSWERABLE) {
        ApiClient.Reply refused = ApiTestSupport.send(base, w.method(), w.path(), w.body(), "Accept", accept);
        assertError(refused, 406, "invalid_request_error", "not_acceptable", "Accept");
      }
    }
    assertEquals(before, state(account, decisionId, listValue), "a refused request changed nothing");

    // The same requests with an Accept they can answer are carried out: the refusals above were for the Accept alone.
    List<String> answerable = List.of("application/json", "*/*", "application/*", "text/csv, application/json;q=0.5");
    long version = ((Number) api.get("/v1/policy").json().get("version")).longValue();
    for (int i = 0; i < writes.size(); i++) {
      Write w = writes.get(i);
      ApiClient.Reply done = ApiTestSupport.send(base, w.method(), w.path(), w.body(), "Accept", answerable.get(i % answerable.size()));
      assertTrue(done.status() == 200 || done.status() == 201, () -> w + " -> " + done.status() + " " + done.body());
      assertTrue(done.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), w::toString);
      if (w.changesPolicy()) {
        assertEquals(++version, ((Number) done.json().get("policy_version")).longValue(), () -> w + " applied once: " + done.body());
      }
    }
    Map<String, Object> after = state(account, decisionId, listValue);
    for (String key : before.keySet()) {
      assertNotEquals(before.get(key), after.get(key), key + " changed once the request could be answered");
    }
  }

  /** A write on each kind of write route, with a body it accepts. */
  private List<Write> writes(String account, String decisionId, String listValue) {
    Map<String, Object> policy = api.get("/v1/policy").json();
    Map<String, Object> scorecard = new LinkedHashMap<>(api.get("/v1/scorecards/bd_whitelist").json());
    scorecard.remove("policy_version");
    scorecard.put("description", "edited " + id("d"));
    List<Write> writes = new ArrayList<>();
    writes.add(new Write("PUT", "/v1/policy/thresholds", ApiClient.json(policy.get("thresholds")), true));
    writes.add(new Write("PUT", "/v1/policy/weights", ApiClient.json(Map.of("weights", Map.of("rules", 0.5, "model", 0.5))), true));
    writes.add(new Write("PUT", "/v1/policy/limits", ApiClient.json(Map.of("limits", policy.get("limits"))), true));
    writes.add(new Write("PUT", "/v1/policy/challenges", ApiClient.json(Map.of("challenges", policy.get("challenges"))), true));
    writes.add(new Write("PUT", "/v1/policy/holds", ApiClient.json(Map.of("holds", policy.get("holds"))), true));
    writes.add(new Write("PUT", "/v1/scorecards/bd_whitelist", ApiClient.json(scorecard), true));
    writes.add(new Write("POST", "/v1/rules", ApiClient.json(Map.of("id", "hostile_probe", "expression", "true",
        "effect", Map.of("points", 1), "reason", "probe")), true));
    writes.add(new Write("POST", "/v1/accounts/" + account + "/lock", ApiClient.json(Map.of("reason", "phone stolen")), false));
    writes.add(new Write("POST", "/v1/decisions/" + decisionId + "/reversal-request", "{}", false));
    writes.add(new Write("POST", "/v1/decisions", ApiClient.json(Events.payment(id("evt"), account, 2_000)), false));
    writes.add(new Write("POST", "/v1/lists/entries", ApiClient.json(Map.of("list", "exempt", "entity", "account", "value", listValue,
        "reason", "probe")), false));
    return writes;
  }

  /** What the writes above would change, read back through the API. */
  private Map<String, Object> state(String account, String decisionId, String listValue) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("policy", api.get("/v1/policy").body());
    s.put("policy versions", api.get("/v1/policy/versions").body());
    s.put("rule", api.get("/v1/rules/hostile_probe").status());
    s.put("restrictions", api.get("/v1/accounts/" + account + "/restrictions").body());
    s.put("reversal requests", api.get("/v1/decisions/" + decisionId + "/reversal-requests").body());
    s.put("decisions", api.get("/v1/decisions?account_id=" + account).body());
    s.put("list entries", api.get("/v1/lists/entries?value=" + listValue).body());
    return s;
  }

  @Test
  void theDownloadsAnswerTheirAcceptAndAReadRefusesOneItCannotAnswer() {
    for (String accept : List.of("text/csv", "*/*", "text/*")) {
      ApiClient.Reply csv = ApiTestSupport.send(base, "GET", "/v1/decisions.csv", null, "Accept", accept);
      assertEquals(200, csv.status(), csv.body());
      assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"), accept);
      ApiClient.Reply export = ApiTestSupport.send(base, "GET", "/v1/lists/export?format=csv", null, "Accept", accept);
      assertEquals(200, export.status(), export.body());
    }
    assertEquals(200, api.get("/v1/decisions.csv").status(), "no Accept header");
    assertEquals(200, ApiTestSupport.send(base, "GET", "/v1/lists/export", null, "Accept", "application/json").status());
    assertError(ApiTestSupport.send(base, "GET", "/v1/decisions.csv", null, "Accept", "application/json"), 406,
        "invalid_request_error", "not_acceptable", "Accept");
    for (String accept : UNANSWERABLE) {
      for (String path : List.of("/v1/decisions", "/v1/rules", "/v1/policy", "/v1/lists/entries", "/actuator/health")) {
        assertError(ApiTestSupport.send(base, "GET", path, null, "Accept", accept), 406, "invalid_request_error", "not_acceptable",
            "Accept");
      }
    }
    assertError(ApiTestSupport.send(base, "GET", "/v1/rules", null, "Accept", "not a media type"), 406, "invalid_request_error",
        "not_acceptable", "Accept");
    assertEquals(200, ApiTestSupport.send(base, "GET", "/v1/rules", null, "Accept", "*/*").status());
  }

  @Test
  void aQueryStringThatIsNotValidPercentEncodingIsA400EverywhereAndLogsNoStackTrace(CapturedOutput output) {
    List<String> targets = List.of("/v1/decisions?account_id=%ZZ", "/v1/decisions.csv?account_id=%ZZ", "/v1/lists/entries?value=%FF",
        "/v1/lists/changes?entry_id=%E2%82", "/v1/reference/lookup?email_domain=%C0%AF", "/v1/feedback?decision_id=%ZZ",
        "/v1/features/account/a?at=%ZZ", "/v1/policy/versions?limit=%ZZ", "/actuator/health?x=%ZZ", "/actuator/prometheus?x=%ZZ",
        "/actuator/info?x=%");
    for (String target : targets) {
      RawHttp.Answer a = raw.send("GET", target);
      assertEquals(400, a.status(), target + " -> " + a);
      assertJsonError(a, target);
      assertEquals("invalid_encoding", a.error().get("code"), target + " -> " + a);
    }
    RawHttp.Answer many = raw.send("GET", "/actuator/health?" + "a=1&".repeat(1_200));
    assertEquals(400, many.status(), many.toString());
    assertEquals("too_many_parameters", many.error().get("code"), many.toString());
    String log = output.getAll();
    assertTrue(!log.contains("\tat ") && !log.contains("InvalidParameterException") && !log.contains("DecodeException"),
        "a client's bad encoding logs no stack trace:\n" + log);
  }

  @Test
  void oddMethodsAreA405InTheErrorShapeOnAnyPath() {
    for (String path : List.of("/v1/rules", "/v1/decisions", "/v1/decisions/dec_x", "/v1/policy/thresholds", "/actuator/health", "/nope")) {
      for (String method : List.of("CONNECT", "TRACE")) {
        RawHttp.Answer a = raw.send(method, path);
        assertEquals(405, a.status(), method + " " + path + " -> " + a);
        assertJsonError(a, method + " " + path);
        assertEquals("method_not_allowed", a.error().get("code"));
      }
      for (String method : List.of("PROPFIND", "FOO", "PATCH")) {
        RawHttp.Answer a = raw.send(method, path);
        assertTrue(a.status() == 405 || a.status() == 404, method + " " + path + " -> " + a);
        assertJsonError(a, method + " " + path);
      }
    }
    RawHttp.Answer tunnel = raw.send("CONNECT", "localhost:443");
    assertEquals(405, tunnel.status(), tunnel.toString());
    assertJsonError(tunnel, "CONNECT authority");
  }

  @Test
  void aBadPathVariableIsA4xxInTheErrorShapeOnEveryRouteThatTakesOne() {
    List<String> routes = List.of("/v1/decisions/{}", "/v1/decisions/{}/features", "/v1/decisions/{}/hold", "/v1/decisions/{}/outcome",
        "/v1/decisions/{}/reversal-requests", "/v1/rules/{}", "/v1/scorecards/{}", "/v1/policy/limits/{}", "/v1/policy/versions/{}",
        "/v1/lists/entries/{}", "/v1/accounts/{}/restrictions", "/v1/accounts/{}/links", "/v1/models/{}", "/v1/features/{}/x",
        "/v1/features/ip/{}", "/v1/reference/versions/{}");
    List<String> values = List.of("a%20b", "a%2Fb", "a%2fb", "a%5Cb", "a%00b", "a%0Ab", "a%7Fb", "%ZZ", "%FF", "x".repeat(3_000),
        "%E2%82%AC", "%2E%2E", "-1", "99999999999999999999", "%27%20OR%201%3D1--", "%3Cscript%3E");
    int requests = 0;
    for (String route : routes) {
      for (String value : values) {
        String target = route.replace("{}", value);
        for (String method : List.of("GET", "POST", "DELETE")) {
          RawHttp.Answer a = raw.send(method, target);
          requests++;
          assertTrue(a.status() >= 400 && a.status() < 500 || a.status() == 200, method + " " + target + " -> " + a);
          if (a.status() >= 400) assertJsonError(a, method + " " + target);
        }
      }
    }
    assertEquals(routes.size() * values.size() * 3, requests);
  }

  @Test
  void aRequestTomcatRefusesBeforeAnyRouteIsA400InTheErrorShape() {
    List<String> requests = List.of(
        "GET /v1/rules HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\nConnection: close\r\n\r\n",
        "POST /v1/decisions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: bogus\r\nConnection: close\r\n\r\n",
        "POST /v1/decisions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n",
        "GET /v1/rules HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\nConnection: close\r\n\r\n",
        "GET /v1/rules HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /v1/rules?a=\u0001 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /v1/ru{les HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET http://elsewhere/v1/rules HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /v1/rules HTTP/1.1\r\nConnection: close\r\n\r\n",
        "GET /v1/rules HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(10_000) + "\r\nConnection: close\r\n\r\n",
        "GET /v1/rules?" + "q".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /v1/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /actuator/health/%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    for (String request : requests) {
      RawHttp.Answer a = raw.sendBytes(request.getBytes(StandardCharsets.ISO_8859_1));
      String line = request.substring(0, Math.min(60, request.indexOf('\r')));
      assertEquals(400, a.status(), line + " -> " + a);
      assertJsonError(a, line);
      assertEquals("malformed_request", a.error().get("code"), line + " -> " + a);
    }
  }

  @Test
  void oddQueryValuesAreNeverA5xx() {
    Map<String, List<String>> routes = new LinkedHashMap<>();
    routes.put("/v1/decisions", List.of("account_id", "from", "to", "score_min", "amount_max", "currency", "limit", "starting_after"));
    routes.put("/v1/decisions.csv", List.of("account_id", "from", "to", "risk_level", "amount_min"));
    routes.put("/v1/lists/entries", List.of("list", "entity", "value", "limit", "starting_after"));
    routes.put("/v1/lists/changes", List.of("entry_id", "limit", "starting_after"));
    routes.put("/v1/lists/export", List.of("format", "list", "entity"));
    routes.put("/v1/feedback", List.of("decision_id", "limit", "starting_after"));
    routes.put("/v1/reference/lookup", List.of("ip", "phone", "bin", "email_domain", "currency"));
    routes.put("/v1/features/account/a", List.of("at", "currency"));
    routes.put("/v1/policy/versions", List.of("limit", "starting_after"));
    routes.put("/v1/models", List.of("limit", "starting_after"));
    List<String> values = List.of("", "-1", "0", "99999999999999999999", "-9223372036854775808", "NaN", "1e5", "abc", "%00", "%0A",
        "%7F", "x".repeat(4_000), "%F0%9F%98%80", "2026-13-45T00:00:00Z", "-999999999-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z",
        "%27%20OR%201%3D1--", "%3Cscript%3E", "..%2F..%2F", "MTIzOmFiYw", "OTk5OTk5OTk5OTk5OTk5OTk5OTk6YQ", "999.1.1.1", "%2B4412");
    int requests = 0;
    for (Map.Entry<String, List<String>> route : routes.entrySet()) {
      for (String param : route.getValue()) {
        for (String value : values) {
          for (String query : List.of(param + "=" + value, param + "=" + value + "&" + param + "=" + value)) {
            String target = route.getKey() + "?" + query;
            RawHttp.Answer a = raw.send("GET", target);
            requests++;
            assertTrue(a.status() < 500, target + " -> " + a);
            if (a.status() >= 400) assertJsonError(a, target);
          }
        }
      }
    }
    assertTrue(requests > 1_000, "requests: " + requests);
    assertEquals(400, raw.send("GET", "/v1/decisions?from=-999999999-01-01T00:00:00Z").status());
    assertEquals("to", raw.send("GET", "/v1/decisions.csv?to=-999999999-01-01T00:00:00Z").error().get("param"),
        "an extreme time is refused naming its parameter");
    assertEquals("at", raw.send("GET", "/v1/features/account/a?at=%2B999999999-12-31T23:59:59Z").error().get("param"));
  }

  private static void assertJsonError(RawHttp.Answer a, String what) {
    assertTrue(a.contentType().startsWith("application/json"), what + " answers JSON, not " + a);
    Map<String, Object> e = a.error();
    assertTrue(e != null && e.keySet().containsAll(List.of("type", "code", "message", "param")), what + " -> " + a);
    assertTrue(a.body().startsWith("{\"error\":"), what + " -> " + a);
  }
}
