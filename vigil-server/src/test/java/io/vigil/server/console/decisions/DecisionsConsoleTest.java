package io.vigil.server.console.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.console.ConsoleBrowser;
import io.vigil.server.console.ConsoleServerBase;
import io.vigil.server.security.Role;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;

/**
 * The decision search and the decision page in a real browser: decisions made through the API for
 * accounts of the test's own, searched by account and action, paged both ways, downloaded as CSV,
 * refused filters shown in the API's words next to their field; the decision page's reasons,
 * features, explanation chart and the account's timeline; an event attribute holding markup shown
 * as text.
 */
class DecisionsConsoleTest extends ConsoleServerBase {
  private static final String XSS = "<img src=x onerror=alert(1)>";

  private static String id(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace('-', '_');
  }

  private Map<String, Object> pay(String account, long amountMinor, Instant at, Map<String, Object> extra) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event_id", id("evt"));
    m.put("type", "payment");
    m.put("occurred_at", at.toString());
    m.put("account_id", account);
    m.put("merchant_id", "shop-" + (account.hashCode() & 7));
    m.put("amount", amountMinor);
    m.put("currency", "EUR");
    m.putAll(extra);
    ApiClient.Reply r = api.post("/v1/decisions", m);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private void noAlertAndNoScriptError(ConsoleBrowser b) {
    try {
      b.driver().switchTo().alert();
      throw new AssertionError("an alert ran: markup from the data was executed");
    } catch (NoAlertPresentException expected) {
      // nothing ran
    }
    assertThat(b.consoleErrors()).as("no Content-Security-Policy violation or script error").isEmpty();
  }

  /** The texts of a results column, read in one script (htmx may swap the table between two reads). */
  @SuppressWarnings("unchecked")
  private List<String> column(ConsoleBrowser b, String cssClass) {
    return (List<String>) b.script("return Array.from(document.querySelectorAll('#decision-table a.' + arguments[0]))"
        + ".map(function (a) { return a.textContent.trim(); });", cssClass);
  }

  @Test
  void searchByAccountAndActionPagesBothWaysDownloadsCsvAndShowsRefusedFiltersByTheirField() {
    String account = id("con-srch");
    List<String> actions = new ArrayList<>();
    for (long amount : new long[] {1_000, 2_000, 1_500_000, 3_000, 4_000, 1_600_000, 5_000}) {
      actions.add((String) pay(account, amount, TestClock.now(), Map.of()).get("action"));
    }
    assertThat(actions).contains("ALLOW", "CHALLENGE");
    int challenged = (int) actions.stream().filter("CHALLENGE"::equals).count();
    TestOperators.Signed viewer = TestOperators.signIn(base, TestOperators.newUsername("dview"), Set.of(Role.VIEWER));
    ConsoleBrowser b = browser().signedInAs(viewer);

    b.open("/console/decisions?account_id=" + account + "&limit=3");
    List<String> first = column(b, "decision-link");
    assertThat(first).hasSize(3);
    assertThat(column(b, "account-link")).containsOnly(account);
    b.click(By.id("next-page"));
    b.waitUntil(d -> b.path().contains("starting_after=") && !column(b, "decision-link").equals(first));
    List<String> second = column(b, "decision-link");
    assertThat(second).hasSize(3).doesNotContainAnyElementsOf(first);
    assertThat(b.path()).as("the address keeps the filters").contains("account_id=" + account);
    b.click(By.id("previous-page"));
    b.waitUntil(d -> column(b, "decision-link").equals(first));
    assertThat(b.path()).contains("ending_before=");

    b.open("/console/decisions");
    b.type(By.id("f-account"), account);
    b.find(By.cssSelector("#f-action option[value='CHALLENGE']")).click();
    b.click(By.id("search"));
    b.waitUntil(d -> b.path().contains("action=CHALLENGE") && column(b, "decision-link").size() == challenged);
    assertThat(b.findAll(By.cssSelector("#decision-table .tag.action-CHALLENGE"))).hasSize(challenged);
    assertThat(b.findAll(By.cssSelector("#decision-table .tag.action-ALLOW"))).isEmpty();
    assertThat(b.findAll(By.id("decision-search"))).as("htmx swapped the search in place, not a page into the page").hasSize(1);
    assertThat(b.findAll(By.tagName("h1"))).hasSize(1);
    b.screenshot("decisions");

    String csv = b.find(By.id("csv")).getAttribute("href");
    assertThat(csv).contains("/v1/decisions.csv?").contains("account_id=" + account).contains("action=CHALLENGE");
    Object download = b.script("return fetch(arguments[0], {credentials: 'same-origin'})"
        + ".then(function (r) { return r.text().then(function (t) { return r.status + '\\n' + t; }); });", csv);
    String[] lines = String.valueOf(download).split("\r?\n");
    assertThat(lines[0]).as("the operator's session downloads it").isEqualTo("200");
    assertThat(lines[1]).startsWith("decision_id,");
    assertThat(lines).hasSize(2 + challenged); // status, header, the CHALLENGE decisions
    noAlertAndNoScriptError(b);

    b.open("/console/decisions?score_min=abc");
    String apiSays = (String) api.get("/v1/decisions?score_min=abc").error().get("message");
    assertThat(b.visible(By.cssSelector(".field-error[data-for='score_min']")).getText()).isEqualTo(apiSays);
    b.open("/console/decisions?account_id=" + account);
    b.type(By.id("f-amount-min"), "-1");
    b.click(By.id("search"));
    String amountSays = (String) api.get("/v1/decisions?amount_min=-1").error().get("message");
    assertThat(b.visible(By.cssSelector(".field-error[data-for='amount_min']")).getText()).isEqualTo(amountSays);
    assertThat(b.findAll(By.id("decision-table"))).as("no results for a refused filter").isEmpty();
    assertThat(b.path()).contains("amount_min=-1");
  }

  @Test
  void theDecisionPageShowsTheEventReasonsFeaturesExplanationAndTheAccountsTimeline() {
    TestOperators.Signed analyst = TestOperators.signIn(base, TestOperators.newUsername("danl"), Set.of(Role.ANALYST));
    String model = trainLiveModel();
    try {
      String account = id("con-dec");
      pay(account, 2_000, TestClock.now().minusSeconds(600), Map.of());
      pay(account, 3_000, TestClock.now().minusSeconds(300), Map.of());
      Map<String, Object> d = pay(account, 1_500_000, TestClock.now(), Map.of("attributes", Map.of("note", XSS)));
      String decisionId = (String) d.get("decision_id");
      ConsoleBrowser b = browser().signedInAs(analyst).open("/console/decisions/" + decisionId);

      assertThat(b.find(By.id("decision-action")).getText()).isEqualTo(d.get("action"));
      assertThat(b.find(By.id("reasons")).getText()).contains("large_payment");
      assertThat(b.find(By.id("features")).getText()).contains("amount_major");
      assertThat(b.find(By.id("event-fields")).getText()).as("the attribute's markup, as text").contains("attributes.note")
          .contains(XSS);
      assertThat(b.findAll(By.cssSelector("#event-fields img"))).isEmpty();
      b.waitUntil(d2 -> b.find(By.id("explanation-chart")).getAttribute("data-rendered") != null);
      assertThat(Integer.parseInt(b.find(By.id("explanation-chart")).getAttribute("data-rendered"))).isPositive();
      assertThat(b.findAll(By.cssSelector("#explanation-chart canvas"))).isNotEmpty();
      b.waitUntil(d2 -> "3".equals(b.find(By.id("timeline-chart")).getAttribute("data-rendered")));
      assertThat(b.findAll(By.cssSelector("#timeline-chart canvas"))).isNotEmpty();
      assertThat(b.findAll(By.cssSelector("#history tbody tr"))).hasSize(3);
      assertThat(b.find(By.id("outcome")).getText()).contains("Final action");
      noAlertAndNoScriptError(b);
      b.script("document.getElementById('explanation-title').scrollIntoView()");
      b.screenshot("decision");

      b.click(By.id("decision-account"));
      b.waitUntil(d2 -> b.path().startsWith("/console/accounts/" + account));
      b.open("/console/decisions/no_such_decision");
      assertThat(b.find(By.id("decision-missing")).getText()).isEqualTo("No decision with this id");
    } finally {
      api.post("/v1/models/" + model + "/role", Map.of("role", "inactive"));
    }
  }

  /** A model trained on labelled decisions of the test's own accounts and made live, so decisions are explained. */
  private String trainLiveModel() {
    Random random = new Random(5);
    Instant start = TestClock.now().minusSeconds(3_600);
    String prefix = id("con-train");
    for (int i = 0; i < 300; i++) {
      boolean fraud = i % 8 == 0;
      long amount = fraud ? 90_000 + random.nextInt(10_000) : 1_000 + random.nextInt(9_000);
      Map<String, Object> d = pay(prefix + "-" + (i % 40), amount, start.plusSeconds(i * 10L), Map.of());
      ApiClient.Reply r = api.post("/v1/feedback", Map.of("label_id", prefix + "-label-" + i, "decision_id", d.get("decision_id"),
          "kind", fraud ? "fraud" : "legitimate"));
      assertThat(r.status()).as(r.body()).isEqualTo(201);
    }
    ApiClient.Reply trained = api.post("/v1/models/train", Map.of("from", start.minusSeconds(60).toString(), "label_delay_days", 0,
        "params", Map.of("rounds", 40, "min_data_in_leaf", 5), "role", "live"));
    assertThat(trained.status()).as(trained.body()).isEqualTo(201);
    return (String) trained.json().get("model_id");
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
