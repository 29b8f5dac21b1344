package io.vigil.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.journal.VerifyJournalCommand;
import io.vigil.server.storage.Storage;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.ChildServer;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestDatabases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Personal data at rest, end to end on a real server (a child process with its own data directory)
 * and a real store: decisions and list changes carrying distinctive generated personal values, a
 * checkpoint, an erasure and a key rotation; then every file under the data directory (database
 * files, window store, checkpoints, keys, the server's log) and every row of every table is searched
 * for each value in clear. A generated merchant id, stored in clear by design, is the control that
 * the search sees plaintext where there is some.
 */
class PersonalDataAtRestTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** A start on a shared, busy 2-core machine has taken a minute. */
  private static final long HEALTHY_SECONDS = 240;

  /** One person's generated values. */
  record Person(String account, String phone, String email, String ip, String deviceId, String fingerprint, String userAgent,
      String nationalId) {
    static Person generate(String label) {
      String r = hex(6);
      return new Person("acct-pd-" + label + "-" + r, "+8801" + digits(9), "pd." + label + "." + hex(5) + "@example.test",
          "2001:db8:" + group() + ":" + group() + "::" + group(), "dev-pd-" + hex(8), "fp-pd-" + hex(10),
          "PdAgent/" + hex(6), "NID" + digits(13));
    }

    List<String> values() {
      return List.of(phone, email, ip, deviceId, fingerprint, userAgent, nationalId);
    }
  }

  @Test
  void embeddedH2KeepsNoPersonalValueInClear() throws Exception {
    Path dir = Files.createTempDirectory("vigil-pd-h2-");
    scenario(dir, List.of(), null);
  }

  @Test
  void postgresqlKeepsNoPersonalValueInClear() throws Exception {
    Path dir = Files.createTempDirectory("vigil-pd-pg-");
    TestDatabases.Store store = TestDatabases.postgres();
    scenario(dir, List.of("--vigil.storage.url=" + store.url(), "--vigil.storage.username=" + store.username()), store);
  }

  private void scenario(Path dir, List<String> storeArgs, TestDatabases.Store store) throws Exception {
    Person a = Person.generate("a");
    Person b = Person.generate("b");
    Person c = Person.generate("c");
    String merchant = "mrc-pd-canary-" + hex(8);
    List<String> args = new ArrayList<>(storeArgs);
    args.add("--vigil.checkpoints.interval-seconds=10");
    // A shared, busy machine must not turn a decision into a 503 (the overload tests set their own budgets).
    args.add("--vigil.decisions.admission-budget-millis=10000");
    args.add("--vigil.decisions.reply-timeout-millis=20000");
    ChildServer server = ChildServer.start(dir, List.of("-Xmx384m"), args);
    try {
      server.awaitHealthy(HEALTHY_SECONDS);
      ApiClient api = server.api;
      // Operator-only changes go through the server's test hook (the services the routes call):
      // this test is about what is stored; PersonalDataApiTest covers the routes.
      hook(server, "pd-rule", "pd-done rule");
      // A's phone on the watch list, B's IP on the block list: matched by keyed hash.
      String watchId = createEntry(api, "watch", "phone", a.phone());
      createEntry(api, "block", "ip", b.ip());

      String aFirst = decide(api, "evt-pd-a1-" + hex(4), a, merchant);
      String aSecond = decide(api, "evt-pd-a2-" + hex(4), a, merchant);
      String bFirst = decide(api, "evt-pd-b1-" + hex(4), b, merchant);

      Map<String, Object> aRead = api.get("/v1/decisions/" + aFirst).json();
      assertThat(event(aRead)).containsEntry("phone", a.phone()).containsEntry("email", a.email()).containsEntry("ip", a.ip());
      assertThat(device(aRead)).containsEntry("id", a.deviceId()).containsEntry("fingerprint", a.fingerprint());
      assertThat(identity(aRead)).containsEntry("national_id", a.nationalId());
      assertThat(reasons(aRead)).as("the watch list found A's phone by its keyed hash: %s", aRead).anyMatch(r -> r.contains("\"lists.watch.phone\":true"));
      assertThat(reasons(aRead)).as("the stored response opens for the reader").anyMatch(r -> r.contains(a.email()));
      Map<String, Object> bRead = api.get("/v1/decisions/" + bFirst).json();
      assertThat(reasons(bRead)).as("the block list found B's IP by its keyed hash").anyMatch(r -> r.contains("\"rule_id\":\"list.block.ip\""));
      assertThat(api.get("/v1/lists/entries/" + watchId).json()).containsEntry("value", a.phone());
      assertThat(api.get("/v1/lists/entries?list=watch&entity=phone&value=" + a.phone().replace("+", "%2B")).body())
          .contains(watchId);
      assertThat(api.get("/v1/lists/changes").body()).contains(a.phone()).contains(b.ip());

      checkpoint(dir, server, api, b, merchant);

      // Erasure: A's key destroyed; A's fields read as erased, B's are intact.
      hook(server, "pd-erase " + a.account(), "pd-done erase keys_destroyed=1");
      Map<String, Object> aAfter = api.get("/v1/decisions/" + aSecond).json();
      assertThat(event(aAfter)).containsEntry("phone", SealedValues.ERASED).containsEntry("email", SealedValues.ERASED)
          .containsEntry("ip", SealedValues.ERASED).containsEntry("account_id", a.account());
      assertThat(reasons(aAfter)).noneMatch(r -> r.contains(a.email())).anyMatch(r -> r.contains(SealedValues.ERASED));
      assertThat(event(api.get("/v1/decisions/" + bFirst).json())).containsEntry("phone", b.phone()).containsEntry("ip", b.ip());

      // Rotation: a new primary, every data key re-wrapped, the old master key removed; old data
      // still reads, new data is wrapped under the new key.
      String rotated = hook(server, "pd-rotate", "pd-done rotate");
      assertThat(rotated).as("the old master key removed, B's and the lists' keys re-wrapped")
          .contains(" removed=1 keys=1").containsPattern(" rewrapped=([2-9]|[1-9][0-9]+) ");
      long primary = Long.parseLong(rotated.replaceAll(".* primary=([0-9]+) .*", "$1"));
      assertThat(event(api.get("/v1/decisions/" + bFirst).json())).containsEntry("email", b.email());
      assertThat(api.get("/v1/lists/entries/" + watchId).json()).containsEntry("value", a.phone());
      String cFirst = decide(api, "evt-pd-c1-" + hex(4), c, merchant);
      assertThat(event(api.get("/v1/decisions/" + cFirst).json())).containsEntry("phone", c.phone());
      checkpoint(dir, server, api, c, merchant); // a checkpoint under the new key, for the restart

      server.stop();
      List<String> rows = store == null ? h2Rows(dir) : postgresRows(store);
      assertThat(rows.stream().filter(row -> row.startsWith("personal_data_keys:") && !row.contains("erased"))).isNotEmpty();
      assertThat(masterKeysOfLiveDataKeys(dir, store)).as("every live data key is wrapped under the new primary")
          .containsOnly(primary);

      // Nothing in clear, anywhere.
      List<String> everything = new ArrayList<>(List.of(a, b, c).stream().flatMap(p -> p.values().stream()).toList());
      Map<String, List<Path>> inFiles = search(dir, everything);
      assertThat(inFiles).as("personal values in clear in files under the data directory").isEmpty();
      for (String v : everything) {
        assertThat(rows).as("a table row holds a personal value in clear").noneMatch(row -> row.contains(v));
      }
      // The controls: the merchant id is stored in clear, and the search finds it.
      assertThat(rows).anyMatch(row -> row.contains(merchant));
      if (store == null) assertThat(search(dir, List.of(merchant))).as("the search sees plaintext in the H2 file").isNotEmpty();

      // The chain verifies without any key.
      String[] verify = store == null
          ? new String[] {"verify-journal", "--data-dir", dir.toString()}
          : new String[] {"verify-journal", "--data-dir", dir.toString(), "--storage-url", store.url(), "--storage-username",
              store.username()};
      assertThat(VerifyJournalCommand.run(verify)).as("verify-journal exit status").isZero();

      // A restart starts from the checkpoint sealed under the new key; erasure and values hold.
      ChildServer again = ChildServer.start(dir, List.of("-Xmx384m"), args);
      try {
        again.awaitHealthy(HEALTHY_SECONDS);
        assertThat(again.logText()).contains("after the checkpoint of sequence");
        assertThat(event(again.api.get("/v1/decisions/" + aFirst).json())).containsEntry("phone", SealedValues.ERASED);
        assertThat(event(again.api.get("/v1/decisions/" + cFirst).json())).containsEntry("email", c.email());
      } finally {
        again.stop();
      }
      assertThat(search(dir, everything)).as("nor in the second run's log").isEmpty();
    } finally {
      server.close();
    }
  }

  /** Sends a hook command and returns the line the server prints when it is done. */
  private static String hook(ChildServer server, String command, String donePrefix) throws Exception {
    int before = server.logText().split("\n", -1).length;
    server.command(command);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      String[] lines = server.logText().split("\n", -1);
      for (int i = before - 1; i < lines.length; i++) {
        if (i >= 0 && lines[i].startsWith(donePrefix)) return lines[i];
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no '" + donePrefix + "' after " + command + ": " + server.describe());
  }

  /** Advances the server's clock past the checkpoint interval and decides once more; waits for the checkpoint. */
  private static void checkpoint(Path dir, ChildServer server, ApiClient api, Person p, String merchant) throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    long before = newest(checkpoints);
    server.command("advance-clock 15");
    Thread.sleep(200);
    decide(api, "evt-pd-ck-" + hex(4), p, merchant);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (newest(checkpoints) <= before && System.nanoTime() < deadline) {
      decide(api, "evt-pd-ck-" + hex(4), p, merchant);
      Thread.sleep(300);
    }
    assertThat(newest(checkpoints)).as("a checkpoint was written").isGreaterThan(before);
  }

  /** The newest checkpoint's sequence, 0 when there is none (older ones are pruned). */
  private static long newest(Path checkpoints) throws IOException {
    if (!Files.isDirectory(checkpoints)) return 0;
    try (Stream<Path> s = Files.list(checkpoints)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9]{19}")).mapToLong(Long::parseLong).max().orElse(0);
    }
  }

  private static String decide(ApiClient api, String eventId, Person p, String merchant) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("event_id", eventId);
    e.put("type", "payment");
    e.put("occurred_at", TestClock.now().toString());
    e.put("account_id", p.account());
    e.put("merchant_id", merchant);
    e.put("amount", 1_250);
    e.put("currency", "USD");
    e.put("ip", p.ip());
    e.put("phone", p.phone());
    e.put("email", p.email());
    e.put("device", Map.of("id", p.deviceId(), "fingerprint", p.fingerprint(), "user_agent", p.userAgent()));
    e.put("identity", Map.of("national_id", p.nationalId(), "national_id_type", "bd_nid", "date_of_birth", "14-03-1987"));
    ApiClient.Reply reply = api.post("/v1/decisions", e);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.body()).as("the caller gets the response as decided").contains(p.email());
    return (String) reply.json().get("decision_id");
  }

  private static String createEntry(ApiClient api, String list, String entity, String value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("list", list);
    m.put("entity", entity);
    m.put("value", value);
    m.put("reason", "privacy test");
    ApiClient.Reply r = api.post("/v1/lists/entries", m);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return (String) r.json().get("id");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> event(Map<String, Object> record) {
    return (Map<String, Object>) record.get("event");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> device(Map<String, Object> record) {
    return (Map<String, Object>) event(record).get("device");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> identity(Map<String, Object> record) {
    return (Map<String, Object>) event(record).get("identity");
  }

  @SuppressWarnings("unchecked")
  private static List<String> reasons(Map<String, Object> record) {
    Map<String, Object> decision = (Map<String, Object>) record.get("decision");
    return ((List<Map<String, Object>>) decision.get("reasons")).stream().map(ApiClient::json).toList();
  }

  /** The files under {@code dir} holding each value (its UTF-8 bytes), by value; empty when none does. */
  private static Map<String, List<Path>> search(Path dir, List<String> values) throws IOException {
    Map<String, List<Path>> found = new LinkedHashMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    for (Path f : files) {
      byte[] content = Files.readAllBytes(f);
      for (String v : values) {
        if (indexOf(content, v.getBytes(StandardCharsets.UTF_8)) >= 0
            || indexOf(content, v.getBytes(StandardCharsets.UTF_16BE)) >= 0) {
          found.computeIfAbsent(v, k -> new ArrayList<>()).add(f);
        }
      }
    }
    return found;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }

  /** Every row of every table of the embedded store, as "table: row text". */
  private static List<String> h2Rows(Path dir) throws SQLException {
    try (Connection c = DriverManager.getConnection(Storage.embeddedUrl(dir.toString()) + ";IFEXISTS=TRUE",
        "", "")) {
      return rows(c, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'PUBLIC' AND table_type = 'BASE TABLE'");
    }
  }

  /** Every row of every table (partitions included) of the PostgreSQL schema, as "table: row text". */
  private static List<String> postgresRows(TestDatabases.Store store) throws SQLException {
    try (Connection c = DriverManager.getConnection(store.url(), store.username(), "")) {
      return rows(c, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
          + " AND table_type = 'BASE TABLE'");
    }
  }

  private static List<String> rows(Connection c, String tablesSql) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(tablesSql)) {
      while (rs.next()) tables.add(rs.getString(1));
    }
    assertThat(tables).extracting(String::toLowerCase).contains("decisions", "list_entries", "list_changes", "personal_data_keys");
    List<String> out = new ArrayList<>();
    for (String t : tables) {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM \"" + t + "\"")) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          StringBuilder row = new StringBuilder(t.toLowerCase()).append(':');
          for (int i = 1; i <= n; i++) {
            Object v = rs.getObject(i);
            row.append(' ').append(v instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(v));
            if (rs.getMetaData().getColumnName(i).equalsIgnoreCase("erased_at_millis") && rs.getLong(i) != 0) row.append(" erased");
          }
          out.add(row.toString());
        }
      }
    }
    return out;
  }

  private static List<Long> masterKeysOfLiveDataKeys(Path dir, TestDatabases.Store store) throws SQLException {
    String url = store == null ? Storage.embeddedUrl(dir.toString()) + ";IFEXISTS=TRUE" : store.url();
    try (Connection c = DriverManager.getConnection(url, store == null ? "" : store.username(), "");
        PreparedStatement ps = c.prepareStatement("SELECT master_key_id FROM personal_data_keys WHERE wrapped_key IS NOT NULL");
        ResultSet rs = ps.executeQuery()) {
      List<Long> out = new ArrayList<>();
      while (rs.next()) out.add(rs.getLong(1));
      return out;
    }
  }

  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** An IPv6 group of four hex digits without a leading zero (as the canonical form writes it). */
  private static String group() {
    return Integer.toHexString(0x1000 + RANDOM.nextInt(0xf000));
  }

  private static String digits(int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) s.append(RANDOM.nextInt(10));
    return s.toString();
  }
}
