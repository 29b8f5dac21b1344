package io.vigil.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vigil.server.security.Role;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import io.vigil.server.support.TestOperators;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/**
 * The rules and policy screens in a real browser: a rule edited with a type error, fixed, tested,
 * backtested and saved; the list and the version diff show it; a viewer can change nothing.
 */
class RulesConsoleTest extends ConsoleServerBase {
  private static final String XSS = "<img src=x onerror=alert(1)>";

  private static void noAlert(ConsoleBrowser b) {
    assertThrows(NoAlertPresentException.class, () -> b.driver().switchTo().alert(), "the XSS payload ran");
    assertThat(b.consoleErrors()).as("no Content-Security-Policy violation or script error").isEmpty();
  }

  private void decide(String eventId, String account, long amount) {
    ApiClient.Reply r = api.post("/v1/decisions", Events.payment(eventId, account, amount));
    assertEquals(200, r.status(), r.body());
  }

  @Test
  void aRuleIsFixedTestedBacktestedSavedListedAndDiffed() {
    String suffix = Long.toString(System.nanoTime() % 1_000_000_007L, 36);
    String id = "console_rule_" + suffix;
    String account = "acct_console_" + suffix;
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("id", id);
    rule.put("description", XSS);
    rule.put("expression", "false");
    rule.put("effect", Map.of("points", 10));
    rule.put("reason", "Big payment " + XSS);
    assertEquals(201, api.post("/v1/rules", rule).status());
    for (int i = 0; i < 3; i++) decide("rc-" + suffix + "-" + i, account, 50_000 + i);

    TestOperators.Signed author = TestOperators.signIn(base, TestOperators.newUsername("author"), Set.of(Role.RULE_AUTHOR, Role.SUPERVISOR));
    ConsoleBrowser b = browser().signedInAs(author).open("/console/rules/" + id);
    assertEquals(XSS, b.visible(By.id("rule-description")).getAttribute("value"), "the description, as text");

    // A type error: a string compared with a number, on the second line.
    b.type(By.id("rule-expression"), "event.account_id == \"" + account + "\" &&\nevent.amount > \"100\"");
    WebElement issue = b.textContains(By.cssSelector("#expression-check .issue"), "Line 2, column");
    assertThat(issue.getText()).as("the compiler's own words").containsIgnoringCase("found");

    // Fixed: it compiles.
    b.type(By.id("rule-expression"), "event.account_id == \"" + account + "\" &&\nevent.amount > 100");
    b.textContains(By.id("expression-check"), "Compiles");
    assertThat(b.findAll(By.cssSelector("#expression-check .issue"))).isEmpty();

    // Tested against a pasted event.
    b.type(By.id("test-event"), ApiClient.json(Events.payment("pasted-" + suffix, account, 25_000)));
    b.click(By.id("run-test"));
    b.textContains(By.id("test-verdict"), "Fires");
    b.textContains(By.id("test-result"), "event.amount");

    // Backtested against the decisions stored above.
    b.type(By.id("backtest-days"), "1");
    b.click(By.id("run-backtest"));
    assertEquals("3", b.visible(By.id("backtest-fires")).getText());
    b.visible(By.id("backtest-changes"));
    b.screenshot("rule-editor");

    b.script("window.beforeSave = true");
    b.click(By.id("save-rule"));
    // Saved: the page goes to the rule's editor again, a new page.
    b.waitUntil(d -> Boolean.TRUE.equals(b.script("return window.beforeSave === undefined && document.readyState === 'complete'")));
    assertEquals("/console/rules/" + id, b.path());
    assertThat(b.find(By.id("rule-expression")).getAttribute("value")).contains("event.amount > 100");
    assertThat(((Map<?, ?>) api.get("/v1/rules/" + id).json()).get("expression").toString()).contains("event.amount > 100");

    ApiClient.Reply fired = api.post("/v1/decisions", Events.payment("rc-" + suffix + "-after", account, 60_000)); // fires the saved rule
    assertEquals(200, fired.status(), fired.body());
    assertEquals(201, api.post("/v1/feedback", Map.of("label_id", "rc-label-" + suffix, "decision_id",
        fired.json().get("decision_id"), "kind", "fraud", "verdict", "fraud")).status());
    b.open("/console/rules");
    By row = By.cssSelector("tr[data-rule-id='" + id + "']");
    assertEquals(XSS, b.visible(row).findElement(By.cssSelector(".description")).getText());
    assertEquals("enabled", b.find(row).findElement(By.cssSelector(".tag")).getText());
    assertEquals("1", b.find(row).findElement(By.cssSelector(".fires")).getText());
    assertEquals("+10 points", b.find(row).findElement(By.cssSelector(".effect")).getText());
    assertEquals("100% of 1", b.find(row).findElement(By.cssSelector(".precision")).getText());
    noAlert(b);
    b.script("document.querySelector(arguments[0]).scrollIntoView()", "tr[data-rule-id='" + id + "']");
    b.screenshot("rules");

    b.open("/console/rules/-/versions");
    String added = b.visible(By.cssSelector("#version-diff")).getText();
    assertThat(added).contains("+ ").contains("event.amount > 100");
    assertThat(b.findAll(By.cssSelector("#version-diff .diff-removed"))).extracting(WebElement::getText)
        .anyMatch(t -> t.contains("\"false\""));
    assertThat(b.findAll(By.cssSelector("#version-diff .diff-added"))).extracting(WebElement::getText)
        .anyMatch(t -> t.contains(account));
    b.screenshot("policy-versions");
    noAlert(b);
  }

  @Test
  void aViewerSeesNoEditControlsAndTheApiRefusesTheSave() {
    String id = "viewer_rule_" + Long.toString(System.nanoTime() % 1_000_000_007L, 36);
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("id", id);
    rule.put("description", XSS);
    // never fires: the console tests share one server, and a live rule would change the others' decisions
    rule.put("expression", "event.account_id == \"" + id + "\" && event.amount > 5");
    rule.put("effect", Map.of("action", "REVIEW"));
    rule.put("reason", "Amount");
    assertEquals(201, api.post("/v1/rules", rule).status());

    TestOperators.Signed viewer = TestOperators.signIn(base, TestOperators.newUsername("viewer"), Set.of(Role.VIEWER));
    ConsoleBrowser b = browser().signedInAs(viewer).open("/console/rules");
    By row = By.cssSelector("tr[data-rule-id='" + id + "']");
    assertEquals(XSS, b.visible(row).findElement(By.cssSelector(".description")).getText());
    assertThat(b.findAll(By.id("new-rule"))).isEmpty();
    assertThat(b.findAll(By.cssSelector("#rules-table form"))).as("no enable or disable buttons").isEmpty();

    b.open("/console/rules/" + id);
    b.visible(By.id("read-only-note"));
    assertThat(b.findAll(By.id("save-rule"))).isEmpty();
    assertThat(b.findAll(By.id("backtest-form"))).isEmpty();
    assertEquals("true", b.find(By.id("rule-expression")).getAttribute("readonly"));
    // Testing reads nothing stored: a viewer may.
    b.click(By.id("run-test"));
    b.visible(By.id("test-verdict"));

    b.open("/console/rules/-/policy");
    assertThat(b.findAll(By.cssSelector("button[id^='save-']"))).isEmpty();
    noAlert(b);

    TestOperators.Exchange refused = TestOperators.post(base, "/v1/rules", Map.of("id", id + "_x", "expression", "true",
        "effect", Map.of("points", 1), "reason", "x"), viewer.headers());
    assertEquals(403, refused.status(), refused.body());
    assertThat(refused.body()).contains("\"error\"");
    TestOperators.Exchange disable = TestOperators.post(base, "/v1/rules/" + id + "/disable", Map.of(), viewer.headers());
    assertEquals(403, disable.status(), disable.body());
    assertEquals(true, api.get("/v1/rules/" + id).json().get("enabled"));
  }

  @Test
  void thePolicyScreenShowsEveryPartAndSavesThresholdsThroughTheApi() {
    TestOperators.Signed author = TestOperators.signIn(base, TestOperators.newUsername("policy"), Set.of(Role.RULE_AUTHOR, Role.SUPERVISOR));
    ConsoleBrowser b = browser().signedInAs(author).open("/console/rules/-/policy");
    for (String part : new String[] {"thresholds", "weights", "limits", "challenges", "holds"}) {
      assertThat(b.visible(By.id("json-" + part)).getAttribute("value")).as(part).startsWith("{");
    }
    long before = ((Number) api.get("/v1/rules").json().get("policy_version")).longValue();
    // Bad JSON for the API: its error shows on the page.
    b.type(By.id("json-weights"), "{\"weights\": {\"rules\": 0.7, \"model\": 0.7}}");
    b.click(By.id("save-weights"));
    b.textContains(By.cssSelector("#part-weights .field-error, #part-weights [data-form-error]"), "invalid_weights");
    // The current thresholds saved as they are make a new version.
    b.click(By.id("save-thresholds"));
    b.waitUntil(d -> ((Number) api.get("/v1/rules").json().get("policy_version")).longValue() > before);
    b.textContains(By.id("policy-version"), String.valueOf(before + 1));
    noAlert(b);
  }
}
