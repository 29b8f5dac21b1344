package io.vigil.server.api;

import static io.vigil.server.api.ApiTestSupport.PAN;
import static io.vigil.server.api.ApiTestSupport.assertError;
import static io.vigil.server.api.ApiTestSupport.assertInvalid;
import static io.vigil.server.api.ApiTestSupport.data;
import static io.vigil.server.api.ApiTestSupport.enc;
import static io.vigil.server.api.ApiTestSupport.id;
import static io.vigil.server.api.ApiTestSupport.list;
import static io.vigil.server.api.ApiTestSupport.map;
import static io.vigil.server.api.ApiTestSupport.num;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.engine.Limits;
import io.vigil.server.VigilApplication;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import io.vigil.server.support.TestAuth;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestClockConfiguration;
import io.vigil.server.support.TestKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lists read out in pages, exported and imported over real HTTP: a list larger than a page is read
 * exactly once through the cursor, an export imported into a fresh server gives the same lists
 * back, a repeated import changes nothing, and a bad row or an oversized file is refused whole.
 * Own server: it changes the lists.
 */
class ListTransferApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-lists-");
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String HEADER = "list,entity,value,reason,source,expires_at\r\n";

  @DynamicPropertySource
  static void ownDataDir(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    // Four imports at once must all be taken: this class checks what concurrent imports do to the lists.
    registry.add("vigil.uploads.list-imports-concurrent-max", () -> "4");
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static ApiClient.Reply importCsv(String base, String csv) {
    return importFile(base, "csv", "text/csv", csv.getBytes(StandardCharsets.UTF_8));
  }

  private static ApiClient.Reply importJson(String base, String json) {
    return importFile(base, "json", "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  private static ApiClient.Reply importFile(String base, String format, String contentType, byte[] file) {
    return ApiTestSupport.send(base, "POST", "/v1/lists/import?format=" + format, contentType, file);
  }

  private static Map<String, Object> imported(ApiClient.Reply r) {
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  private static String future(Duration ahead) {
    return TestClock.now().plus(ahead).truncatedTo(ChronoUnit.MILLIS).toString();
  }

  private long newestChangeId(ApiClient client) {
    List<Map<String, Object>> newest = data(client.get("/v1/lists/changes?limit=1"));
    return newest.isEmpty() ? 0 : num(newest.get(0).get("change_id"));
  }

  /** The entries of a JSON export (list, entity, value, reason, source, expires_at), as a set. */
  @SuppressWarnings("unchecked")
  private static Set<Map<String, Object>> exportedJson(ApiClient client, String query) {
    ApiClient.Reply r = client.get("/v1/lists/export?format=json" + query);
    assertEquals(200, r.status(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
    List<Map<String, Object>> entries = (List<Map<String, Object>>) JSON.readValue(r.body(), Map.class).get("entries");
    Set<Map<String, Object>> set = new HashSet<>(entries);
    assertEquals(entries.size(), set.size(), "an export names each entry once");
    return set;
  }

  private static Map<String, Object> entry(String list, String entity, String value, String reason, String source, String expiresAt) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("list", list);
    m.put("entity", entity);
    m.put("value", value);
    m.put("reason", reason);
    m.put("source", source);
    m.put("expires_at", expiresAt);
    return m;
  }

  private String create(Map<String, Object> entry) {
    Map<String, Object> body = new LinkedHashMap<>(entry);
    body.values().removeIf(v -> v == null);
    ApiClient.Reply r = ApiTestSupport.send(base, "POST", "/v1/lists/entries", ApiClient.json(body));
    assertEquals(201, r.status(), r.body());
    return (String) r.json().get("id");
  }

  /** Header lines with the test credentials for a body that is never sent (its digest is of a stand-in). */
  private String credentials(String method, String path) {
    StringBuilder lines = new StringBuilder();
    for (String line : TestAuth.headerLines(base, method, path, new byte[] {'x'})) lines.append(line).append("\r\n");
    return lines.toString();
  }

  /**
   * Sends only the head of a request that declares contentLength bytes and {@code Expect:
   * 100-continue}, and reads what the server answers before any body byte: each response (an
   * interim 100 Continue, or the final one) as its text. Stops at a 100 Continue, since the server
   * then waits for the body.
   */
  private List<String> expectContinue(String path, long contentLength) {
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\nContent-Length: " + contentLength
          + "\r\nExpect: 100-continue\r\n" + credentials("POST", path) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder text = new StringBuilder();
      while (true) {
        int b = in.read();
        if (b < 0) return List.of(text.toString());
        text.append((char) b);
        String t = text.toString();
        if (t.startsWith("HTTP/1.1 100") && t.endsWith("\r\n\r\n")) return List.of(t);
        // The final response ends with its JSON body (sent chunked: "0" and a blank line close it).
        if (t.endsWith("}}\r\n0\r\n\r\n") || t.endsWith("}}")) return List.of(t);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Another Vigil with an empty data directory, on the test clock. */
  private static ConfigurableApplicationContext freshServer() {
    return new SpringApplicationBuilder(VigilApplication.class, TestClockConfiguration.class)
        .properties("server.port=0", "vigil.data-dir=" + tempDir("vigil-api-lists-fresh-"))
        .properties(new HashMap<>(TestKeys.properties())).run();
  }

  // ---- reading a large list (watch/account: no other test here writes to it, so the page sizes are exact) ----

  @Test
  void aListLargerThanAPageIsReadExactlyOnceThroughTheCursor() {
    String prefix = id("shop");
    StringBuilder csv = new StringBuilder(HEADER);
    Set<String> values = new HashSet<>();
    for (int i = 0; i < 1_203; i++) {
      String value = prefix + "_" + i;
      values.add(value);
      csv.append("watch,account,").append(value).append(",card testing,partner-feed,\r\n");
    }
    assertEquals(1_203, num(imported(importCsv(base, csv.toString())).get("created")));

    List<Integer> sizes = new ArrayList<>();
    List<Map<String, Object>> read = new ArrayList<>();
    Object cursor = null;
    for (int page = 0; page < 10; page++) {
      ApiClient.Reply r = api.get("/v1/lists/entries?list=watch&entity=account&limit=500"
          + (cursor == null ? "" : "&starting_after=" + enc((String) cursor)));
      Map<String, Object> body = r.json();
      List<Map<String, Object>> rows = data(r);
      sizes.add(rows.size());
      read.addAll(rows);
      cursor = body.get("next_cursor");
      if (page == 0) {
        // An entry added while reading is newer than every page: it shifts nothing.
        create(entry("watch", "account", prefix + "_late", null, null, null));
      }
      if (!(Boolean) body.get("has_more")) {
        assertNull(cursor);
        break;
      }
    }
    Set<Object> ids = new HashSet<>(read.stream().map(e -> e.get("id")).toList());
    Set<Object> readValues = new HashSet<>(read.stream().map(e -> e.get("value")).filter(v -> ((String) v).startsWith(prefix)).toList());
    assertEquals(read.size(), ids.size(), "no entry twice");
    assertEquals(values, readValues, "every imported entry, and not the one added after the first page");
    assertEquals(List.of(500, 500, 203), sizes.subList(0, 3));

    // An export reads the list in pages of 1,000 (all these entries share one creation millisecond): each entry once.
    Set<Object> exported = new HashSet<>();
    for (Map<String, Object> e : exportedJson(api, "&list=watch&entity=account")) {
      if (((String) e.get("value")).startsWith(prefix)) exported.add(e.get("value"));
    }
    Set<Object> expected = new HashSet<>(values);
    expected.add(prefix + "_late");
    assertEquals(expected, exported);

    // The journal holds a create record for each imported entry, by the importer.
    long importedCreates = 0;
    Object changeCursor = null;
    for (int page = 0; page < 20; page++) {
      ApiClient.Reply r = api.get("/v1/lists/changes?limit=500" + (changeCursor == null ? "" : "&starting_after=" + changeCursor));
      for (Map<String, Object> c : data(r)) {
        if (ids.contains(c.get("entry_id")) && c.get("operation").equals("create") && c.get("actor").equals(TestAuth.actor(base, "POST", "/v1/lists/import"))) {
          importedCreates++;
        }
      }
      changeCursor = r.json().get("next_cursor");
      if (changeCursor == null) break;
    }
    assertEquals(1_203, importedCreates);
  }

  // ---- export and import --------------------------------------------------------------------

  @Test
  void anExportImportedIntoAFreshServerGivesTheSameListsInForce() {
    String uid = id("rt");
    String year = future(Duration.ofDays(365));
    create(entry("block", "ip", "198.51.100.0/24", "Botnet range, reported by \"acquirer\"\nsecond line", "acquirer-feed", year));
    create(entry("block", "merchant", "m_" + uid, "=HYPERLINK(\"http://example.com\")", "@partner-bank", null));
    create(entry("watch", "phone", "+8801712345678", "'tis odd", null, null));
    create(entry("allow", "account", "acct_" + uid, null, null, year));
    create(entry("exempt", "email_domain", uid.toLowerCase().replace('_', '-') + ".example.com", "  spaced  ", "-dash", null));
    create(entry("confirmed_fraud", "device", "dev_" + uid, "ring of mules", "case 77", null));

    Set<Map<String, Object>> source = exportedJson(api, "");
    assertTrue(source.contains(entry("block", "merchant", "m_" + uid, "=HYPERLINK(\"http://example.com\")", "@partner-bank", null)),
        source::toString);
    ApiClient.Reply csv = api.get("/v1/lists/export?format=csv");
    assertEquals(200, csv.status(), csv.body());
    assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
    assertTrue(csv.body().startsWith(HEADER), csv.body());
    assertTrue(csv.body().contains(",\"'=HYPERLINK(\"\"http://example.com\"\")\",'@partner-bank,"),
        "a cell a spreadsheet would run as a formula is written as text");
    String json = api.get("/v1/lists/export?format=json").body();

    try (ConfigurableApplicationContext fresh = freshServer()) {
      String freshBase = "http://localhost:" + fresh.getEnvironment().getProperty("local.server.port");
      ApiClient freshApi = new ApiClient(freshBase);
      Map<String, Object> result = imported(importCsv(freshBase, csv.body()));
      assertEquals(source.size(), num(result.get("rows")));
      assertEquals(source.size(), num(result.get("created")));
      assertEquals(0L, num(result.get("unchanged")));
      assertEquals(source, exportedJson(freshApi, ""), "the CSV round trip keeps every field");

      // The same lists as JSON: all already there, nothing changes.
      long before = newestChangeId(freshApi);
      Map<String, Object> again = imported(importJson(freshBase, json));
      assertEquals(0L, num(again.get("created")));
      assertEquals(source.size(), num(again.get("unchanged")));
      assertEquals(before, newestChangeId(freshApi));

      // In force on the fresh server for the next decision, recorded with the importer as actor.
      Map<String, Object> event = Events.payment(id("evt"), id("acct"), 1_000);
      event.put("ip", "198.51.100.7");
      ApiClient.Reply decided = freshApi.post("/v1/decisions", event);
      assertEquals(200, decided.status(), decided.body());
      assertEquals("DENY", decided.json().get("action"));
      assertEquals("list.block.ip", map(list(decided.json().get("reasons")).get(0)).get("rule_id"));
      Map<String, Object> stored = data(freshApi.get("/v1/lists/entries?list=block&entity=ip&value=" + enc("198.51.100.0/24"))).get(0);
      assertEquals(TestAuth.actor(base, "POST", "/v1/lists/import"), stored.get("created_by"));
    }
  }

  @Test
  void anExportLeavesOutExpiredEntries() {
    String value = id("dev");
    String soon = future(Duration.ofMinutes(1));
    String json = ApiClient.json(Map.of("entries", List.of(entry("watch", "device", value, null, null, soon))));
    assertEquals(1L, num(imported(importJson(base, json)).get("created")));
    assertTrue(exportedJson(api, "&list=watch&entity=device").contains(entry("watch", "device", value, null, null, soon)));
    TestClock.advance(Duration.ofMinutes(1).plusSeconds(1));
    assertFalse(exportedJson(api, "&list=watch&entity=device").stream().anyMatch(e -> e.get("value").equals(value)));
    assertEquals(1, data(api.get("/v1/lists/entries?list=watch&entity=device&value=" + value)).size(), "still stored, and listed");
  }

  @Test
  void importingAgainChangesNothingAndKeepsStoredEntriesThatTheFileDescribesOtherwise() {
    String uid = id("idem");
    String year = future(Duration.ofDays(365));
    String file = HEADER
        + "watch,merchant,m1_" + uid + ",card testing,partner,\r\n"
        + "watch,merchant,m2_" + uid + ",,,\r\n"
        + "block,account,a1_" + uid + ",mule,partner," + year + "\r\n"
        + "block,device,d1_" + uid + ",emulator farm,partner," + year + "\r\n";
    Map<String, Object> first = imported(importCsv(base, file));
    assertEquals(List.of(4L, 4L, 0L, 0L), List.of(num(first.get("rows")), num(first.get("created")), num(first.get("unchanged")),
        num(first.get("kept"))));
    long afterFirst = newestChangeId(api);

    Map<String, Object> second = imported(importCsv(base, file));
    assertEquals(0L, num(second.get("created")));
    assertEquals(4L, num(second.get("unchanged")));
    assertEquals(List.of(), second.get("kept_rows"));
    assertEquals(afterFirst, newestChangeId(api), "a repeated import journals nothing");
    assertEquals(1, data(api.get("/v1/lists/entries?list=watch&entity=merchant&value=m1_" + uid)).size());

    // The partner's file now gives d1 another reason and no expiry: the stored entry is kept and reported.
    String storedId = (String) data(api.get("/v1/lists/entries?list=block&entity=device&value=d1_" + uid)).get(0).get("id");
    Map<String, Object> changed = imported(importCsv(base, file.replace("emulator farm,partner," + year, "bot farm,partner,")));
    assertEquals(0L, num(changed.get("created")));
    assertEquals(3L, num(changed.get("unchanged")));
    assertEquals(1L, num(changed.get("kept")));
    assertEquals(List.of(Map.of("row", "lines[5]", "entry_id", storedId, "differs", List.of("reason", "expires_at"))),
        changed.get("kept_rows"));
    Map<String, Object> stored = api.get("/v1/lists/entries/" + storedId).json();
    assertEquals("emulator farm", stored.get("reason"));
    assertEquals(year, stored.get("expires_at"));
    assertEquals(afterFirst, newestChangeId(api));
  }

  @Test
  void concurrentImportsOfOneFileAddEachEntryOnce() throws Exception {
    String prefix = id("dev");
    StringBuilder csv = new StringBuilder(HEADER);
    for (int i = 0; i < 300; i++) csv.append("watch,device,").append(prefix).append('_').append(i).append(",shared feed,,\r\n");
    int importers = 4;
    ExecutorService pool = Executors.newFixedThreadPool(importers);
    try {
      List<Future<ApiClient.Reply>> replies = new ArrayList<>();
      for (int i = 0; i < importers; i++) replies.add(pool.submit(() -> importCsv(base, csv.toString())));
      long created = 0;
      long unchanged = 0;
      for (Future<ApiClient.Reply> reply : replies) {
        // Imports are serialized: a later one finds the earlier one's entries stored instead of clashing with them.
        Map<String, Object> r = imported(reply.get(60, TimeUnit.SECONDS));
        created += num(r.get("created"));
        unchanged += num(r.get("unchanged"));
      }
      assertEquals(300, created);
      assertEquals(300L * (importers - 1), unchanged);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aBadRowRefusesTheWholeFileNamingTheRowAndField() {
    String uid = id("bad");
    long before = newestChangeId(api);
    String good = "watch,merchant,g1_" + uid + ",,,\r\nwatch,merchant,g2_" + uid + ",,,\r\nwatch,merchant,g3_" + uid + ",,,\r\n";

    assertInvalid(importCsv(base, HEADER + good + "block,ip,999.1.1.1,,,\r\n"), "invalid_list_value", "lines[5].value");
    assertInvalid(importCsv(base, HEADER + good + "grey,ip,198.51.100.1,,,\r\n"), "invalid_list", "lines[5].list");
    assertInvalid(importCsv(base, HEADER + good + "block,planet,mars,,,\r\n"), "invalid_entity", "lines[5].entity");
    assertInvalid(importCsv(base, HEADER + good + "block,ip,,,,\r\n"), "missing_field", "lines[5].value");
    assertInvalid(importCsv(base, HEADER + "block,ip,198.51.100.1,,,2020-01-01T00:00:00Z\r\n" + good), "expires_in_past",
        "lines[2].expires_at");
    assertInvalid(importCsv(base, HEADER + "block,ip,198.51.100.1,,,tomorrow\r\n" + good), "invalid_timestamp", "lines[2].expires_at");
    assertInvalid(importCsv(base, HEADER + good + "block,ip,198.51.100.1,\"" + "x".repeat(1_025) + "\",,\r\n"), "value_too_long",
        "lines[5].reason");
    Map<String, Object> card = assertInvalid(importCsv(base, HEADER + good + "block,card," + PAN + ",,,\r\n"), "card_number_detected",
        "lines[5].value");
    assertFalse(card.get("message").toString().contains(PAN), "the card number is not repeated");
    assertInvalid(importCsv(base, HEADER + good + "block,card,tok_1,\"card " + PAN + " seen\",,\r\n"), "card_number_detected",
        "lines[5].reason");
    assertInvalid(importCsv(base, HEADER + "block,email_domain,Example.COM,,,\r\nblock,email_domain, example.com,,,\r\n"),
        "duplicate_entry", "lines[3].value");
    // A cell with a line break makes the row end on a later line: the error names the line it ends on.
    assertInvalid(importCsv(base, HEADER + "watch,merchant,g1_" + uid + ",\"two\nlines\",,\r\nblock,ip,x,,,\r\n"), "invalid_list_value",
        "lines[4].value");

    // The file itself: header, cells, quotes, encoding, format.
    assertInvalid(importCsv(base, "list,entity,value,colour\r\nblock,ip,198.51.100.1,red\r\n"), "unknown_field", "colour");
    assertInvalid(importCsv(base, "list,entity\r\nblock,ip\r\n"), "missing_field", "value");
    assertInvalid(importCsv(base, "list,entity,value,value\r\n"), "invalid_csv", "value");
    assertInvalid(importCsv(base, HEADER + good + "block,ip,198.51.100.1\r\n"), "invalid_csv", "lines[5]");
    assertInvalid(importCsv(base, HEADER + good + "block,ip,\"198.51.100.1,,,\r\n"), "invalid_csv", "lines[5]");
    assertInvalid(importCsv(base, ""), "invalid_csv", null);
    ApiClient.Reply latin1 = importFile(base, "csv", "text/csv",
        (HEADER + "watch,merchant,m_1,caf\u00e9,,\r\n").getBytes(StandardCharsets.ISO_8859_1));
    assertInvalid(latin1, "invalid_csv", null);
    assertInvalid(importFile(base, "xml", "text/csv", HEADER.getBytes(StandardCharsets.UTF_8)),
        "invalid_parameter", "format");
    assertInvalid(importCsv(base, HEADER + good + "block,ip,x,,,"), "invalid_list_value", "lines[5].value"); // no line break at the end

    // JSON rows are named by their index.
    String goodJson = "{\"list\":\"watch\",\"entity\":\"merchant\",\"value\":\"j1_" + uid + "\"}";
    assertInvalid(importJson(base, "{\"entries\":[" + goodJson + ",{\"list\":\"block\",\"entity\":\"ip\",\"value\":\"198.51.100.1\","
        + "\"colour\":\"red\"}]}"), "unknown_field", "entries[1].colour");
    assertInvalid(importJson(base, "{\"entries\":[" + goodJson + ",{\"list\":\"block\",\"entity\":\"ip\",\"value\":5}]}"),
        "wrong_type", "entries[1].value");
    assertInvalid(importJson(base, "{\"entries\":[" + goodJson + ",{\"list\":\"block\",\"entity\":\"card\",\"value\":\"" + PAN + "\"}]}"),
        "card_number_detected", "entries[1].value");
    assertInvalid(importJson(base, "{\"entries\":[" + goodJson + ",{\"list\":\"block\",\"list\":\"allow\"}]}"), "duplicate_field",
        "entries[1]");
    assertInvalid(importJson(base, "{\"entries\":[" + goodJson + ", 7]}"), "wrong_type", "entries[1]");
    assertInvalid(importJson(base, "{\"entries\":[" + goodJson + "], \"lists\": []}"), "unknown_field", "lists");
    assertInvalid(importJson(base, "{\"entries\":{}}"), "wrong_type", "entries");
    assertInvalid(importJson(base, "{}"), "missing_field", "entries");
    assertInvalid(importJson(base, "[" + goodJson + "]"), "invalid_json", null);
    assertInvalid(importJson(base, "{\"entries\":[" + goodJson), "invalid_json", "entries[0]");
    assertInvalid(importJson(base, "{\"entries\":[]} {}"), "invalid_json", null);

    assertEquals(before, newestChangeId(api), "nothing was journaled");
    for (String value : List.of("g1_", "g2_", "g3_", "j1_")) {
      assertEquals(List.of(), data(api.get("/v1/lists/entries?list=watch&entity=merchant&value=" + value + uid)), value);
    }
  }

  @Test
  void anOversizedFileIsRefusedAndChangesNothing() {
    long before = newestChangeId(api);
    // As curl does for a large file, the client declares the length and waits to be told to go on.
    // The server refuses on the declared length, before asking for the body: no 100 Continue.
    List<String> responses = expectContinue("/v1/lists/import?format=csv", Limits.LIST_IMPORT_BYTES_MAX + 1);
    assertEquals(1, responses.size(), () -> "one final response, no 100 Continue: " + responses);
    String response = responses.get(0);
    assertTrue(response.startsWith("HTTP/1.1 400"), response);
    assertTrue(response.contains("\"code\":\"body_too_large\""), response);
    assertTrue(response.contains("\"param\":null"), response);
    // Exactly at the limit the length is accepted: the server asks for the body.
    assertTrue(expectContinue("/v1/lists/import?format=csv", Limits.LIST_IMPORT_BYTES_MAX).get(0).startsWith("HTTP/1.1 100"));

    String uid = id("many");
    StringBuilder rows = new StringBuilder(HEADER);
    for (int i = 0; i <= 100_000; i++) rows.append("watch,merchant,").append(i).append('_').append(uid).append(",,,\r\n");
    assertInvalid(importCsv(base, rows.toString()), "too_many_items", "lines[100002]");
    assertEquals(before, newestChangeId(api));
    assertEquals(List.of(), data(api.get("/v1/lists/entries?list=watch&entity=merchant&value=0_" + uid)));
  }

  @Test
  void theEntryApiRefusesCardNumbersToo() {
    Map<String, Object> card = new LinkedHashMap<>(Map.of("list", "block", "entity", "card", "value", PAN));
    ApiClient.Reply r = ApiTestSupport.send(base, "POST", "/v1/lists/entries", ApiClient.json(card));
    Map<String, Object> error = assertInvalid(r, "card_number_detected", "value");
    assertFalse(r.body().contains(PAN));
    assertTrue(error.get("message").toString().contains("card tokens"));
    Map<String, Object> reason = new LinkedHashMap<>(Map.of("list", "block", "entity", "card", "value", "tok_" + id("c"),
        "reason", "seen with " + PAN));
    assertInvalid(ApiTestSupport.send(base, "POST", "/v1/lists/entries", ApiClient.json(reason)),
        "card_number_detected", "reason");
  }

  @Test
  void exportParametersAreChecked() {
    assertError(api.get("/v1/lists/export?format=xml"), 400, "invalid_request_error", "invalid_parameter", "format");
    assertInvalid(api.get("/v1/lists/export?list=grey"), "invalid_list", "list");
    assertInvalid(api.get("/v1/lists/export?entity=planet"), "invalid_entity", "entity");
    ApiClient.Reply empty = api.get("/v1/lists/export?format=csv&list=allow&entity=bin");
    assertEquals(HEADER, empty.body(), "an empty list exports its header row");
    assertEquals("attachment; filename=\"vigil-lists-allow-bin.csv\"", empty.headers().firstValue("Content-Disposition").orElse(""));
  }
}
