package io.vigil.server.api;

import static io.vigil.server.api.ApiTestSupport.data;
import static io.vigil.server.api.ApiTestSupport.id;
import static io.vigil.server.api.ApiTestSupport.map;
import static io.vigil.server.api.ApiTestSupport.num;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.server.audit.AuditHash;
import io.vigil.server.audit.AuditRepository;
import io.vigil.server.audit.AuditVerifier;
import io.vigil.server.security.AuditTestSignIn;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import io.vigil.server.support.OperatorSession;
import io.vigil.server.support.TestAuth;
import io.vigil.server.support.TestKeys;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The audit trail through the API, on a server of its own: an operator's changes (a session from
 * {@link AuditTestSignIn}, the stand-in for operator sign-in) and an API key's recorded with who,
 * route, entity, outcome, before and after; key administration recorded without the issued secret;
 * refused attempts (no signature, an unknown key, a missing permission) recorded with the claimed
 * key id; a sign-in attempt recorded with the claimed username and without its password; decisions
 * not recorded; the rows queried, exported and verified; and no secret anywhere in the table.
 */
@Import(AuditTestSignIn.class)
class AuditTrailApiTest extends ServerTestBase {
  private static final String OFFICER = "audit.officer";
  private static final Path DATA_DIR = tempDir("vigil-api-audit-");
  /** Values a careless client might send; obviously generated, and never to be found in the table. */
  private static final String PASSWORD = "pw-" + id("gen");
  private static final String TOTP = "918273";
  private static final String RECOVERY_CODE = "rc-" + id("gen");
  private static final String SECRET = "sk-" + id("gen");

  @Autowired
  HikariDataSource dataSource;

  @Autowired
  AuditRepository trail;

  private OperatorSession officer;
  /** The suite's own operator sessions, put back after each test. */
  private Function<String, OperatorSession> suiteSessions;

  @DynamicPropertySource
  static void ownDataDir(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    storeAsAsked(registry);
  }

  /** An operator who may change policy, restrict accounts, manage keys and read the trail, with a fresh step-up. */
  @BeforeEach
  void signIn() {
    officer = AuditTestSignIn.signIn(base, OFFICER, "administrator,rule_author,supervisor");
    suiteSessions = OperatorSession.use(b -> officer);
  }

  @AfterEach
  void signOut() {
    OperatorSession.use(suiteSessions);
  }

  private ApiClient.Reply raw(String method, String path, String json, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    if (headers.length > 0) b.headers(headers);
    if (json != null) b.header("Content-Type", "application/json");
    b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    return api.sendAsIs(b);
  }

  /** The newest rows matching the query until one satisfies the check (denials are written without waiting). */
  private List<Map<String, Object>> awaitRows(String query, Predicate<List<Map<String, Object>>> check) throws InterruptedException {
    List<Map<String, Object>> rows = List.of();
    for (int i = 0; i < 100; i++) {
      ApiClient.Reply r = api.get("/v1/audit" + query);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      rows = data(r);
      if (check.test(rows)) return rows;
      Thread.sleep(50);
    }
    return rows;
  }

  private static Map<String, Object> rule(String id, int points) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", id);
    r.put("description", "audit test rule");
    r.put("event_types", List.of("payment"));
    r.put("expression", "event.amount > 1000000");
    r.put("effect", Map.of("points", points));
    r.put("reason", "audit test");
    return r;
  }

  @Test
  void policyChangesAreRecordedWithBeforeAndAfter() throws InterruptedException {
    String ruleId = "audit_rule_" + id("r").replace('-', '_').toLowerCase();
    ApiClient.Reply created = api.post("/v1/rules", rule(ruleId, 10));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    long v1 = num(created.json().get("policy_version"));
    ApiClient.Reply updated = api.put("/v1/rules/" + ruleId, rule(ruleId, 20));
    assertThat(updated.status()).as(updated.body()).isEqualTo(200);

    List<Map<String, Object>> rows = awaitRows("?entity_type=rule&entity_id=" + ruleId, r -> r.size() >= 1);
    assertThat(rows).hasSize(1);
    Map<String, Object> update = rows.get(0);
    assertThat(map(update.get("actor"))).containsEntry("kind", "operator").containsEntry("id", OFFICER);
    assertThat(update.get("method")).isEqualTo("PUT");
    assertThat(update.get("route")).isEqualTo("/v1/rules/{id}");
    assertThat(update.get("action")).isEqualTo("rule.update");
    assertThat(update.get("status")).isEqualTo(200);
    assertThat(update.get("source_ip")).isEqualTo("127.0.0.1");
    assertThat(map(map(update.get("before")).get("rule")).get("effect")).isEqualTo(Map.of("points", 10));
    assertThat(num(map(update.get("before")).get("policy_version"))).isEqualTo(v1);
    assertThat(map(map(update.get("after")).get("rule")).get("effect")).isEqualTo(Map.of("points", 20));
    assertThat(num(map(update.get("after")).get("policy_version"))).isEqualTo(v1 + 1);

    List<Map<String, Object>> creates = awaitRows("?action=rule.create", r -> !r.isEmpty());
    Map<String, Object> create = creates.stream().filter(r -> ruleId.equals(map(map(r.get("after")).get("rule")).get("id")))
        .findFirst().orElseThrow();
    assertThat(map(create.get("before")).get("rule")).isNull();
    assertThat(create.get("status")).isEqualTo(201);
  }

  @Test
  void aRefusedChangeIsRecordedWithoutTheSecretsItsBodyHeld() throws InterruptedException {
    String account = id("acc");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", "freeze");
    body.put("reason", "audit test");
    body.put("password", PASSWORD);
    body.put("totp_code", TOTP);
    body.put("recovery_code", RECOVERY_CODE);
    body.put("secret", SECRET);
    ApiClient.Reply r = api.post("/v1/accounts/" + account + "/restrictions", body);
    assertThat(r.status()).isEqualTo(400);
    List<Map<String, Object>> rows = awaitRows("?entity_type=account&entity_id=" + account, x -> !x.isEmpty());
    assertThat(rows).hasSize(1);
    Map<String, Object> row = rows.get(0);
    assertThat(row.get("status")).isEqualTo(400);
    assertThat(row.get("error_code")).isEqualTo("unknown_field");
    assertThat(map(row.get("after"))).containsEntry("reason", "audit test").containsEntry("password", "[redacted]")
        .containsEntry("secret", "[redacted]");
    assertNoSecretInTheTable();
  }

  @Test
  void restrictionsAndListEntriesAreRecordedAndDecisionsAreNot() throws InterruptedException {
    String account = id("acc");
    ApiClient.Reply restricted = api.post("/v1/accounts/" + account + "/restrictions", Map.of("kind", "freeze", "reason", "audit test"));
    assertThat(restricted.status()).as(restricted.body()).isEqualTo(201);
    String restrictionId = (String) restricted.json().get("id");
    ApiClient.Reply lifted = api.post("/v1/accounts/" + account + "/restrictions/" + restrictionId + "/lift", Map.of("reason", "done"));
    assertThat(lifted.status()).as(lifted.body()).isEqualTo(200);
    List<Map<String, Object>> rows = awaitRows("?entity_type=account&entity_id=" + account, x -> x.size() >= 2);
    assertThat(rows).extracting(x -> x.get("action")).containsExactly("account.lift", "account.restrict");
    Map<String, Object> lift = rows.get(0);
    assertThat(map(lift.get("before")).get("lifted_at")).isNull();
    assertThat(map(lift.get("after")).get("lifted_at")).isNotNull();
    assertThat(map(lift.get("path_params"))).containsEntry("restrictionId", restrictionId);
    assertThat(map(lift.get("actor"))).containsEntry("id", OFFICER);

    ApiClient.Reply entry = api.post("/v1/lists/entries", Map.of("list", "block", "entity", "device", "value", id("dev"),
        "reason", "audit test"));
    assertThat(entry.status()).as(entry.body()).isEqualTo(201);
    String entryId = (String) entry.json().get("id");
    assertThat(api.delete("/v1/lists/entries/" + entryId).status()).isEqualTo(200);
    List<Map<String, Object>> entryRows = awaitRows("?entity_type=list_entry&entity_id=" + entryId, x -> !x.isEmpty());
    assertThat(entryRows).extracting(x -> x.get("action")).containsExactly("list.create");
    assertThat(map(entryRows.get(0).get("actor"))).containsEntry("kind", "api_key").containsEntry("id", TestKeys.KEY_ID);
    List<Map<String, Object>> deletes = awaitRows("?entity_type=entry&entity_id=" + entryId, x -> !x.isEmpty());
    assertThat(deletes.get(0).get("after")).isNull();
    assertThat(map(deletes.get(0).get("before")).get("id")).isEqualTo(entryId);

    long before = trail.count();
    ApiClient.Reply decided = api.post("/v1/decisions", Events.payment(id("evt"), id("acc"), 500));
    assertThat(decided.status()).as(decided.body()).isEqualTo(200);
    assertThat(trail.query(AuditRepository.Filter.ALL, null, 5))
        .noneMatch(x -> "/v1/decisions".equals(x.entry().route()) && "POST".equals(x.entry().method()));
    assertThat(trail.count()).as("an accepted decision adds no row").isEqualTo(before);
  }

  @Test
  void theTrailIsExportedAndVerifies() throws InterruptedException {
    api.post("/v1/accounts/" + id("acc") + "/lock", Map.of("reason", "audit export"));
    awaitRows("?action=account.lock", x -> !x.isEmpty());
    ApiClient.Reply jsonl = api.get("/v1/audit/export");
    assertThat(jsonl.status()).isEqualTo(200);
    String[] lines = jsonl.body().split("\n");
    assertThat(lines).isNotEmpty();
    assertThat(lines[0]).startsWith("{\"seq\":1,");
    ApiClient.Reply csv = api.get("/v1/audit/export?format=csv&action=account.lock");
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.body()).startsWith("seq,at,actor_kind").contains("account.lock");
    assertThat(api.get("/v1/audit/export?format=xml").status()).isEqualTo(400);
    assertThat(api.get("/v1/audit?outcome=maybe").status()).isEqualTo(400);
    AuditVerifier.Result r = AuditVerifier.verify(trail, 0, AuditHash.GENESIS);
    assertThat(r.intact()).as("%s", r.finding()).isTrue();
    assertThat(r.rowsChecked()).isEqualTo(trail.count());
  }

  @Test
  void refusedAttemptsAreRecordedWithWhatTheCallerClaimed() throws InterruptedException {
    String entry = ApiClient.json(Map.of("list", "block", "entity", "device", "value", id("dev"), "reason", "audit test"));
    assertThat(raw("POST", "/v1/lists/entries", entry).status()).as("no signature").isEqualTo(401);
    String unknownKey = "vk_unknown_" + id("k").replace('-', '_');
    List<String> forged = TestAuth.signature(unknownKey, "vks_" + id("forged"), "POST", "/v1/lists/entries",
        entry.getBytes(StandardCharsets.UTF_8));
    assertThat(raw("POST", "/v1/lists/entries", entry, forged.toArray(String[]::new)).status()).as("unknown key").isEqualTo(401);
    List<String> keySigned = TestAuth.signature("PUT", "/v1/rules/large_payment", ApiClient.json(rule("large_payment", 1))
        .getBytes(StandardCharsets.UTF_8));
    assertThat(raw("PUT", "/v1/rules/large_payment", ApiClient.json(rule("large_payment", 1)), keySigned.toArray(String[]::new))
        .status()).as("a key may not change policy").isEqualTo(403);
    assertThat(raw("POST", "/v1/decisions", ApiClient.json(Events.payment(id("evt"), id("acc"), 500))).status())
        .as("an unsigned decision request").isEqualTo(401);

    List<Map<String, Object>> claimed = awaitRows("?actor=" + unknownKey, x -> !x.isEmpty());
    assertThat(claimed).hasSize(1);
    assertThat(map(claimed.get(0).get("actor"))).containsEntry("kind", "anonymous").containsEntry("claimed_id", unknownKey);
    assertThat(claimed.get(0).get("status")).isEqualTo(401);
    assertThat(claimed.get(0).get("route")).isEqualTo("/v1/lists/entries");
    List<Map<String, Object>> denied = awaitRows("?outcome=denied&actor=" + TestKeys.KEY_ID, x -> !x.isEmpty());
    assertThat(denied.get(0)).containsEntry("status", 403).containsEntry("error_code", "permission_denied")
        .containsEntry("route", "/v1/rules/{id}");
    assertThat(map(denied.get(0).get("entity"))).containsEntry("type", "rule").containsEntry("id", "large_payment");
    List<Map<String, Object>> anonymous = awaitRows("?outcome=denied&actor_kind=anonymous", x -> x.size() >= 3);
    assertThat(anonymous).anyMatch(x -> "/v1/decisions".equals(x.get("route")) && "authentication_required".equals(x.get("error_code")));
    assertThat(anonymous).anyMatch(x -> "/v1/lists/entries".equals(x.get("route")) && map(x.get("actor")).get("claimed_id") == null);
  }

  @Test
  void keyAdministrationAndSignInAttemptsAreRecordedWithoutSecrets() throws InterruptedException {
    ApiClient.Reply issued = api.post("/v1/api-keys", Map.of("owner", "audit-test", "scopes", List.of("read")));
    assertThat(issued.status()).as(issued.body()).isEqualTo(201);
    String keyId = (String) issued.json().get("id");
    String issuedSecret = (String) issued.json().get("secret");
    assertThat(api.post("/v1/api-keys/" + keyId + "/revoke", Map.of()).status()).isEqualTo(200);
    List<Map<String, Object>> keyRows = awaitRows("?entity_type=api_key&entity_id=" + keyId, x -> !x.isEmpty());
    assertThat(keyRows).isNotEmpty();
    assertThat(map(keyRows.get(0).get("actor"))).containsEntry("id", OFFICER);
    List<Map<String, Object>> issues = awaitRows("?actor=" + OFFICER + "&outcome=success", x -> x.stream()
        .anyMatch(r -> "/v1/api-keys".equals(r.get("route")) && "POST".equals(r.get("method"))));
    Map<String, Object> issue = issues.stream().filter(r -> "/v1/api-keys".equals(r.get("route")) && "POST".equals(r.get("method")))
        .findFirst().orElseThrow();
    assertThat(map(issue.get("after"))).containsEntry("owner", "audit-test");

    String username = "op.mallory";
    ApiClient.Reply login = raw("POST", "/v1/auth/login", ApiClient.json(Map.of("username", username, "password", PASSWORD)));
    assertThat(login.status()).isGreaterThanOrEqualTo(400);
    List<Map<String, Object>> attempts = awaitRows("?actor=" + username, x -> !x.isEmpty());
    assertThat(attempts).hasSize(1);
    assertThat(map(attempts.get(0).get("actor"))).containsEntry("kind", "anonymous").containsEntry("claimed_id", username);
    assertThat(map(attempts.get(0).get("after"))).containsEntry("password", "[redacted]");
    assertThat(attempts.get(0).get("status")).isEqualTo(login.status());

    assertNoSecretInTheTable(issuedSecret, TestKeys.SECRET, officer.csrfToken(), officer.cookie().substring(officer.cookie().indexOf('=') + 1));
  }

  @Test
  void operatorsReadsAreRecordedAndKeysMayNotReadTheTrail() throws InterruptedException {
    String account = id("acc");
    assertThat(raw("GET", "/v1/accounts/" + account + "/restrictions", null, "Cookie", officer.cookie()).status()).isEqualTo(200);
    List<Map<String, Object>> reads = awaitRows("?entity_type=account&entity_id=" + account, x -> !x.isEmpty());
    assertThat(reads.get(0)).containsEntry("method", "GET").containsEntry("action", "account.list");
    List<String> keySigned = TestAuth.signature("GET", "/v1/audit", null);
    ApiClient.Reply refused = raw("GET", "/v1/audit", null, keySigned.toArray(String[]::new));
    assertThat(refused.status()).isEqualTo(403);
  }

  /** Every column of every row, as text: none holds a secret the tests sent, nor the source address in clear. */
  private void assertNoSecretInTheTable(String... more) {
    StringBuilder all = new StringBuilder();
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM audit_trail")) {
      ResultSetMetaData meta = rs.getMetaData();
      while (rs.next()) {
        for (int i = 1; i <= meta.getColumnCount(); i++) all.append(rs.getString(i)).append('\n');
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    assertThat(all.toString()).isNotEmpty().doesNotContain(PASSWORD, TOTP, RECOVERY_CODE, SECRET, "127.0.0.1");
    for (String secret : more) assertThat(all.toString()).doesNotContain(secret);
  }
}
