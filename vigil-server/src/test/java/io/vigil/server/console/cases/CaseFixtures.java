package io.vigil.server.console.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Cases for the console tests, made the way production makes them: a payment in a currency without
 * an exchange rate is answered REVIEW (CZK: the sample reference data has no rate for it), and the
 * case opener, following the committed journal, opens its case a moment later (it polls every
 * 200 ms when idle).
 */
public final class CaseFixtures {
  /** How long a test waits for the opener to open a decision's case. */
  private static final Duration OPENED_WAIT = Duration.ofSeconds(15);

  private CaseFixtures() {}

  /** A fresh account id. */
  public static String account(String prefix) {
    return "acct_" + prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A 500.00 CZK payment by this account, answered REVIEW; its decision. */
  public static Map<String, Object> reviewPayment(ApiClient api, String account) {
    Map<String, Object> body = new HashMap<>();
    body.put("event_id", "evt_case_" + UUID.randomUUID());
    body.put("type", "payment");
    body.put("occurred_at", TestClock.daytime().toString());
    body.put("account_id", account);
    body.put("amount", 500_00L);
    body.put("currency", "CZK");
    body.put("auth", Map.of("method", "password", "assurance_level", 1));
    ApiClient.Reply r = api.post("/v1/decisions", body);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("action")).as(r.body()).isEqualTo("REVIEW");
    return r.json();
  }

  /** The case of this account, once the opener opened it (read through the API as this operator). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> awaitCase(String base, TestOperators.Signed reader, String account) {
    long deadline = System.nanoTime() + OPENED_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      TestOperators.Exchange r = TestOperators.get(base, "/v1/cases?account_id=" + account, reader.headers());
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      List<Map<String, Object>> data = (List<Map<String, Object>>) r.json().get("data");
      if (!data.isEmpty()) return data.get(0);
      sleep();
    }
    throw new AssertionError("no case opened for " + account + " within " + OPENED_WAIT);
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
