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
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The audit trail through the API, on a server of its own: changes recorded with who, route, entity,
 * outcome, before and after; a refused change recorded without the secrets its body held; decisions
 * not recorded; the rows queried, exported and verified; and no secret anywhere in the table.
 */
class AuditTrailApiTest extends ServerTestBase {
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

  @DynamicPropertySource
  static void ownDataDir(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    storeAsAsked(registry);
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

    ApiClient.Reply entry = api.post("/v1/lists/entries", Map.of("list", "block", "entity", "device", "value", id("dev"),
        "reason", "audit test"));
    assertThat(entry.status()).as(entry.body()).isEqualTo(201);
    String entryId = (String) entry.json().get("id");
    assertThat(api.delete("/v1/lists/entries/" + entryId).status()).isEqualTo(200);
    List<Map<String, Object>> entryRows = awaitRows("?entity_type=list_entry&entity_id=" + entryId, x -> !x.isEmpty());
    assertThat(entryRows).extracting(x -> x.get("action")).containsExactly("list.create");
    List<Map<String, Object>> deletes = awaitRows("?entity_type=entry&entity_id=" + entryId, x -> !x.isEmpty());
    assertThat(deletes.get(0).get("after")).isNull();
    assertThat(map(deletes.get(0).get("before")).get("id")).isEqualTo(entryId);

    long before = trail.count();
    ApiClient.Reply decided = api.post("/v1/decisions", Events.payment(id("evt"), id("acc"), 500));
    assertThat(decided.status()).as(decided.body()).isEqualTo(200);
    assertThat(awaitRows("?limit=5", x -> true)).noneMatch(x -> "/v1/decisions".equals(x.get("route")) && "POST".equals(x.get("method")));
    assertThat(trail.count()).isEqualTo(before);
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

  /** Every column of every row, as text: none holds a secret the tests sent. */
  private void assertNoSecretInTheTable() {
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
  }
}
