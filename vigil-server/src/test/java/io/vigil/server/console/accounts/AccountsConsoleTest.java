package io.vigil.server.console.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.console.ConsoleBrowser;
import io.vigil.server.console.ConsoleServerBase;
import io.vigil.server.security.Role;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/**
 * The account page in a real browser: two accounts of the test's own that share a device are
 * linked (graph and table), a linked account opens its own page; restrictions set and lifted from
 * the page through the API; an account id holding markup is shown as text.
 */
class AccountsConsoleTest extends ConsoleServerBase {
  private static final String XSS = "<img src=x onerror=alert(1)>";

  private static String id(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace('-', '_');
  }

  private Map<String, Object> pay(String account, String device, long amountMinor) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event_id", id("evt"));
    m.put("type", "payment");
    m.put("occurred_at", TestClock.now().toString());
    m.put("account_id", account);
    m.put("amount", amountMinor);
    m.put("currency", "USD");
    m.put("device", Map.of("id", device));
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

  @Test
  void accountsSharingADeviceAreLinkedAndALinkedAccountOpensItsPage() {
    String first = id("con-acc1");
    String second = id("con-acc2");
    String device = id("dev");
    pay(first, device, 2_500);
    pay(second, device, 4_000);
    ApiClient.Reply links = api.get("/v1/accounts/" + first + "/links");
    assertThat(links.body()).contains("\"shared_with\":[\"" + second + "\"]");

    TestOperators.Signed analyst = TestOperators.signIn(base, TestOperators.newUsername("aanl"), Set.of(Role.ANALYST));
    ConsoleBrowser b = browser().signedInAs(analyst).open("/console/accounts");
    assertThat(b.find(By.id("recent-accounts")).getText()).contains(second);
    b.type(By.id("account-id"), first).click(By.id("open"));
    b.waitUntil(d -> b.path().equals("/console/accounts/" + first));

    assertThat(b.find(By.id("links")).getText()).contains("device");
    List<String> linked = b.findAll(By.cssSelector("#links a.linked-account")).stream().map(WebElement::getText).toList();
    assertThat(linked).containsExactly(second);
    b.waitUntil(d -> b.find(By.id("links-graph")).getAttribute("data-rendered") != null);
    assertThat(b.find(By.id("links-graph")).getAttribute("data-rendered")).as("the account, the device, the other account")
        .isEqualTo("3");
    assertThat(b.findAll(By.cssSelector("#links-graph canvas"))).isNotEmpty();
    assertThat(b.find(By.id("account-decisions")).getText()).contains("25.00 USD");
    assertThat(b.findAll(By.id("restrict"))).as("an analyst may not restrict: no form").isEmpty();
    assertThat(b.find(By.id("limits")).getText()).as("the seeded limits, this payment counted").contains("25.00 USD");
    noAlertAndNoScriptError(b);
    b.screenshot("account");

    b.click(By.cssSelector("#links a.linked-account"));
    b.waitUntil(d -> b.path().equals("/console/accounts/" + second));
    assertThat(b.findAll(By.cssSelector("#links a.linked-account")).stream().map(WebElement::getText).toList())
        .containsExactly(first);
  }

  @Test
  void aReviewerRestrictsAndLiftsFromThePage() {
    String account = id("con-rst");
    pay(account, id("dev"), 1_000);
    TestOperators.Signed reviewer = TestOperators.signInSteppedUp(base, TestOperators.newUsername("arev"), Set.of(Role.REVIEWER));
    ConsoleBrowser b = browser().signedInAs(reviewer).open("/console/accounts/" + account);
    assertThat(b.find(By.id("no-restrictions")).isDisplayed()).isTrue();
    b.find(By.cssSelector("#restrict summary")).click();
    b.type(By.id("restrict-reason"), "Card testing " + XSS);
    b.click(By.id("restrict-submit"));
    // Read in one script: the page reloads when the API accepts it.
    b.waitUntil(d -> Boolean.TRUE.equals(b.script("return !!document.getElementById('restrictions')"
        + " || Array.from(document.querySelectorAll('#restrict-form .form-error, #restrict-form .field-error'))"
        + ".some(function (e) { return e.textContent.trim() !== ''; });")));
    assertThat(b.findAll(By.cssSelector("#restrict-form .form-error, #restrict-form .field-error")).stream()
        .map(WebElement::getText).filter(t -> !t.isBlank()).toList()).as("the API accepted it").isEmpty();
    WebElement restrictions = b.visible(By.id("restrictions"));
    assertThat(restrictions.getText()).contains("freeze").contains("Card testing " + XSS);
    assertThat(b.findAll(By.cssSelector("#restrictions img"))).isEmpty();
    assertThat(api.get("/v1/accounts/" + account + "/restrictions").body()).contains("\"kind\":\"freeze\"");

    b.type(By.cssSelector("form.lift input[name='reason']"), "Cleared by the holder's bank");
    b.click(By.cssSelector("form.lift button[type='submit']"));
    b.visible(By.id("no-restrictions"));
    assertThat(b.find(By.id("restriction-history")).getText()).contains("Cleared by the holder's bank");
    noAlertAndNoScriptError(b);
  }

  @Test
  void anAccountIdHoldingMarkupIsShownAsTextWithTheApisRefusal() {
    TestOperators.Signed analyst = TestOperators.signIn(base, TestOperators.newUsername("axss"), Set.of(Role.ANALYST));
    ConsoleBrowser b = browser().signedInAs(analyst)
        .open("/console/accounts/" + URLEncoder.encode(XSS, StandardCharsets.UTF_8).replace("+", "%20"));
    assertThat(b.find(By.id("account-id")).getText()).isEqualTo(XSS);
    String apiSays = (String) api.get("/v1/accounts/" + URLEncoder.encode(XSS, StandardCharsets.UTF_8).replace("+", "%20")
        + "/restrictions").error().get("message");
    assertThat(b.find(By.id("account-invalid")).getText()).isEqualTo(apiSays);
    assertThat(b.findAll(By.cssSelector("main img"))).isEmpty();
    noAlertAndNoScriptError(b);
  }
}
