package io.vigil.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.api.ApiTestSupport;
import io.vigil.server.api.ServerTestBase;
import io.vigil.server.security.Role;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The dashboard in a real browser: decisions of each action made through the API show in the stat
 * cards and the charts without a reload (the live stream), the range picker changes the charts'
 * data, labels move the false-interception rate, and the page runs without a script error or a
 * Content-Security-Policy violation. Counts are compared before and after, so decisions other tests
 * made on the shared server do not matter.
 */
class DashboardConsoleTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-console-dashboard-");

  /**
   * A server of its own: the dashboard counts every decision of the server in its range, and its live
   * updates are shared by every viewer, so another console test's decisions, open streams and clock
   * moves must not reach it.
   */
  @DynamicPropertySource
  static void ownServer(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    storeAsAsked(registry);
  }

  private static ConsoleBrowser browser;
  private static final String[] ACTIONS = {"ALLOW", "CHALLENGE", "REVIEW", "HOLD", "DENY"};

  private ConsoleBrowser browser() {
    if (browser == null) browser = new ConsoleBrowser(base);
    browser.driver().manage().deleteAllCookies();
    return browser;
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) browser.close();
  }

  private Map<String, Object> decide(Map<String, Object> event, String expectedAction) {
    ApiClient.Reply r = api.post("/v1/decisions", event);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("action")).as("the test's decision: " + r.body()).isEqualTo(expectedAction);
    return r.json();
  }

  private Map<String, Long> counts(ConsoleBrowser b) {
    Map<String, Long> m = new HashMap<>();
    for (String a : ACTIONS) m.put(a, Long.parseLong(b.find(By.id("count-" + a)).getDomAttribute("data-count")));
    return m;
  }

  private static long total(ConsoleBrowser b) {
    return Long.parseLong(b.find(By.cssSelector("#stat-total .value")).getText());
  }

  @Test
  void decisionsShowInTheCardsAndChartsLiveAndTheRangeChangesTheData() {
    // The console tests share a server and the test clock: two hours on, the last hour holds only this
    // test's decisions, and none of another test's can slide out of the range while this one counts.
    TestClock.advance(Duration.ofHours(2));
    TestOperators.Signed op = TestOperators.signIn(base, TestOperators.newUsername("dash"), Set.of(Role.VIEWER));
    ConsoleBrowser b = browser().signedInAs(op).open("/console/dashboard");
    b.waitUntil(d -> "1h".equals(b.find(By.id("chart-per-minute")).getDomAttribute("data-loaded-range")));
    // Two hours on, the last hour is empty until this test decides (a fragment rendered for another
    // viewer just before the clock moved may show briefly; the next tick replaces it).
    b.waitUntil(d -> total(b) == 0);
    long before = 0;
    Map<String, Long> was = new HashMap<>();
    for (String a : ACTIONS) was.put(a, 0L);
    String holdsBefore = b.find(By.cssSelector("#stat-holds .value")).getText();
    b.script("window.dashboardTestMarker = 'not reloaded';");

    String account = id("acc_dash");
    decide(Events.payment(id("e"), account, 1_500), "ALLOW");
    decide(Events.payment(id("e"), account, 2_500), "ALLOW");
    Map<String, Object> review = Events.payment(id("e"), id("acc_dash"), 5_000);
    review.put("currency", "MNT");
    String reviewId = (String) decide(review, "REVIEW").get("decision_id");
    decide(Events.payment(id("e"), id("acc_dash"), 20_000_000), "HOLD");
    String blocked = id("acc_dash_blocked");
    assertThat(api.post("/v1/lists/entries", Map.of("list", "block", "entity", "account", "value", blocked,
        "reason", "dashboard test")).status()).isEqualTo(201);
    String denyId = (String) decide(Events.payment(id("e"), blocked, 1_000), "DENY").get("decision_id");

    b.waitUntil(d -> total(b) == before + 5);
    assertThat(b.script("return window.dashboardTestMarker;")).as("updated live, without a reload").isEqualTo("not reloaded");
    Map<String, Long> now = counts(b);
    assertThat(now.get("ALLOW") - was.get("ALLOW")).isEqualTo(2);
    assertThat(now.get("REVIEW") - was.get("REVIEW")).isEqualTo(1);
    assertThat(now.get("HOLD") - was.get("HOLD")).isEqualTo(1);
    assertThat(now.get("DENY") - was.get("DENY")).isEqualTo(1);
    assertThat(b.find(By.cssSelector("#stat-review-queue .value")).getText()).isEqualTo(Long.toString(now.get("REVIEW")));
    if (!holdsBefore.startsWith("at least")) {
      assertThat(b.find(By.cssSelector("#stat-holds .value")).getText())
          .as("the new hold awaits approval").isEqualTo(Long.toString(Long.parseLong(holdsBefore) + 1));
    }

    long total = before + 5;
    long intercepted = total - now.get("ALLOW");
    long reviewed = now.get("REVIEW") + now.get("HOLD");
    assertThat(b.find(By.cssSelector("#stat-interception .value")).getText()).isEqualTo(percent(intercepted, total));
    assertThat(b.find(By.cssSelector("#stat-review .value")).getText()).isEqualTo(percent(reviewed, total));
    assertThat(b.find(By.id("stat-review")).getDomAttribute("class"))
        .isEqualTo((double) reviewed / total <= 0.05 ? "stat met" : "stat breach");
    assertThat(b.find(By.cssSelector("#stat-latency #latency-p50")).getText()).endsWith("ms");
    assertThat(b.find(By.cssSelector("#top-rules")).getText()).contains("list.block.account");

    // The charts re-read their data on a live update: the same total, drawn on a canvas.
    b.waitUntil(d -> Long.toString(total).equals(b.find(By.id("chart-per-minute")).getDomAttribute("data-total")));
    assertThat(b.find(By.id("chart-scores")).getDomAttribute("data-total")).isEqualTo(Long.toString(total));
    assertThat(b.findAll(By.cssSelector("#chart-per-minute canvas, #chart-scores canvas"))).hasSizeGreaterThanOrEqualTo(2);
    assertThat(points(b)).as("an hour in minutes").isEqualTo(60L);
    b.screenshot("dashboard");

    // Labels: an intercepted decision found legitimate moves the false-interception rate above its target.
    assertThat(api.post("/v1/feedback", Map.of("label_id", id("l"), "decision_id", denyId, "kind", "legitimate"))
        .status()).isEqualTo(201);
    assertThat(api.post("/v1/feedback", Map.of("label_id", id("l"), "decision_id", reviewId, "kind", "fraud"))
        .status()).isEqualTo(201);
    b.waitUntil(d -> "stat breach".equals(b.find(By.id("stat-false-interception")).getDomAttribute("class")));
    assertThat(b.find(By.cssSelector("#stat-false-interception .muted")).getText()).contains("were legitimate");

    // The range picker: the charts' steps and the stream change, the address follows.
    b.driver().findElement(By.cssSelector("#range option[value='24h']")).click();
    b.waitUntil(d -> "24h".equals(b.find(By.id("chart-per-minute")).getDomAttribute("data-loaded-range")));
    assertThat(points(b)).as("a day in steps of ten minutes").isEqualTo(144L);
    assertThat(b.path()).endsWith("range=24h");
    b.waitUntil(d -> b.find(By.id("stats-updated")).getText().contains("Last 24 hours"));
    assertThat(total(b)).isGreaterThanOrEqualTo(total);
    b.driver().findElement(By.cssSelector("#range option[value='15m']")).click();
    b.waitUntil(d -> "15m".equals(b.find(By.id("chart-per-minute")).getDomAttribute("data-loaded-range")));
    assertThat(points(b)).isEqualTo(15L);
    assertThat(b.consoleErrors()).as("no Content-Security-Policy violation or script error").isEmpty();
  }

  @Test
  void anOperatorWithoutMetricsReadIsRefusedThePageItsDataAndItsStream() {
    TestOperators.Signed none = TestOperators.signIn(base, TestOperators.newUsername("nodash"), Set.of());
    ConsoleBrowser b = browser().signedInAs(none);
    for (String path : new String[] {"/console/dashboard", "/console/dashboard/data?range=1h", "/console/dashboard/stream"}) {
      b.open(path);
      assertThat(b.find(By.id("refusal")).getText()).as(path).contains("metrics.read");
    }
  }

  private static long points(ConsoleBrowser b) {
    return (Long) b.script("return echarts.getInstanceByDom(document.getElementById('chart-per-minute'))"
        + ".getOption().xAxis[0].data.length;");
  }

  /** A unique id that can never hold a card number (a run of 16 random hex digits could). */
  private static String id(String prefix) {
    return ApiTestSupport.id(prefix);
  }

  private static String percent(long part, long whole) {
    return String.format(Locale.ROOT, "%.1f %%", 100.0 * part / whole);
  }
}
