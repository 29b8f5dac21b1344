package io.vigil.server.monitoring;

import static io.vigil.server.api.ApiTestSupport.data;
import static io.vigil.server.api.ApiTestSupport.id;
import static io.vigil.server.monitoring.MonitoringTestSupport.decisionIds;
import static io.vigil.server.monitoring.MonitoringTestSupport.evidence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.server.support.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each shipped scenario, through real decisions: the pattern is injected with {@code POST /v1/decisions}
 * at test-clock times and must alert with its evidence; a legitimate look-alike must not.
 */
class MonitoringScenariosApiTest extends MonitoringServerBase {
  private static Map<String, Object> device(String deviceId) {
    return Map.of("device", Map.of("id", deviceId));
  }

  @Test
  void structuringAcrossLinkedAccountsAlertsAndOneAlertTakesTheRepeats() {
    String a = id("acct");
    String b = id("acct");
    String shared = id("dev");
    String first = mon.event("transfer", a, id("cp"), 950_000, "USD", device(shared));
    TestClock.advance(Duration.ofDays(1));
    String second = mon.event("transfer", a, id("cp"), 930_000, "USD", device(shared));
    TestClock.advance(Duration.ofDays(1));
    // BDT 1,150,000.00 at 120 BDT per USD: USD 9,583.33, just under the USD 10,000 threshold.
    String third = mon.event("transfer", b, id("cp"), 115_000_000, "BDT", device(shared));
    Map<String, Object> alert = mon.alert(third, "structuring", b);
    assertTrue(decisionIds(alert).containsAll(List.of(first, second, third)), alert.toString());
    assertEquals(List.of(a, b), evidence(alert).get("accounts"));
    assertNotNull(alert.get("case_id"), "the alert opened a case");
    List<Map<String, Object>> cases = data(api.get("/v1/cases?account_id=" + b + "&origin=alert"));
    assertEquals(alert.get("case_id"), cases.get(0).get("case_id"));
    assertEquals(Instant.parse((String) alert.get("raised_at")).plus(Duration.ofHours(24)).toString(), cases.get(0).get("due_at"),
        "the deadline counts from the alert, not from its evidence two days earlier");

    String fourth = mon.event("transfer", b, id("cp"), 990_000, "USD", device(shared));
    Map<String, Object> again = mon.alert(fourth, "structuring", b);
    assertEquals(alert.get("alert_id"), again.get("alert_id"), "no second alert within the cooldown");
    assertEquals(1, ((Number) again.get("repeats")).intValue());
  }

  @Test
  void amountsWellUnderTheThresholdOrTooFewDoNotAlert() {
    String a = id("acct");
    String last = null;
    for (int i = 0; i < 4; i++) last = mon.event("transfer", a, id("cp"), 500_000, "USD", Map.of());
    assertTrue(mon.alertsAfter(last, "structuring", a).isEmpty());
    String b = id("acct");
    mon.transfer(b, id("cp"), 950_000);
    last = mon.transfer(b, id("cp"), 960_000);
    assertTrue(mon.alertsAfter(last, "structuring", b).isEmpty(), "two amounts under the threshold are not structuring");
  }

  @Test
  void fanInFromManySendersAlertsWithTheSenders() {
    String target = id("acct");
    List<String> senders = new ArrayList<>();
    String last = null;
    for (int i = 0; i < 10; i++) {
      String s = id("acct");
      senders.add(s);
      last = mon.transfer(s, target, 20_000);
      TestClock.advance(Duration.ofHours(3));
    }
    Map<String, Object> alert = mon.alert(last, "fan_in", target);
    assertTrue(((List<?>) evidence(alert).get("accounts")).containsAll(senders));
    assertEquals(10, decisionIds(alert).size());
  }

  @Test
  void anAccountThatAlwaysHadManySendersDoesNotAlert() {
    String merchantLike = id("acct");
    String last = null;
    for (int week = 0; week < 5; week++) {
      for (int i = 0; i < (week < 4 ? 5 : 10); i++) last = mon.transfer(id("acct"), merchantLike, 20_000);
      TestClock.advance(Duration.ofDays(7));
    }
    // 10 senders this week against 5 a week before: not more than 3 times its usual count.
    assertTrue(mon.alertsAfter(last, "fan_in", merchantLike).isEmpty());
  }

  @Test
  void fanOutToManyReceiversAlertsAndNineDoNot() {
    String payer = id("acct");
    String quiet = id("acct");
    String last = null;
    String lastQuiet = null;
    for (int i = 0; i < 10; i++) {
      last = mon.transfer(payer, id("acct"), 15_000);
      if (i < 9) lastQuiet = mon.transfer(quiet, id("acct"), 15_000);
      TestClock.advance(Duration.ofHours(2));
    }
    Map<String, Object> alert = mon.alert(last, "fan_out", payer);
    assertEquals(10, ((List<?>) evidence(alert).get("accounts")).size());
    assertTrue(mon.alertsAfter(lastQuiet, "fan_out", quiet).isEmpty());
  }

  @Test
  void passThroughWithinHoursAlertsAndSpendingAPartDoesNot() {
    String mule = id("acct");
    String in = mon.transfer(id("acct"), mule, 600_000);
    TestClock.advance(Duration.ofHours(2));
    String out = mon.transfer(mule, id("acct"), 550_000);
    Map<String, Object> alert = mon.alert(out, "pass_through", mule);
    assertTrue(decisionIds(alert).containsAll(List.of(in, out)));

    String saver = id("acct");
    mon.transfer(id("acct"), saver, 600_000);
    TestClock.advance(Duration.ofHours(2));
    String spent = mon.transfer(saver, id("acct"), 100_000);
    assertTrue(mon.alertsAfter(spent, "pass_through", saver).isEmpty());
  }

  @Test
  void moneyBackAtItsOriginThroughThreeHopsAlertsWithThePath() {
    String a = id("acct");
    String b = id("acct");
    String c = id("acct");
    mon.transfer(a, b, 300_000);
    TestClock.advance(Duration.ofHours(5));
    mon.transfer(b, c, 290_000);
    TestClock.advance(Duration.ofHours(5));
    String closing = mon.transfer(c, a, 280_000);
    Map<String, Object> alert = mon.alert(closing, "cycle", a);
    assertEquals(List.of(a, b, c, a), evidence(alert).get("path"));
    assertEquals(3, decisionIds(alert).size());

    String d = id("acct");
    String e = id("acct");
    String f = id("acct");
    mon.transfer(d, e, 300_000);
    mon.transfer(e, f, 290_000);
    String onward = mon.transfer(f, id("acct"), 280_000);
    assertTrue(mon.alertsAfter(onward, "cycle", d).isEmpty(), "a chain that does not come back is no cycle");
  }

  @Test
  void fiveAccountsOnOneDeviceAlertAndAFamilyOfThreeDoesNot() {
    String device = id("dev");
    String family = id("dev");
    List<String> accounts = new ArrayList<>();
    List<String> members = new ArrayList<>();
    String last = null;
    String lastFamily = null;
    for (int i = 0; i < 5; i++) {
      String acct = id("acct");
      accounts.add(acct);
      last = mon.event("registration", acct, null, 0, null, device(device));
      if (i < 3) {
        members.add(id("acct"));
        lastFamily = mon.event("login", members.get(i), null, 0, null, device(family));
      }
      TestClock.advance(Duration.ofHours(6));
    }
    Map<String, Object> alert = mon.alert(last, "shared_identity", accounts.get(0));
    assertEquals(accounts, evidence(alert).get("accounts"));
    for (String member : members) assertTrue(mon.alertsAfter(lastFamily, "shared_identity", member).isEmpty());
  }

  @Test
  void aDormantAccountMovingMoneyAlertsAndAMonthlyOneDoesNot() {
    String dormant = id("acct");
    String monthly = id("acct");
    mon.transfer(dormant, id("acct"), 20_000);
    mon.transfer(monthly, id("acct"), 20_000);
    TestClock.advance(Duration.ofDays(60));
    mon.transfer(monthly, id("acct"), 20_000);
    TestClock.advance(Duration.ofDays(31));
    String wake = mon.transfer(dormant, id("acct"), 400_000);
    String usual = mon.transfer(monthly, id("acct"), 400_000);
    Map<String, Object> alert = mon.alert(wake, "dormant_reactivation", dormant);
    assertEquals(List.of(wake), decisionIds(alert));
    assertEquals(91L, ((Number) ((Map<?, ?>) evidence(alert).get("figures")).get("silent_days")).longValue());
    assertTrue(mon.alertsAfter(usual, "dormant_reactivation", monthly).isEmpty());
  }

  @Test
  void aDayFarAboveTheAccountsOwnAverageAlertsAndAnOrdinaryDayDoesNot() {
    String small = id("acct");
    String steady = id("acct");
    for (int i = 0; i < 6; i++) {
      mon.transfer(small, id("acct"), 10_000);
      mon.transfer(steady, id("acct"), 100_000);
      TestClock.advance(Duration.ofDays(1));
    }
    String spike = mon.transfer(small, id("acct"), 500_000);
    String ordinary = mon.transfer(steady, id("acct"), 150_000);
    Map<String, Object> alert = mon.alert(spike, "activity_spike", small);
    assertTrue(decisionIds(alert).contains(spike));
    assertTrue(mon.alertsAfter(ordinary, "activity_spike", steady).isEmpty());
  }

  @Test
  void cashWithdrawalsOverTheDayThresholdAlertAndATransferDoesNot() {
    String cash = id("acct");
    String first = mon.event("withdrawal", cash, null, 600_000, "USD", Map.of());
    TestClock.advance(Duration.ofHours(4));
    String second = mon.event("withdrawal", cash, null, 500_000, "USD", Map.of());
    Map<String, Object> alert = mon.alert(second, "large_cash", cash);
    assertEquals(2, decisionIds(alert).size());
    assertTrue(decisionIds(alert).containsAll(List.of(first, second)));

    String payer = id("acct");
    mon.event("withdrawal", payer, null, 600_000, "USD", Map.of());
    String big = mon.transfer(payer, id("acct"), 2_000_000);
    assertTrue(mon.alertsAfter(big, "large_cash", payer).isEmpty(), "a transfer is not cash");
  }
}
