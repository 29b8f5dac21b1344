package io.vigil.server.api;

import static io.vigil.server.api.ApiTestSupport.assertInvalid;
import static io.vigil.server.api.ApiTestSupport.enc;
import static io.vigil.server.api.ApiTestSupport.id;
import static io.vigil.server.api.ApiTestSupport.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import io.vigil.server.support.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one paging contract of every collection that grows: {@code {data, has_more, next_cursor}},
 * read with {@code limit} and {@code starting_after}, each row exactly once across the pages.
 */
class PagingApiTest extends SharedServerBase {

  private String decision(String account) {
    ApiClient.Reply r = api.post("/v1/decisions", Events.payment(id("evt"), account, 2_500));
    assertEquals(200, r.status(), r.body());
    return (String) r.json().get("decision_id");
  }

  /** Every page of path (which has a '?') at limit rows: the pages' rows in order, after checking each envelope. */
  private List<Map<String, Object>> allPages(String path, int limit, List<Integer> sizes) {
    List<Map<String, Object>> rows = new ArrayList<>();
    Object cursor = null;
    String sep = path.endsWith("?") ? "" : "&";
    for (int page = 0; page < 50; page++) {
      ApiClient.Reply r = api.get(path + sep + "limit=" + limit + (cursor == null ? "" : "&starting_after=" + enc(cursor.toString())));
      assertEquals(200, r.status(), r.body());
      Map<String, Object> body = r.json();
      assertTrue(body.keySet().containsAll(List.of("data", "has_more", "next_cursor")), body::toString);
      List<Map<String, Object>> data = list(body.get("data"));
      sizes.add(data.size());
      rows.addAll(data);
      cursor = body.get("next_cursor");
      if (!(Boolean) body.get("has_more")) {
        assertNull(cursor, "no cursor on the last page");
        return rows;
      }
      assertEquals(limit, data.size(), "a page before the last is full");
    }
    throw new AssertionError("more than 50 pages of " + path);
  }

  @Test
  void anAccountsRestrictionHistoryPagesNewestFirstWithAllInForceOnEveryPage() {
    String account = id("acct");
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      ApiClient.Reply r = api.post("/v1/accounts/" + account + "/restrictions", Map.of("kind", "no_transfers_out", "reason", "case " + i));
      assertEquals(201, r.status(), r.body());
      created.add((String) r.json().get("id"));
    }
    List<Integer> sizes = new ArrayList<>();
    List<Map<String, Object>> history = allPages("/v1/accounts/" + account + "/restrictions?", 3, sizes);
    assertEquals(List.of(3, 3, 1), sizes);
    List<Object> ids = history.stream().map(h -> h.get("id")).toList();
    assertEquals(new HashSet<>(created), new HashSet<>(ids), "every restriction once");
    assertEquals(7, ids.size());
    for (int i = 1; i < history.size(); i++) {
      Instant newer = Instant.parse((String) history.get(i - 1).get("created_at"));
      assertFalse(newer.isBefore(Instant.parse((String) history.get(i).get("created_at"))), "newest first");
    }
    ApiClient.Reply page = api.get("/v1/accounts/" + account + "/restrictions?limit=1");
    assertEquals(7, list(page.json().get("active")).size(), "the restrictions in force are never paged");
    assertEquals(account, page.json().get("account_id"));
  }

  @Test
  void reversalRequestsAndLabelsOfADecisionPageOldestFirst() {
    String decisionId = decision(id("acct"));
    List<String> requests = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ApiClient.Reply r = api.post("/v1/decisions/" + decisionId + "/reversal-request", Map.of());
      assertEquals(200, r.status(), r.body());
      requests.add((String) r.json().get("request_id"));
      TestClock.advance(Duration.ofMillis(1)); // one request a millisecond: their order is their time's, not their ids'
    }
    List<Integer> sizes = new ArrayList<>();
    List<Map<String, Object>> answered = allPages("/v1/decisions/" + decisionId + "/reversal-requests?", 2, sizes);
    assertEquals(List.of(2, 1), sizes);
    assertEquals(requests, answered.stream().map(r -> r.get("request_id")).toList(), "oldest first, each once");
    assertEquals(decisionId, api.get("/v1/decisions/" + decisionId + "/reversal-requests?limit=1").json().get("decision_id"));

    List<String> labels = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String labelId = id("lbl");
      ApiClient.Reply r = api.post("/v1/feedback", Map.of("label_id", labelId, "decision_id", decisionId,
          "kind", i == 1 ? "legitimate" : "fraud"));
      assertEquals(201, r.status(), r.body());
      labels.add(labelId);
    }
    sizes.clear();
    List<Map<String, Object>> known = allPages("/v1/feedback?decision_id=" + decisionId, 1, sizes);
    assertEquals(List.of(1, 1, 1), sizes);
    assertEquals(new HashSet<>(labels), new HashSet<>(known.stream().map(l -> l.get("label_id")).toList()));
    assertEquals(3, known.size());
  }

  @Test
  void everyPagedCollectionAnswersTheEnvelopeAndChecksLimitAndCursor() {
    String decisionId = decision(id("acct"));
    List<String> paths = List.of("/v1/decisions?", "/v1/lists/entries?", "/v1/lists/changes?", "/v1/feedback?decision_id=" + decisionId,
        "/v1/models?", "/v1/policy/versions?", "/v1/reference/versions?", "/v1/accounts/" + id("acct") + "/restrictions?",
        "/v1/decisions/" + decisionId + "/reversal-requests?");
    for (String path : paths) {
      String sep = path.endsWith("?") ? "" : "&";
      ApiClient.Reply r = api.get(path + sep + "limit=1");
      assertEquals(200, r.status(), path + " " + r.body());
      assertTrue(r.json().keySet().containsAll(List.of("data", "has_more", "next_cursor")), path + " " + r.body());
      assertTrue(list(r.json().get("data")).size() <= 1, path);
      assertInvalid(api.get(path + sep + "limit=0"), "invalid_parameter", "limit");
      assertInvalid(api.get(path + sep + "limit=501"), "invalid_parameter", "limit");
      assertInvalid(api.get(path + sep + "limit=ten"), "invalid_parameter", "limit");
      assertInvalid(api.get(path + sep + "starting_after=" + enc("not a cursor!")), "invalid_parameter", "starting_after");
    }
    assertEquals(200, api.get("/v1/decisions?limit=500").status(), "the maximum is allowed");
  }
}
