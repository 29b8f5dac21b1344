package io.vigil.server.cases;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.server.api.ApiTestSupport;
import io.vigil.server.api.ServerTestBase;
import io.vigil.server.security.Role;
import io.vigil.server.storage.Sql;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Cases over HTTP on a server of their own: a REVIEW decision opens a case in the queue its routing
 * picks, a second one of the account joins it, the opener reading the journal again opens nothing
 * twice; take-next, membership, comments, attachments, status and escalation, with their refusals.
 */
class CasesApiTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-cases-");

  @DynamicPropertySource
  static void ownDataDir(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    registry.add("vigil.cases.attachments.bytes-max", () -> "2048");
    storeAsAsked(registry);
  }

  @Autowired
  CaseOpener opener;
  @Autowired
  CaseRepository repository;

  /** A payment in a currency without an exchange rate (the krona has none in the sample rates): the default policy answers REVIEW. */
  private Map<String, Object> review(String account, long amountMinor) {
    Map<String, Object> body = Events.payment(ApiTestSupport.id("evt"), account, amountMinor);
    body.put("currency", "ISK");
    ApiClient.Reply r = api.post("/v1/decisions", body);
    assertEquals(200, r.status(), r.body());
    assertEquals("REVIEW", r.json().get("action"), r.body());
    return r.json();
  }

  /** The account's cases once the opener has seen its decisions (it runs off the decision path). */
  private List<Map<String, Object>> casesOf(String account, int decisions) {
    for (int i = 0; i < 200; i++) {
      opener.runOnce();
      List<Map<String, Object>> cases = data(api.get("/v1/cases?account_id=" + account));
      int linked = 0;
      for (Map<String, Object> c : cases) linked += ((List<?>) get("/v1/cases/" + c.get("case_id")).get("decisions")).size();
      if (linked >= decisions) return cases;
    }
    throw new AssertionError("no case for " + account);
  }

  private Map<String, Object> caseOf(String account) {
    List<Map<String, Object>> cases = casesOf(account, 1);
    assertEquals(1, cases.size(), cases::toString);
    return cases.get(0);
  }

  private Map<String, Object> get(String path) {
    ApiClient.Reply r = api.get(path);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> data(ApiClient.Reply r) {
    assertEquals(200, r.status(), r.body());
    return (List<Map<String, Object>>) r.json().get("data");
  }

  private static void error(int status, String code, String param, TestOperators.Exchange r) {
    assertEquals(status, r.status(), r.body());
    @SuppressWarnings("unchecked")
    Map<String, Object> e = (Map<String, Object>) r.json().get("error");
    assertEquals(code, e.get("code"), r.body());
    assertEquals(param, e.get("param"), r.body());
  }

  private static void error(int status, String code, String param, ApiClient.Reply r) {
    assertEquals(status, r.status(), r.body());
    assertEquals(code, r.error().get("code"), r.body());
    assertEquals(param, r.error().get("param"), r.body());
  }

  @Test
  void aReviewOpensACaseTheSecondJoinsItAndReadingTheJournalAgainOpensNothingTwice() {
    String account = ApiTestSupport.id("acct");
    Map<String, Object> first = review(account, 500_00);
    Map<String, Object> c = caseOf(account);
    assertEquals("payments", c.get("queue_id"));
    assertEquals("review", c.get("origin"));
    assertEquals("open", c.get("status"));
    assertNull(c.get("assignee_id"));
    Map<String, Object> decision = get("/v1/decisions/" + first.get("decision_id"));
    assertEquals(Instant.parse((String) decision.get("recorded_at")).plusSeconds(86_400).toString(), c.get("due_at"));

    Map<String, Object> second = review(account, 700_00);
    List<Map<String, Object>> cases = casesOf(account, 2);
    assertEquals(1, cases.size(), "grouped by account");
    String caseId = (String) c.get("case_id");
    Map<String, Object> full = get("/v1/cases/" + caseId);
    assertEquals(List.of(first.get("decision_id"), second.get("decision_id")),
        ((List<?>) full.get("decisions")).stream().map(d -> ((Map<?, ?>) d).get("decision_id")).toList());
    assertTrue(((List<?>) full.get("entities")).contains(Map.of("type", "account", "id", account)), full::toString);

    // The opener reads the whole journal again, as after a restart that lost its cursor: nothing opens twice.
    Sql.update(repository.dataSource(), "DELETE FROM case_cursor", Sql.Binder.NONE, "test");
    while (opener.runOnce() > 0) {
      // read it all
    }
    assertEquals(1, data(api.get("/v1/cases?account_id=" + account)).size());
    List<String> kinds = data(api.get("/v1/cases/" + caseId + "/timeline")).stream().map(e -> (String) e.get("kind")).toList();
    assertEquals(List.of("opened", "decision_added"), kinds);
  }

  @Test
  void twoReviewersTakingTheSameCaseExactlyOneWins() throws Exception {
    String queue = "race_" + ApiTestSupport.id("q").substring(2, 10);
    createQueue(queue, 1, Map.of("amount_minor_min", 987_654_00L, "event_types", List.of("payment")));
    String account = ApiTestSupport.id("acct");
    review(account, 987_654_00L);
    assertEquals(queue, caseOf(account).get("queue_id"));
    TestOperators.Signed a = TestOperators.signIn(base, TestOperators.newUsername("rev.a"), Set.of(Role.REVIEWER));
    TestOperators.Signed b = TestOperators.signIn(base, TestOperators.newUsername("rev.b"), Set.of(Role.REVIEWER));
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<TestOperators.Exchange>> takes = new ArrayList<>();
      for (TestOperators.Signed s : List.of(a, b)) {
        takes.add(pool.submit(() -> {
          go.await();
          return TestOperators.post(base, "/v1/cases/take-next", Map.of("queue_id", queue), s.headers());
        }));
      }
      go.countDown();
      List<Integer> statuses = new ArrayList<>();
      String winner = null;
      for (int i = 0; i < 2; i++) {
        TestOperators.Exchange r = takes.get(i).get();
        statuses.add(r.status());
        if (r.status() == 200) winner = List.of(a, b).get(i).username();
        else error(404, "no_case_waiting", "queue_id", r);
      }
      assertEquals(List.of(200, 404), statuses.stream().sorted().toList(), statuses::toString);
      Map<String, Object> taken = caseOf(account);
      assertEquals(winner, taken.get("assignee_id"));
      assertEquals("in_progress", taken.get("status"));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void onlyMembersWorkAQueueAndAStaleVersionLoses() {
    String queue = "members_" + ApiTestSupport.id("q").substring(2, 10);
    createQueue(queue, 2, Map.of("amount_minor_min", 876_543_00L, "event_types", List.of("payment")));
    TestOperators.Signed member = TestOperators.signIn(base, TestOperators.newUsername("member"), Set.of(Role.REVIEWER));
    TestOperators.Signed outsider = TestOperators.signIn(base, TestOperators.newUsername("outsider"), Set.of(Role.REVIEWER));
    assertEquals(200, api.put("/v1/case-queues/" + queue + "/members", Map.of("operator_ids", List.of(member.username()))).status());
    error(400, "unknown_operator", "operator_ids",
        api.put("/v1/case-queues/" + queue + "/members", Map.of("operator_ids", List.of("nobody_" + queue))));
    String account = ApiTestSupport.id("acct");
    review(account, 876_543_00L);
    String caseId = (String) caseOf(account).get("case_id");

    error(403, "not_queue_member", "queue_id", TestOperators.post(base, "/v1/cases/take-next", Map.of("queue_id", queue), outsider.headers()));
    error(403, "not_queue_member", "case_id",
        TestOperators.post(base, "/v1/cases/" + caseId + "/comments", Map.of("text", "looks odd"), outsider.headers()));
    error(403, "permission_denied", "assignee_id", TestOperators.post(base, "/v1/cases/" + caseId + "/assignment",
        Map.of("assignee_id", member.username()), outsider.headers()));

    TestOperators.Exchange mine = TestOperators.post(base, "/v1/cases/" + caseId + "/assignment",
        Map.of("assignee_id", member.username(), "expected_version", 1), member.headers());
    assertEquals(200, mine.status(), mine.body());
    Map<String, Object> giveBack = new HashMap<>();
    giveBack.put("assignee_id", null);
    error(403, "not_queue_member", "case_id", TestOperators.post(base, "/v1/cases/" + caseId + "/assignment", giveBack, outsider.headers()));
    assertEquals(2, ((Number) mine.json().get("version")).intValue());
    error(409, "case_changed", "expected_version", TestOperators.post(base, "/v1/cases/" + caseId + "/status",
        Map.of("status", "waiting_for_customer", "expected_version", 1), member.headers()));
    TestOperators.Exchange waiting = TestOperators.post(base, "/v1/cases/" + caseId + "/status",
        Map.of("status", "waiting_for_customer", "expected_version", 2), member.headers());
    assertEquals("waiting_for_customer", waiting.json().get("status"), waiting.body());
    error(400, "invalid_status", "status",
        TestOperators.post(base, "/v1/cases/" + caseId + "/status", Map.of("status", "closed"), member.headers()));

    TestOperators.Signed viewer = TestOperators.signIn(base, TestOperators.newUsername("viewer"), Set.of(Role.VIEWER));
    assertEquals(403, TestOperators.get(base, "/v1/cases", viewer.headers()).status());
    TestOperators.Signed analyst = TestOperators.signIn(base, TestOperators.newUsername("analyst"), Set.of(Role.ANALYST));
    assertEquals(200, TestOperators.get(base, "/v1/cases/" + caseId, analyst.headers()).status());
    assertEquals(403, TestOperators.post(base, "/v1/cases/take-next", Map.of(), analyst.headers()).status());
  }

  @Test
  void commentsAttachmentsAndEscalationAreOnTheTimeline() {
    String account = ApiTestSupport.id("acct");
    review(account, 300_00);
    String caseId = (String) caseOf(account).get("case_id");
    assertEquals(200, api.post("/v1/cases/" + caseId + "/comments", Map.of("text", "Customer called; says it was them.")).status());
    error(400, "missing_field", "text", api.post("/v1/cases/" + caseId + "/comments", Map.of("text", " ")));
    error(400, "text_too_long", "text", api.post("/v1/cases/" + caseId + "/comments", Map.of("text", "x".repeat(4_001))));
    error(400, "unknown_field", "html", api.post("/v1/cases/" + caseId + "/comments", Map.of("text", "a", "html", "<b>")));

    byte[] statement = "Statement of the holder\nAll payments were mine.\n".getBytes(StandardCharsets.UTF_8);
    ApiClient.Reply added = attach("/v1/cases/" + caseId + "/attachments?file_name=statement.txt", "text/plain", statement);
    assertEquals(201, added.status(), added.body());
    ApiClient.Reply file = api.get("/v1/cases/" + caseId + "/attachments/" + added.json().get("attachment_id"));
    assertEquals(200, file.status());
    assertArrayEquals(statement, file.body().getBytes(StandardCharsets.UTF_8));
    assertEquals("nosniff", file.headers().firstValue("X-Content-Type-Options").orElse(null));
    error(413, "file_too_large", "file",
        attach("/v1/cases/" + caseId + "/attachments?file_name=big.txt", "text/plain", new byte[2049]));
    error(415, "unsupported_file_type", "file",
        attach("/v1/cases/" + caseId + "/attachments?file_name=run.exe", "application/x-msdownload", new byte[] {'M', 'Z'}));
    error(415, "file_type_mismatch", "file",
        attach("/v1/cases/" + caseId + "/attachments?file_name=shot.png", "image/png", statement));
    error(400, "invalid_file_name", "file",
        attach("/v1/cases/" + caseId + "/attachments?file_name=..%2Fetc%2Fpasswd", "text/plain", statement));
    assertEquals(1, ((List<?>) get("/v1/cases/" + caseId).get("attachments")).size(), "refused files leave nothing");

    error(400, "missing_field", "reason", api.post("/v1/cases/" + caseId + "/escalation", Map.of()));
    Map<String, Object> escalated = api.post("/v1/cases/" + caseId + "/escalation", Map.of("reason", "large and unusual")).json();
    assertEquals("compliance", escalated.get("queue_id"));
    assertEquals("escalated", escalated.get("status"));
    List<String> kinds = data(api.get("/v1/cases/" + caseId + "/timeline")).stream().map(e -> (String) e.get("kind")).toList();
    assertEquals(List.of("opened", "commented", "attachment_added", "escalated"), kinds);
    error(404, "case_not_found", "case_id", api.get("/v1/cases/case_nope"));
  }

  @Test
  void automaticAssignmentGoesToTheLeastLoadedAvailableMemberUnderTheCap() {
    String queue = "auto_" + ApiTestSupport.id("q").substring(2, 10);
    createQueue(queue, 3, Map.of("amount_minor_min", 765_432_00L, "event_types", List.of("payment")));
    TestOperators.Signed a = TestOperators.signIn(base, TestOperators.newUsername("auto.a"), Set.of(Role.REVIEWER));
    TestOperators.Signed b = TestOperators.signIn(base, TestOperators.newUsername("auto.b"), Set.of(Role.REVIEWER));
    assertEquals(200, api.put("/v1/case-queues/" + queue, Map.of("auto_assign", true, "reviewer_cap", 1)).status());
    assertEquals(200, api.put("/v1/case-queues/" + queue + "/members", Map.of("operator_ids", List.of(a.username(), b.username()))).status());
    assertEquals(200, TestOperators.send(base, "PUT", "/v1/reviewers/" + b.username() + "/availability", Map.of("away", true),
        b.headers()).status());
    Supplier<Map<String, Object>> open = () -> {
      String account = ApiTestSupport.id("acct");
      review(account, 765_432_00L);
      return caseOf(account);
    };
    assertEquals(a.username(), open.get().get("assignee_id"));
    assertNull(open.get().get("assignee_id"), "a is at the cap and b is away");
    assertEquals(200, TestOperators.send(base, "PUT", "/v1/reviewers/" + b.username() + "/availability", Map.of("away", false),
        b.headers()).status());
    assertEquals(b.username(), open.get().get("assignee_id"));
  }

  @Test
  void aFailedChallengeAndAReversalAnsweredReviewOpenCasesOfTheirOwn() {
    // 15,000.00 USD in the daytime: the seeded large-payment rule challenges it. A challenge alone needs nobody.
    String account = ApiTestSupport.id("acct");
    Map<String, Object> body = Events.payment(ApiTestSupport.id("evt"), account, 1_500_000L);
    body.put("occurred_at", TestClock.daytime().toString());
    Map<String, Object> challenged = decide(body, "CHALLENGE");
    opener.runOnce();
    assertEquals(List.of(), data(api.get("/v1/cases?account_id=" + account)), "a challenge not yet failed needs no person");
    ApiClient.Reply failed = api.post("/v1/decisions/" + challenged.get("decision_id") + "/challenge-result", Map.of("result", "failed"));
    assertEquals(200, failed.status(), failed.body());
    Map<String, Object> c = caseOf(account);
    assertEquals("challenge_failed", c.get("origin"));
    assertEquals(List.of(challenged.get("decision_id")), decisionIds(c));

    // A holder's third reversal request within a day goes to a person.
    String holder = ApiTestSupport.id("acct");
    List<Object> reversed = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Object id = decide(Events.payment(ApiTestSupport.id("evt"), holder, 10_00L), "ALLOW").get("decision_id");
      ApiClient.Reply r = api.post("/v1/decisions/" + id + "/reversal-request", Map.of("verification", Map.of("method", "biometric")));
      assertEquals(200, r.status(), r.body());
      assertEquals(i < 2 ? "approve" : "review", r.json().get("outcome"), r.body());
      reversed.add(id);
    }
    Map<String, Object> inReview = caseOf(holder);
    assertEquals("reversal_review", inReview.get("origin"));
    assertEquals(List.of(reversed.get(2)), decisionIds(inReview), "only the request in review needs a person");
  }

  private Map<String, Object> decide(Map<String, Object> body, String action) {
    ApiClient.Reply r = api.post("/v1/decisions", body);
    assertEquals(200, r.status(), r.body());
    assertEquals(action, r.json().get("action"), r.body());
    return r.json();
  }

  private List<Object> decisionIds(Map<String, Object> c) {
    List<?> decisions = (List<?>) get("/v1/cases/" + c.get("case_id")).get("decisions");
    return decisions.stream().<Object>map(d -> ((Map<?, ?>) d).get("decision_id")).toList();
  }

  @Test
  void queuesRefuseBadRouting() {
    error(400, "invalid_routing", "routing[0].origins",
        api.post("/v1/case-queues", Map.of("queue_id", "q_bad", "name", "Bad", "routing", List.of(Map.of("origins", List.of("gossip"))))));
    error(400, "unknown_field", "routing[0].colour",
        api.post("/v1/case-queues", Map.of("queue_id", "q_bad", "name", "Bad", "routing", List.of(Map.of("colour", "red")))));
    error(400, "invalid_escalation_queue", "escalation_queue_id",
        api.post("/v1/case-queues", Map.of("queue_id", "q_bad", "name", "Bad", "escalation_queue_id", "nowhere")));
    error(400, "invalid_field", "warning_minutes",
        api.post("/v1/case-queues", Map.of("queue_id", "q_bad", "name", "Bad", "deadline_minutes", 60, "warning_minutes", 60)));
    error(400, "invalid_routing", "routing", api.put("/v1/case-queues/general", Map.of("routing", List.of(Map.of("rules", List.of("x"))))));
    error(409, "queue_exists", "queue_id", api.post("/v1/case-queues", Map.of("queue_id", "general", "name", "Again")));
    error(404, "queue_not_found", "queue_id", api.get("/v1/case-queues/q_bad"));
  }

  /** A file sent as the body, as curl --data-binary sends it. */
  private ApiClient.Reply attach(String path, String contentType, byte[] content) {
    return api.send("POST", path, contentType, content, false);
  }

  private void createQueue(String id, int position, Map<String, Object> rule) {
    Map<String, Object> body = new HashMap<>(Map.of("queue_id", id, "name", id, "position", position, "routing", List.of(rule)));
    ApiClient.Reply r = api.post("/v1/case-queues", body);
    assertEquals(201, r.status(), r.body());
    assertNotNull(r.json().get("routing"));
  }
}
