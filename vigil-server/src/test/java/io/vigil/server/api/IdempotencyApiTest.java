package io.vigil.server.api;

import static io.vigil.server.api.ApiTestSupport.assertError;
import static io.vigil.server.api.ApiTestSupport.data;
import static io.vigil.server.api.ApiTestSupport.enc;
import static io.vigil.server.api.ApiTestSupport.id;
import static io.vigil.server.api.ApiTestSupport.map;
import static io.vigil.server.api.ApiTestSupport.noonZone;
import static io.vigil.server.api.ApiTestSupport.num;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The event_id is the idempotency key of POST /v1/decisions. */
class IdempotencyApiTest extends SharedServerBase {
  private static final JsonMapper PRETTY = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private static Map<String, Object> payment(String eventId, String account, long amount) {
    Map<String, Object> m = Events.payment(eventId, account, amount);
    m.put("timezone", noonZone(Instant.parse((String) m.get("occurred_at"))));
    Map<String, Object> device = new LinkedHashMap<>();
    device.put("id", id("dev"));
    device.put("fingerprint", "fp_1");
    m.put("device", device);
    m.put("attributes", new LinkedHashMap<>(Map.of("channel_ref", "abc", "score_hint", 3)));
    return m;
  }

  /** The same content with every object's keys in reverse order. */
  @SuppressWarnings("unchecked")
  private static Object reversed(Object node) {
    if (!(node instanceof Map<?, ?> m)) return node;
    List<String> keys = new ArrayList<>((java.util.Set<String>) m.keySet());
    Collections.reverse(keys);
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : keys) out.put(k, reversed(m.get(k)));
    return out;
  }

  private Map<String, Object> features(String account) {
    ApiClient.Reply r = api.get("/v1/features/account/" + enc(account));
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  @Test
  void sameEventIdAndBodyReturnsTheSameBytesAndMarksTheReplay() {
    String account = id("acc");
    String body = ApiClient.json(payment(id("evt"), account, 2_500));

    ApiClient.Reply first = api.post("/v1/decisions", body);
    ApiClient.Reply second = api.post("/v1/decisions", body);

    assertEquals(200, first.status(), first.body());
    assertEquals(200, second.status(), second.body());
    assertEquals("false", first.headers().firstValue("Idempotent-Replayed").orElse(null));
    assertEquals("true", second.headers().firstValue("Idempotent-Replayed").orElse(null));
    assertArrayEquals(first.body().getBytes(StandardCharsets.UTF_8), second.body().getBytes(StandardCharsets.UTF_8));
    assertEquals(1, data(api.get("/v1/decisions?account_id=" + enc(account))).size());
  }

  @Test
  void keyOrderAndWhitespaceDoNotMakeADifferentRequest() {
    String account = id("acc");
    Map<String, Object> event = payment(id("evt"), account, 4_200);
    String compact = ApiClient.json(event);
    String pretty = "\n\t  " + PRETTY.writeValueAsString(reversed(event)) + "\r\n  ";
    assertNotEquals(compact, pretty);
    assertNotEquals(compact.indexOf("\"event_id\""), pretty.indexOf("\"event_id\""));

    ApiClient.Reply first = api.post("/v1/decisions", compact);
    ApiClient.Reply second = api.post("/v1/decisions", pretty);

    assertEquals(200, first.status(), first.body());
    assertEquals(200, second.status(), second.body());
    assertEquals("true", second.headers().firstValue("Idempotent-Replayed").orElse(null));
    assertEquals(first.body(), second.body());
    assertEquals(1, data(api.get("/v1/decisions?account_id=" + enc(account))).size());
  }

  @Test
  void sameEventIdWithADifferentBodyIsAConflict() {
    String account = id("acc");
    String eventId = id("evt");
    Map<String, Object> event = payment(eventId, account, 1_000);
    ApiClient.Reply first = api.post("/v1/decisions", event);
    assertEquals(200, first.status(), first.body());

    Map<String, Object> changedAmount = new LinkedHashMap<>(event);
    changedAmount.put("amount", 1_001);
    assertError(api.post("/v1/decisions", changedAmount), 409, "idempotency_error", "event_id_reused", "event_id");

    Map<String, Object> changedNested = new LinkedHashMap<>(event);
    changedNested.put("device", Map.of("id", "other_device"));
    assertError(api.post("/v1/decisions", changedNested), 409, "idempotency_error", "event_id_reused", "event_id");

    Map<String, Object> extraField = new LinkedHashMap<>(event);
    extraField.put("channel", "web");
    assertError(api.post("/v1/decisions", extraField), 409, "idempotency_error", "event_id_reused", "event_id");

    // The conflicts stored nothing and counted nothing; the original is still answered.
    assertEquals(1, data(api.get("/v1/decisions?account_id=" + enc(account))).size());
    Map<String, Object> f = map(features(account).get("features"));
    assertEquals(1L, num(f.get("count_1h")));
    assertEquals(1_000L, num(f.get("sum_1h")));
    ApiClient.Reply again = api.post("/v1/decisions", event);
    assertEquals(200, again.status(), again.body());
    assertEquals(first.body(), again.body());
  }

  @Test
  void replaysChangeNoCounter() {
    String account = id("acc");
    long amount = 3_333;
    String body = ApiClient.json(payment(id("evt"), account, amount));
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ApiClient.Reply r = api.post("/v1/decisions", body);
      assertEquals(200, r.status(), r.body());
      bodies.add(r.body());
    }
    assertEquals(1, bodies.stream().distinct().count());

    Map<String, Object> f = features(account);
    assertEquals(true, f.get("known"));
    Map<String, Object> counters = map(f.get("features"));
    assertEquals(1L, num(counters.get("count_1h")), f.toString());
    assertEquals(amount, num(counters.get("sum_1h")), f.toString());
    assertEquals(1L, num(counters.get("count_24h")), f.toString());

    // A second, different event does count: the counters are live, not frozen.
    ApiClient.Reply other = api.post("/v1/decisions", payment(id("evt"), account, 7));
    assertEquals(200, other.status(), other.body());
    counters = map(features(account).get("features"));
    assertEquals(2L, num(counters.get("count_1h")));
    assertEquals(amount + 7, num(counters.get("sum_1h")));
  }

  @Test
  void twentyConcurrentIdenticalRequestsMakeOneDecision() throws Exception {
    String account = id("acc");
    String body = ApiClient.json(payment(id("evt"), account, 9_100));
    int threads = 20;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<ApiClient.Reply> replies = new ArrayList<>();
    try {
      List<Future<ApiClient.Reply>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(pool.submit(() -> {
          ApiClient client = new ApiClient(base);
          start.await(10, TimeUnit.SECONDS);
          return client.post("/v1/decisions", body);
        }));
      }
      for (Future<ApiClient.Reply> f : futures) replies.add(f.get(60, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }

    for (ApiClient.Reply r : replies) assertEquals(200, r.status(), r.body());
    assertEquals(1, replies.stream().map(ApiClient.Reply::body).distinct().count(), "all bodies identical");
    long fresh = replies.stream().filter(r -> "false".equals(r.headers().firstValue("Idempotent-Replayed").orElse(null))).count();
    assertEquals(1, fresh, "exactly one request made the decision; the others are replays");
    List<Map<String, Object>> rows = data(api.get("/v1/decisions?account_id=" + enc(account)));
    assertEquals(1, rows.size());
    assertEquals(replies.get(0).json().get("decision_id"), map(rows.get(0).get("decision")).get("decision_id"));
    Map<String, Object> counters = map(features(account).get("features"));
    assertEquals(1L, num(counters.get("count_1h")));
    assertEquals(9_100L, num(counters.get("sum_1h")));
  }
}
