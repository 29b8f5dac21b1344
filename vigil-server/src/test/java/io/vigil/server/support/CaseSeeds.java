package io.vigil.server.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Decisions and cases made through the real API for the tests of deadlines and measures: a payment
 * in CHF (no exchange rate in the seeded reference data) is answered REVIEW and opens a case a
 * moment later; a small USD payment is allowed.
 */
public final class CaseSeeds {
  /** How long a test waits for the opener to open a case (it polls every 200 ms). */
  private static final Duration OPEN_WAIT = Duration.ofSeconds(15);

  private CaseSeeds() {}

  /**
   * A reference directory (for {@code vigil.reference.dir}) whose exchange rates know USD and BDT
   * only, so that a CHF payment has no rate and is answered REVIEW.
   */
  public static Path referenceWithoutChf(Path dataDir) {
    try {
      Path dir = Files.createDirectories(dataDir.resolve("reference"));
      Files.writeString(dir.resolve("exchange-rates.csv"), "as_of,2026-03-01\nbase,USD\ncurrency,units_per_base\nBDT,120.00\n");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A new id: the prefix and 20 random letters (no digits, so that no run of digits looks like a
   * card number to the server's card number check).
   */
  public static String id(String prefix) {
    StringBuilder b = new StringBuilder(prefix).append('_');
    for (char c : UUID.randomUUID().toString().replace("-", "").substring(0, 20).toCharArray()) {
      b.append(Character.isDigit(c) ? (char) ('g' + (c - '0')) : c);
    }
    return b.toString();
  }

  /** A payment at assurance level 1 in the daytime (so the off-hours rule stays out of it); the decision. */
  public static Map<String, Object> pay(ApiClient api, String accountId, long amountMinor, String currency) {
    Map<String, Object> body = new HashMap<>();
    body.put("event_id", id("evt"));
    body.put("type", "payment");
    body.put("occurred_at", TestClock.daytime().toString());
    body.put("account_id", accountId);
    body.put("amount", amountMinor);
    body.put("currency", currency);
    body.put("auth", Map.of("method", "password", "assurance_level", 1));
    ApiClient.Reply r = api.post("/v1/decisions", body);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  /** A CHF payment answered REVIEW; its decision id. */
  public static String review(ApiClient api, String accountId) {
    Map<String, Object> d = pay(api, accountId, 500_00L, "CHF");
    assertEquals("REVIEW", d.get("action"), d::toString);
    return (String) d.get("decision_id");
  }

  /** A small USD payment that is allowed; its decision id. */
  public static String allowed(ApiClient api, String accountId) {
    Map<String, Object> d = pay(api, accountId, 50_00L, "USD");
    assertEquals("ALLOW", d.get("action"), d::toString);
    return (String) d.get("decision_id");
  }

  /** The account's one case, once the opener has opened it (a bounded poll). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> awaitCase(ApiClient api, String accountId) {
    long deadline = System.nanoTime() + OPEN_WAIT.toNanos();
    while (true) {
      ApiClient.Reply r = api.get("/v1/cases?account_id=" + accountId);
      assertEquals(200, r.status(), r.body());
      List<Map<String, Object>> data = (List<Map<String, Object>>) r.json().get("data");
      if (!data.isEmpty()) {
        assertEquals(1, data.size(), r.body());
        return data.get(0);
      }
      assertTrue(System.nanoTime() < deadline, "no case opened for " + accountId + " within " + OPEN_WAIT);
      sleep(50);
    }
  }

  public static Map<String, Object> caseOf(ApiClient api, String caseId) {
    ApiClient.Reply r = api.get("/v1/cases/" + caseId);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  /** The case's timeline, oldest first (one page: these tests' cases have few entries). */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> timeline(ApiClient api, String caseId) {
    ApiClient.Reply r = api.get("/v1/cases/" + caseId + "/timeline?limit=500");
    assertEquals(200, r.status(), r.body());
    assertEquals(false, r.json().get("has_more"), r.body());
    return (List<Map<String, Object>>) r.json().get("data");
  }

  /** How many timeline entries of this kind the case has. */
  public static long count(List<Map<String, Object>> timeline, String kind) {
    return timeline.stream().filter(e -> kind.equals(e.get("kind"))).count();
  }

  /** Asserts the API's error shape: status, type, code and param exactly; the error object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> assertError(ApiClient.Reply r, int status, String type, String code, String param) {
    assertEquals(status, r.status(), () -> "status; body: " + r.body());
    Map<String, Object> e = (Map<String, Object>) r.json().get("error");
    assertEquals(type, e.get("type"), r.body());
    assertEquals(code, e.get("code"), r.body());
    assertEquals(param, e.get("param"), r.body());
    assertTrue(e.get("message") instanceof String m && !m.isBlank(), r.body());
    return e;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
