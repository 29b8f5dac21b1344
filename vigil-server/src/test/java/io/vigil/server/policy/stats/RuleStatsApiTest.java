package io.vigil.server.policy.stats;

import static io.vigil.server.api.ApiTestSupport.assertError;
import static io.vigil.server.api.ApiTestSupport.assertInvalid;
import static io.vigil.server.api.ApiTestSupport.data;
import static io.vigil.server.api.ApiTestSupport.list;
import static io.vigil.server.api.ApiTestSupport.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.server.api.ApiTestSupport;
import io.vigil.server.api.ServerTestBase;
import io.vigil.server.cases.CaseOpener;
import io.vigil.server.security.Role;
import io.vigil.server.storage.Sql;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Rule statistics and reviews over the API, on a server of their own whose background roll-up is
 * off: the tests roll the journal up themselves, so each count is exact and the cursor's restarts
 * are theirs. Each test starts on a day of its own (the test clock moves to the next UTC day).
 */
class RuleStatsApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-rule-stats-");

  @DynamicPropertySource
  static void ownServer(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    registry.add("vigil.rule-stats.enabled", () -> "false");
    storeAsAsked(registry);
  }

  @Autowired
  RuleStatsRollup rollup;
  @Autowired
  CaseOpener caseOpener;
  @Autowired
  HikariDataSource dataSource;

  /** Moves the test clock to 10:00 UTC of the next day (a day no other test decided on) and returns that day. */
  private static LocalDate nextDay() {
    Instant now = TestClock.now();
    Instant next = now.atZone(ZoneOffset.UTC).toLocalDate().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(10));
    TestClock.advance(Duration.between(now, next));
    return next.atZone(ZoneOffset.UTC).toLocalDate();
  }

  private void createRule(String id, String expression, Map<String, Object> effect) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", id);
    r.put("event_types", List.of("payment"));
    r.put("expression", expression);
    r.put("effect", effect);
    r.put("reason", "rule statistics test");
    ApiClient.Reply created = api.post("/v1/rules", r);
    assertEquals(201, created.status(), created.body());
  }

  private String pay(String account) {
    ApiClient.Reply d = api.post("/v1/decisions", Events.payment(ApiTestSupport.id("ev"), account, 1_200));
    assertEquals(200, d.status(), d.body());
    return (String) d.json().get("decision_id");
  }

  private void label(String decisionId, String verdict) {
    ApiClient.Reply r = api.post("/v1/feedback", Map.of("label_id", ApiTestSupport.id("lbl"), "decision_id", decisionId,
        "kind", verdict, "verdict", verdict));
    assertEquals(201, r.status(), r.body());
  }

  /** Opens the account's case (the opener runs here) and closes it with the verdict, as a reviewer in every queue. */
  private void verdict(String account, String verdict, String reasonCode) {
    caseOpener.runOnce();
    List<Map<String, Object>> cases = data(api.get("/v1/cases?account_id=" + account));
    assertThat(cases).hasSize(1);
    TestOperators.Signed reviewer = TestOperators.signInSteppedUp(base, TestOperators.newUsername("rsrev"), Set.of(Role.REVIEWER));
    for (Map<String, Object> q : data(api.get("/v1/case-queues"))) {
      List<Object> members = new ArrayList<>(list(q.get("members")));
      members.add(reviewer.username());
      assertEquals(200, api.put("/v1/case-queues/" + q.get("queue_id") + "/members", Map.of("operator_ids", members)).status());
    }
    TestOperators.Exchange closed = TestOperators.post(base, "/v1/cases/" + cases.get(0).get("case_id") + "/verdict",
        Map.of("verdict", verdict, "reason_code", reasonCode), reviewer.headers());
    assertEquals(200, closed.status(), closed.body());
  }

  private Map<String, Object> stats(String ruleId, LocalDate day) {
    ApiClient.Reply r = api.get("/v1/rules/" + ruleId + "/stats?from=" + day + "&to=" + day);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  private static long num(Object o) {
    return ((Number) o).longValue();
  }

  @Test
  void countsAreExactOnAConstructedDay() {
    LocalDate day = nextDay();
    String p = ApiTestSupport.id("rs");
    String all = "rs_all_" + p.substring(3, 15);
    String hot = "rs_hot_" + p.substring(3, 15);
    createRule(all, "event.account_id.startsWith(\"" + p + "\")", Map.of("points", 1));
    createRule(hot, "event.account_id.startsWith(\"" + p + "_hot\")", Map.of("action", "REVIEW"));
    List<String> a1 = List.of(pay(p + "_a1"), pay(p + "_a1"), pay(p + "_a1"));
    pay(p + "_a2");
    List<String> hot1 = List.of(pay(p + "_hot1"), pay(p + "_hot1"));
    String hot2 = pay(p + "_hot2");
    pay(ApiTestSupport.id("other")); // a payment neither rule fires on: counted in the fire rate's decisions
    label(a1.get(0), "fraud");
    label(a1.get(1), "legitimate");
    label(hot2, "fraud");
    verdict(p + "_hot1", "legitimate", "customer_confirmed"); // both of hot1's decisions were intercepted wrongly
    rollup.catchUp(100);

    Map<String, Object> s = stats(all, day);
    assertEquals(8, num(s.get("decisions")), s.toString());
    assertEquals(7, num(s.get("fires")), s.toString());
    assertEquals(0.875, ((Number) s.get("fire_rate")).doubleValue(), 1e-9);
    assertEquals(3, num(s.get("intercepted_fires")), s.toString());
    assertEquals(5, num(s.get("labelled_fires")), s.toString());
    assertEquals(2, num(s.get("labelled_fraud")), s.toString());
    assertEquals(0.4, ((Number) s.get("precision")).doubleValue(), 1e-9);
    assertEquals(2, num(s.get("false_interceptions")), s.toString());
    assertEquals(0.6667, ((Number) s.get("false_interception_ratio")).doubleValue(), 1e-9);
    assertEquals(4, num(s.get("distinct_accounts")), s.toString());
    assertEquals(3, num(s.get("repeat_fires")), s.toString());
    assertEquals(0.4286, ((Number) s.get("repeat_ratio")).doubleValue(), 1e-9);
    List<Map<String, Object>> trend = list(s.get("trend"));
    assertEquals(1, trend.size());
    assertEquals(Map.of("date", day.toString(), "decisions", 8, "fires", 7, "intercepted_fires", 3), trend.get(0));
    assertThat(list(s.get("co_firing"))).contains(Map.of("rule_id", hot, "fires", 3));

    Map<String, Object> h = stats(hot, day);
    assertEquals(3, num(h.get("fires")));
    assertEquals(3, num(h.get("labelled_fires")));
    assertEquals(1, num(h.get("labelled_fraud")));
    assertEquals(2, num(h.get("distinct_accounts")));
    assertEquals(0.3333, ((Number) h.get("precision")).doubleValue(), 1e-9);
    assertThat(list(h.get("co_firing"))).contains(Map.of("rule_id", all, "fires", 3));

    Map<String, Object> summary = api.get("/v1/rules/stats?from=" + day + "&to=" + day).json();
    Map<String, Object> row = list(summary.get("data")).stream().filter(r -> all.equals(r.get("rule_id"))).findFirst().orElseThrow();
    assertEquals(7, num(row.get("fires")));
    assertEquals(0.4, ((Number) row.get("precision")).doubleValue(), 1e-9);
    assertEquals(2, num(row.get("false_interceptions")));

    Map<String, Object> before = stats(all, day.minusDays(1));
    assertEquals(0, num(before.get("fires")), "a range without the day counts none of it");
    assertNull(before.get("precision"));
    assertEquals(0, num(before.get("labelled_fires")));
  }

  @Test
  void theRollUpRestartsFromItsCursorWithoutCountingTwice() {
    LocalDate day = nextDay();
    String p = ApiTestSupport.id("rsr");
    String rule = "rs_restart_" + p.substring(4, 16);
    createRule(rule, "event.account_id.startsWith(\"" + p + "\")", Map.of("points", 1));
    for (int i = 0; i < 5; i++) pay(p + "_x" + (i % 2));
    rollup.catchUp(100);
    assertEquals(5, num(stats(rule, day).get("fires")));
    long cursor = cursor();

    // A restarted reader (a new instance on the same database, small batches) goes on from the cursor.
    RuleStatsRollup restarted = new RuleStatsRollup(dataSource, 2);
    assertEquals(0, restarted.runOnce(), "nothing after the cursor: nothing is counted again");
    assertEquals(cursor, cursor());
    for (int i = 0; i < 3; i++) pay(p + "_x" + i);
    assertEquals(2, restarted.runOnce(), "one batch of two");
    assertEquals(cursor + 2, cursor());
    RuleStatsRollup again = new RuleStatsRollup(dataSource, 2);
    assertEquals(1, again.catchUp(10), "the next reader takes the one left");
    Map<String, Object> s = stats(rule, day);
    assertEquals(8, num(s.get("fires")), s.toString());
    assertEquals(3, num(s.get("distinct_accounts")), s.toString());
    assertEquals(5, num(s.get("repeat_fires")), s.toString());
    assertEquals(8, num(s.get("decisions")), s.toString());
    assertEquals(0, rollup.catchUp(10));
    assertEquals(8, num(stats(rule, day).get("fires")), "the server's reader counts nothing twice either");
    restarted.close();
    again.close();
  }

  private long cursor() {
    return Sql.number(dataSource, "SELECT sequence FROM rule_stats_cursor WHERE name = 'journal'", Sql.Binder.NONE, "cursor");
  }

  @Test
  void rangesAreBoundedAndBadInputIsRefused() {
    String rule = "rs_range_" + ApiTestSupport.id("r").substring(2, 14);
    createRule(rule, "event.amount > 999999999", Map.of("points", 1));
    LocalDate today = TestClock.now().atZone(ZoneOffset.UTC).toLocalDate();
    String path = "/v1/rules/" + rule + "/stats";
    ApiClient.Reply longest = api.get(path + "?from=" + today.minusDays(91) + "&to=" + today);
    assertEquals(200, longest.status(), longest.body());
    assertEquals(92, num(longest.json().get("days")));
    assertEquals(92, list(longest.json().get("trend")).size());
    ApiClient.Reply deflt = api.get(path);
    assertEquals(200, deflt.status(), deflt.body());
    assertEquals(30, num(deflt.json().get("days")));
    assertEquals(today.toString(), deflt.json().get("to"));

    assertInvalid(api.get(path + "?from=" + today.minusDays(92) + "&to=" + today), "invalid_range", "from");
    assertInvalid(api.get(path + "?from=" + today + "&to=" + today.minusDays(1)), "invalid_range", "from");
    assertInvalid(api.get(path + "?to=" + today.plusDays(1)), "invalid_range", "to");
    assertInvalid(api.get("/v1/rules/stats?from=" + today.minusDays(200)), "invalid_range", "from");
    assertInvalid(api.get(path + "?from=2026-13-01"), "invalid_date", "from");
    assertInvalid(api.get(path + "?to=yesterday"), "invalid_date", "to");
    assertInvalid(api.get(path + "?from=" + "x".repeat(500)), "invalid_date", "from");
    assertError(api.get("/v1/rules/no_such_rule/stats"), 404, "not_found_error", "rule_not_found", "id");
    assertError(api.get("/v1/rules/no_such_rule/reviews"), 404, "not_found_error", "rule_not_found", "id");
  }

  @Test
  void reviewsAreRecordedListedAndTheFlagFlipsAfterTheReviewPeriod() {
    String rule = "rs_review_" + ApiTestSupport.id("r").substring(2, 14);
    createRule(rule, "event.amount > 999999999", Map.of("points", 1));
    String path = "/v1/rules/" + rule + "/reviews";
    Map<String, Object> fresh = api.get(path).json();
    assertEquals(false, fresh.get("needs_review"), fresh.toString());
    assertEquals(90, num(fresh.get("review_period_days")));
    assertNull(fresh.get("last_review"));

    Map<String, Object> keep = Map.of("outcome", "keep", "note", "still catches card testing");
    // The API key created the rule: its author may not be its reviewer.
    assertError(api.post(path, keep), 403, "permission_error", "own_change_review", "id");
    TestOperators.Signed viewer = TestOperators.signIn(base, TestOperators.newUsername("rsview"), Set.of(Role.VIEWER));
    assertEquals(403, TestOperators.post(base, path, keep, viewer.headers()).status(), "a viewer may not review");

    TestClock.advance(Duration.ofDays(91));
    Map<String, Object> due = api.get(path).json();
    assertEquals(true, due.get("needs_review"), due.toString());
    Map<String, Object> summaryRow = list(api.get("/v1/rules/stats").json().get("data")).stream()
        .filter(r -> rule.equals(r.get("rule_id"))).findFirst().orElseThrow();
    assertEquals(true, map(summaryRow.get("review")).get("needs_review"));

    TestOperators.Signed approver = TestOperators.signInSteppedUp(base, TestOperators.newUsername("rsappr"), Set.of(Role.CHANGE_APPROVER));
    TestOperators.Exchange bad = TestOperators.post(base, path, Map.of("outcome", "maybe", "note", "x"), approver.headers());
    assertEquals(400, bad.status(), bad.body());
    assertEquals("invalid_outcome", map(bad.json().get("error")).get("code"));
    assertEquals("missing_field", map(TestOperators.post(base, path, Map.of("outcome", "keep"), approver.headers()).json().get("error"))
        .get("code"));
    assertEquals("value_too_long", map(TestOperators.post(base, path, Map.of("outcome", "keep", "note", "n".repeat(2_001)),
        approver.headers()).json().get("error")).get("code"));
    assertEquals("unknown_field", map(TestOperators.post(base, path, Map.of("outcome", "keep", "note", "x", "by", "me"),
        approver.headers()).json().get("error")).get("code"));
    assertEquals(true, api.get(path).json().get("needs_review"), "refused reviews recorded nothing");

    TestOperators.Exchange ok = TestOperators.post(base, path, keep, approver.headers());
    assertEquals(201, ok.status(), ok.body());
    assertEquals(approver.username(), ok.json().get("reviewed_by"));
    Map<String, Object> reviewed = api.get(path).json();
    assertEquals(false, reviewed.get("needs_review"), reviewed.toString());
    assertEquals("keep", map(reviewed.get("last_review")).get("outcome"));

    TestClock.advance(Duration.ofDays(89));
    assertEquals(false, api.get(path).json().get("needs_review"), "89 days after the review");
    TestClock.advance(Duration.ofDays(2));
    assertEquals(true, api.get(path).json().get("needs_review"), "91 days after the review");
    TestOperators.Signed approver2 = TestOperators.signInSteppedUp(base, TestOperators.newUsername("rsappr"), Set.of(Role.CHANGE_APPROVER));
    TestOperators.Exchange retire = TestOperators.post(base, path, Map.of("outcome", "retire", "note", "superseded"), approver2.headers());
    assertEquals(201, retire.status(), retire.body());
    List<Map<String, Object>> history = data(api.get(path));
    assertThat(history).extracting(r -> r.get("outcome")).containsExactly("retire", "keep");
    assertEquals(false, api.get(path).json().get("needs_review"));
  }
}
