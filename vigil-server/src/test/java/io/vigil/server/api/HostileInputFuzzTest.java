package io.vigil.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.vigil.engine.Limits;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.OperatorSession;
import io.vigil.server.support.RawHttp;
import io.vigil.server.support.TestClock;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import tools.jackson.databind.json.JsonMapper;

/**
 * The attack as a test: a seeded fuzzer that drives every route the server maps with malformed,
 * oversized, wrongly typed and malicious input (SQL and script payloads, card numbers, path tricks,
 * bad percent-encoding, odd methods and media types) and asserts, for every answer:
 * <ul>
 *   <li>no 5xx;</li>
 *   <li>an error is the JSON error object (type, code, message, param);</li>
 *   <li>no error repeats a card number that was sent, and no table ever holds one;</li>
 *   <li>a refused request changed nothing: every table's content is the same before and after.</li>
 * </ul>
 * The routes come from the API contract, which {@link ApiContractTest} holds equal to the routes
 * the server maps; this test also fails on any mapped route (actuator included) it does not drive.
 * Requests per route and the seed are system properties: {@code -Dvigil.fuzz.requests-per-route=2000
 * -Dvigil.fuzz.seed=7} is the long run (see the README). The server is its own: accepted
 * hostile writes (a rule description holding SQL is a valid description) must not reach other tests.
 */
class HostileInputFuzzTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-fuzz-");
  private static final long SEED = Long.getLong("vigil.fuzz.seed", 19L);
  private static final int REQUESTS_PER_ROUTE = Integer.getInteger("vigil.fuzz.requests-per-route", 30);
  /** What {@link #fingerprint} adds when a table holds the card number, spaced or not. */
  private static final String STORED_CARD_NUMBER = "CARD-NUMBER-STORED";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern ERROR_TYPES =
      Pattern.compile("invalid_request_error|idempotency_error|not_found_error|overloaded_error|api_error|authentication_error"
          + "|permission_error");
  /** Routes the server maps outside the contract, driven with the same attacks. */
  private static final List<String> OUTSIDE_CONTRACT = List.of("GET /actuator", "GET /actuator/health",
      "GET /actuator/health/**", "GET /actuator/prometheus", "GET /actuator/info", "GET /error");
  private static final List<String> ODD_METHODS = List.of("CONNECT", "TRACE", "PATCH", "PROPFIND", "MKCOL", "FOO", "OPTIONS");
  private static final List<String> ODD_ACCEPTS = List.of("text/csv", "application/xml", "text/html", "image/png",
      "garbage///", "application/json;q=0, text/plain");
  private static final List<String> ODD_CONTENT_TYPES = List.of("text/plain", "application/xml", "text/csv",
      "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json; charset=UTF-7", "*/*");

  @DynamicPropertySource
  static void ownDataDir(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    backgroundWritersOff(registry);
  }

  @Autowired
  List<RequestMappingInfoHandlerMapping> handlerMappings;

  @Autowired
  DataSource dataSource;

  /** One route of the contract (or outside it): what it takes. */
  private record Route(String method, String path, List<Parameter> parameters, String bodyType, Schema<?> bodySchema,
      Object bodyExample) {
    String key() {
      return routeKey(method, path);
    }
  }

  /** One request of the run, for the failure message. */
  private record Sent(String method, String target, Map<String, String> headers, byte[] body, String mutation) {
    @Override
    public String toString() {
      String shownBody = body == null ? "" : " body=" + RawHttp.printable(new String(body, StandardCharsets.ISO_8859_1));
      return method + " " + RawHttp.printable(target) + " " + RawHttp.printable(headers.toString()) + " [" + mutation + "]" + shownBody;
    }
  }

  private final String cardNumber = ApiTestSupport.luhn("411111111111111");
  private Random random;
  private Map<String, List<String>> knownIds;

  @Test
  void everyMappedRouteSurvivesHostileInput() throws Exception {
    random = new Random(SEED);
    List<Route> routes = routes();
    assertCoversEveryMappedRoute(routes);
    knownIds = knownIds();
    RawHttp http = new RawHttp(port);
    List<String> failures = new ArrayList<>();
    int sent = 0;
    // Sign the test operator in first: its account is stored then, not during a refused request.
    OperatorSession.forServer(base);
    String before = fingerprint();
    for (Route route : routes) {
      for (int i = 0; i < REQUESTS_PER_ROUTE && failures.size() < 20; i++) {
        Sent request = hostile(route);
        RawHttp.Answer response;
        try {
          response = http.send(request.method(), request.target(), request.headers(), request.body());
        } catch (RawHttp.ClosedBeforeAnswer closed) {
          response = null; // an oversized body refused before it was all sent; the reset took the answer
        }
        sent++;
        String after = fingerprint();
        String problem = response == null
            ? judgeClosedEarly(request, !before.equals(after), after.contains(STORED_CARD_NUMBER))
            : judge(request, response, !before.equals(after), after.contains(STORED_CARD_NUMBER));
        if (problem != null) failures.add(problem + "\n    request: " + request + "\n    answer: "
            + (response == null ? "none, connection closed while sending" : response.status() + " " + RawHttp.printable(response.body())));
        before = after;
      }
    }
    System.out.printf("hostile-input fuzz: %d requests over %d routes, seed %d%n", sent, routes.size(), SEED);
    if (!failures.isEmpty()) fail(failures.size() + " of " + sent + " hostile requests were mishandled:\n" + String.join("\n", failures));
  }

  /**
   * The server closed the connection before taking the whole request and its answer was lost: right
   * only for a body over the size limit (refused early on purpose) that changed and stored nothing.
   */
  private static String judgeClosedEarly(Sent request, boolean stateChanged, boolean storedCardNumber) {
    if (request.body() == null || request.body().length <= Limits.REQUEST_BODY_BYTES_MAX) {
      return "the connection was closed before a body within the size limit was sent";
    }
    if (storedCardNumber) return "a card number was stored (connection closed early)";
    if (stateChanged) return "refused by closing the connection, but the stored state changed";
    return null;
  }

  /** Null when the answer is right, else what is wrong with it. */
  private String judge(Sent request, RawHttp.Answer response, boolean stateChanged, boolean storedCardNumber) {
    int status = response.status();
    if (status >= 500) return "5xx answer";
    String text = response.body();
    if (storedCardNumber) return "a card number was stored (answered " + status + ")";
    if (status < 400) return null;
    if (text.contains(cardNumber)) return "the error repeats the card number sent";
    if (stateChanged) return "refused with " + status + " but the stored state changed";
    if (request.method().equals("HEAD")) return null;
    String contentType = response.contentType();
    if (!contentType.startsWith("application/json")) return "error answer is not JSON: " + contentType;
    Map<?, ?> error;
    try {
      error = (Map<?, ?>) JSON.readValue(text, Map.class).get("error");
    } catch (RuntimeException e) {
      return "error answer does not parse as JSON";
    }
    if (error == null) return "error answer has no error object";
    if (!(error.get("type") instanceof String type) || !ERROR_TYPES.matcher(type).matches()) return "error type missing or unknown";
    if (!(error.get("code") instanceof String code) || code.isBlank()) return "error code missing";
    if (!(error.get("message") instanceof String message) || message.isBlank()) return "error message missing";
    if (!error.containsKey("param")) return "error param missing";
    return null;
  }

  // ---- the attacks ------------------------------------------------------------------------------

  private Sent hostile(Route route) {
    String method = route.method();
    Map<String, String> headers = new LinkedHashMap<>();
    List<String> mutations = new ArrayList<>();
    String path = fillPath(route, mutations);
    String query = query(route, mutations);
    byte[] body = body(route, headers, mutations);
    switch (random.nextInt(10)) {
      case 0 -> {
        method = pick(ODD_METHODS);
        mutations.add("method");
      }
      case 1 -> {
        headers.put("Accept", pick(ODD_ACCEPTS));
        mutations.add("accept");
      }
      case 2 -> {
        headers.put("X-Request-Note", hostileString().replaceAll("[\\r\\n]", "").replaceAll("[^\\x00-\\xff]", "?"));
        mutations.add("odd header");
      }
      default -> { }
    }
    if (mutations.isEmpty()) {
      path = path + "/" + hostilePathSegment();
      mutations.add("extra path segment");
    }
    return new Sent(method, query.isEmpty() ? path : path + "?" + query, headers, body, String.join(",", mutations));
  }

  private String fillPath(Route route, List<String> mutations) {
    StringBuilder out = new StringBuilder();
    Matcher m = Pattern.compile("\\{\\*?([^}]+)}").matcher(route.path());
    while (m.find()) {
      String name = m.group(1);
      String value;
      List<String> known = knownIds.getOrDefault(name, List.of());
      if (!known.isEmpty() && random.nextInt(3) > 0) {
        value = pick(known);
      } else {
        value = hostilePathSegment();
        mutations.add("path " + name);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    String filled = out.toString();
    if (filled.endsWith("/**")) filled = filled.substring(0, filled.length() - 2) + (random.nextBoolean() ? "liveness" : hostilePathSegment());
    return filled;
  }

  private String query(Route route, List<String> mutations) {
    List<String> pairs = new ArrayList<>();
    for (Parameter p : route.parameters()) {
      if (!"query".equals(p.getIn()) || random.nextInt(3) != 0) continue;
      pairs.add(encode(p.getName()) + "=" + hostileQueryValue());
      mutations.add("query " + p.getName());
      if (random.nextInt(5) == 0) pairs.add(encode(p.getName()) + "=" + hostileQueryValue()); // repeated
    }
    switch (random.nextInt(12)) {
      case 0 -> { pairs.add(hostileQueryValue() + "=1"); mutations.add("unknown query parameter"); }
      case 1 -> { pairs.add("%ZZ=%ZZ"); mutations.add("bad encoding"); }
      case 2 -> { pairs.add("a=%"); mutations.add("truncated encoding"); }
      default -> { }
    }
    return String.join("&", pairs);
  }

  private byte[] body(Route route, Map<String, String> headers, List<String> mutations) {
    if (route.bodyType() == null) {
      if (random.nextInt(8) != 0) return null;
      headers.put("Content-Type", "application/json");
      mutations.add("body on a route without one");
      return "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    }
    headers.put("Content-Type", route.bodyType());
    if (random.nextInt(8) == 0) {
      headers.put("Content-Type", pick(ODD_CONTENT_TYPES));
      mutations.add("content type");
    }
    if (!route.bodyType().equals("application/json")) {
      mutations.add("binary body");
      return garbageBytes();
    }
    switch (random.nextInt(6)) {
      case 0 -> {
        mutations.add("malformed body");
        return malformedJson();
      }
      case 1 -> {
        Object base = baseBody(route);
        if (base instanceof Map<?, ?> map) {
          @SuppressWarnings("unchecked")
          Map<String, Object> fields = (Map<String, Object>) map;
          fields.put(random.nextBoolean() ? cardNumber : hostileString(), "x");
        }
        mutations.add("unknown field");
        return JSON.writeValueAsBytes(base);
      }
      default -> {
        Object base = baseBody(route);
        String where = mutateOneLeaf(base);
        mutations.add("field " + where);
        return JSON.writeValueAsBytes(base);
      }
    }
  }

  /** Replaces one value somewhere in the body by a hostile one; answers its path. */
  @SuppressWarnings("unchecked")
  private String mutateOneLeaf(Object node) {
    if (node instanceof Map<?, ?> map && !map.isEmpty()) {
      List<String> keys = new ArrayList<>((Set<String>) map.keySet());
      String key = pick(keys);
      Object child = map.get(key);
      if ((child instanceof Map<?, ?> || child instanceof List<?>) && random.nextBoolean()) return key + "." + mutateOneLeaf(child);
      ((Map<String, Object>) map).put(key, hostileValue());
      return key;
    }
    if (node instanceof List<?> list && !list.isEmpty()) {
      int i = random.nextInt(list.size());
      ((List<Object>) list).set(i, hostileValue());
      return "[" + i + "]";
    }
    return "(root)";
  }

  private Object hostileValue() {
    return switch (random.nextInt(9)) {
      case 0 -> null;
      case 1 -> random.nextBoolean() ? Long.MAX_VALUE : -1;
      case 2 -> 1e308;
      case 3 -> List.of(hostileString());
      case 4 -> Map.of(hostileString(), 1);
      case 5 -> Long.parseLong(cardNumber);
      case 6 -> true;
      default -> hostileString();
    };
  }

  private String hostileString() {
    return switch (random.nextInt(16)) {
      case 0 -> "' OR '1'='1";
      case 1 -> "1; DROP TABLE decisions; --";
      case 2 -> "\" UNION SELECT hash FROM decisions --";
      case 3 -> "<script>alert(1)</script>";
      case 4 -> "${jndi:ldap://127.0.0.1/a}";
      case 5 -> "../../../../etc/passwd";
      case 6 -> cardNumber;
      case 7 -> "card " + cardNumber.substring(0, 4) + " " + cardNumber.substring(4, 8) + " " + cardNumber.substring(8, 12)
          + " " + cardNumber.substring(12);
      case 8 -> "x".repeat(70_000);
      case 9 -> "";
      case 10 -> "\u0000\u0001\u001b[31m\r\n";
      case 11 -> "\u202eevil\ufeff\ud83d\ude00";
      case 12 -> "   ";
      case 13 -> "=HYPERLINK(\"http://x\")";
      case 14 -> "%s%n%x{0}";
      default -> "a".repeat(200);
    };
  }

  private String hostilePathSegment() {
    return switch (random.nextInt(14)) {
      case 0 -> "a%20b";
      case 1 -> "a%2Fb";
      case 2 -> "%2e%2e%2f%2e%2e";
      case 3 -> "x".repeat(5_000);
      case 4 -> "%00";
      case 5 -> "%01%1b";
      case 6 -> "%ZZ";
      case 7 -> "%";
      case 8 -> encode("' OR 1=1 --");
      case 9 -> encode("<script>");
      case 10 -> cardNumber;
      case 11 -> "%C0%AF";
      case 12 -> "%FF%FE";
      default -> "a;b=c";
    };
  }

  private String hostileQueryValue() {
    return switch (random.nextInt(16)) {
      case 0 -> "-1";
      case 1 -> "0";
      case 2 -> "99999999999999999999999";
      case 3 -> "1e309";
      case 4 -> "NaN";
      case 5 -> "2026-13-45T25:61:00Z";
      case 6 -> "";
      case 7 -> "%ZZ";
      case 8 -> cardNumber;
      case 9 -> encode("' OR 1=1 --");
      case 10 -> "%00%0d%0a";
      case 11 -> "x".repeat(3_000);
      case 12 -> "%FF%FE";
      case 13 -> encode("\u202e\ud83d\ude00");
      case 14 -> "0x10";
      default -> encode("a b");
    };
  }

  private byte[] malformedJson() {
    return switch (random.nextInt(11)) {
      case 0 -> new byte[0];
      case 1 -> "not json".getBytes(StandardCharsets.UTF_8);
      case 2 -> "[]".getBytes(StandardCharsets.UTF_8);
      case 3 -> "null".getBytes(StandardCharsets.UTF_8);
      case 4 -> "{\"a\":".getBytes(StandardCharsets.UTF_8);
      case 5 -> ("[".repeat(200) + "]".repeat(200)).getBytes(StandardCharsets.UTF_8);
      case 6 -> ("{\"a\":\"" + "x".repeat(80_000) + "\"}").getBytes(StandardCharsets.UTF_8);
      case 7 -> new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
      case 8 -> "{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8);
      case 9 -> "\ufeff{}".getBytes(StandardCharsets.UTF_8);
      default -> "{\"a\":1}{\"b\":2}".getBytes(StandardCharsets.UTF_8);
    };
  }

  private byte[] garbageBytes() {
    byte[] bytes = new byte[random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(4096)];
    random.nextBytes(bytes);
    return bytes;
  }

  // ---- valid bodies, from the contract ----------------------------------------------------------

  private Object baseBody(Route route) {
    Object example = route.bodyExample();
    if (example != null) {
      Object copy = JSON.readValue(JSON.writeValueAsBytes(example), Object.class);
      if (copy instanceof Map<?, ?> map && map.containsKey("occurred_at")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> event = (Map<String, Object>) map;
        event.put("occurred_at", TestClock.now().toString());
        event.put("event_id", "evt_fuzz_" + random.nextInt(1_000_000));
      }
      return copy;
    }
    return fromSchema(route.bodySchema(), 0);
  }

  private Object fromSchema(Schema<?> schema, int depth) {
    if (schema == null || depth > 6) return "x";
    if (schema.getExample() != null) return JSON.readValue(JSON.writeValueAsBytes(schema.getExample()), Object.class);
    if (schema.getEnum() != null && !schema.getEnum().isEmpty()) return schema.getEnum().get(0);
    if (schema.getAllOf() != null && !schema.getAllOf().isEmpty()) return fromSchema(schema.getAllOf().get(0), depth + 1);
    if (schema.getOneOf() != null && !schema.getOneOf().isEmpty()) return fromSchema(schema.getOneOf().get(0), depth + 1);
    if (schema.getAnyOf() != null && !schema.getAnyOf().isEmpty()) return fromSchema(schema.getAnyOf().get(0), depth + 1);
    String type = schema.getType() != null ? schema.getType()
        : schema.getTypes() != null && !schema.getTypes().isEmpty() ? schema.getTypes().iterator().next() : "object";
    return switch (type) {
      case "integer" -> schema.getMinimum() != null ? schema.getMinimum().longValue() : 1L;
      case "number" -> 0.5;
      case "boolean" -> true;
      case "array" -> {
        List<Object> items = new ArrayList<>();
        items.add(fromSchema(schema.getItems(), depth + 1));
        yield items;
      }
      case "string" -> "date-time".equals(schema.getFormat()) ? TestClock.now().toString() : "fuzz_" + random.nextInt(1000);
      default -> {
        Map<String, Object> object = new LinkedHashMap<>();
        if (schema.getProperties() != null) {
          schema.getProperties().forEach((name, property) -> {
            boolean required = schema.getRequired() != null && schema.getRequired().contains(name);
            if (required || random.nextBoolean()) object.put(name, fromSchema(property, depth + 1));
          });
        }
        yield object;
      }
    };
  }

  // ---- routes ------------------------------------------------------------------------------------

  private List<Route> routes() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    options.setResolveFully(true);
    OpenAPI contract = new OpenAPIV3Parser().readContents(api.get("/v1/openapi.json").body(), null, options).getOpenAPI();
    List<Route> routes = new ArrayList<>();
    contract.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
      List<Parameter> parameters = new ArrayList<>();
      if (item.getParameters() != null) parameters.addAll(item.getParameters());
      if (operation.getParameters() != null) parameters.addAll(operation.getParameters());
      routes.add(route(method.name(), path, parameters, operation));
    }));
    for (String outside : OUTSIDE_CONTRACT) {
      String[] parts = outside.split(" ");
      routes.add(new Route(parts[0], parts[1], List.of(), null, null, null));
    }
    return routes;
  }

  private static Route route(String method, String path, List<Parameter> parameters, Operation operation) {
    if (operation.getRequestBody() == null || operation.getRequestBody().getContent() == null) {
      return new Route(method, path, parameters, null, null, null);
    }
    var content = operation.getRequestBody().getContent();
    String type = content.containsKey("application/json") ? "application/json" : content.keySet().iterator().next();
    MediaType media = content.get(type);
    Object example = media.getExample();
    if (example == null && media.getExamples() != null && !media.getExamples().isEmpty()) {
      example = media.getExamples().values().iterator().next().getValue();
    }
    return new Route(method, path, parameters, type, media.getSchema(), example);
  }

  /** Fails when the server maps a route (actuator included) that this test does not drive. */
  private void assertCoversEveryMappedRoute(List<Route> routes) {
    Set<String> driven = new TreeSet<>();
    for (Route r : routes) driven.add(r.key());
    Set<String> mapped = new TreeSet<>();
    for (RequestMappingInfoHandlerMapping mapping : handlerMappings) {
      for (var entry : mapping.getHandlerMethods().entrySet()) {
        // The operator console's pages are HTML for browsers: ConsoleHostileInputTest attacks them.
        if (entry.getValue().getBeanType().getPackageName().startsWith("io.vigil.server.console")) continue;
        RequestMappingInfo info = entry.getKey();
        Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
        for (String path : info.getPatternValues()) {
          if (methods.isEmpty()) mapped.add(routeKey("GET", path));
          for (RequestMethod method : methods) mapped.add(routeKey(method.name(), path));
        }
      }
    }
    Set<String> undriven = new TreeSet<>(mapped);
    undriven.removeAll(driven);
    assertEquals(Set.of(), undriven, "mapped routes the hostile-input fuzz test does not drive: add them to the contract or OUTSIDE_CONTRACT");
    assertTrue(driven.contains("POST /v1/decisions"));
  }

  /** Ids that exist, so that some requests get past the lookup to the checks behind it. */
  private Map<String, List<String>> knownIds() {
    Map<String, List<String>> ids = new TreeMap<>();
    String eventId = "evt_fuzz_seed";
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("event_id", eventId);
    event.put("type", "payment");
    event.put("occurred_at", TestClock.now().toString());
    event.put("account_id", "acct_fuzz");
    event.put("amount", 1000);
    event.put("currency", "USD");
    ApiClient.Reply decision = api.post("/v1/decisions", event);
    assertEquals(200, decision.status(), decision.body());
    ids.put("decision_id", List.of((String) decision.json().get("decision_id")));
    ids.put("account_id", List.of("acct_fuzz"));
    ids.put("entity", List.of("account"));
    ids.put("value", List.of("acct_fuzz"));
    ids.put("version", List.of("1"));
    List<String> policyIds = new ArrayList<>();
    for (String collection : List.of("/v1/rules", "/v1/scorecards", "/v1/policy/limits")) {
      ApiClient.Reply r = api.get(collection);
      assertEquals(200, r.status(), r.body());
      Object data = r.json().containsKey("data") ? r.json().get("data") : r.json().values().iterator().next();
      if (data instanceof List<?> list) {
        for (Object o : list) {
          if (o instanceof Map<?, ?> m && m.get("id") instanceof String id) policyIds.add(id);
        }
      }
    }
    ids.put("id", policyIds);
    return ids;
  }

  // ---- state -------------------------------------------------------------------------------------

  /**
   * Every table's rows, hashed without regard to order (equal before and after means nothing was
   * stored; the audit trail, which records refused requests, is left out of the hash), and
   * {@link #STORED_CARD_NUMBER} where a row of any table holds the card number.
   */
  private String fingerprint() throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Connection c = dataSource.getConnection()) {
      DatabaseMetaData meta = c.getMetaData();
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = meta.getTables(null, "PUBLIC", "%", new String[] {"TABLE"})) {
        while (rs.next()) tables.add(rs.getString("TABLE_NAME"));
      }
      tables.sort(null);
      try (Statement s = c.createStatement()) {
        for (String table : tables) {
          if (table.toLowerCase(Locale.ROOT).startsWith("flyway")) continue;
          long rows = 0;
          long sum = 0;
          try (ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
              rows++;
              StringBuilder row = new StringBuilder();
              for (int i = 1; i <= columns; i++) row.append(rs.getString(i)).append('\u0001');
              if (row.toString().replaceAll("[ -]", "").contains(cardNumber)) out.append(STORED_CARD_NUMBER).append(' ');
              sum += row.toString().hashCode() * 0x9E3779B97F4A7C15L;
            }
          }
          // The audit trail records refused requests by design (written after the answer): only its card check counts.
          if (table.toLowerCase(Locale.ROOT).startsWith("audit_")) continue;
          out.append(table).append(':').append(rows).append(':').append(Long.toHexString(sum)).append(' ');
        }
      }
    }
    return out.toString();
  }

  /** A route with its path variables unnamed: the contract says {decision_id} where the code says {decisionId}. */
  private static String routeKey(String method, String path) {
    return method + " " + path.replaceAll("\\{[^}]+}", "{}");
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private <T> T pick(List<T> options) {
    return options.get(random.nextInt(options.size()));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
