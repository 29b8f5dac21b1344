package io.vigil.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.security.Role;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The approvals inbox: a held payment approved in the browser with a step-up; refused to a role without holds.approve. */
class HoldsConsoleTest extends ConsoleServerBase {
  private static final String XSS = "<img src=x onerror=alert(1)>";

  /** A 150,000.00 EUR transfer: the seeded policy holds it for two approvals (and its challenge, being over 10,000). */
  private Map<String, Object> heldTransfer(String account) {
    ApiClient.Reply r = api.post("/v1/decisions", Map.of("event_id", "evt_hold_" + UUID.randomUUID(), "type", "transfer",
        "occurred_at", TestClock.now().toString(), "account_id", account, "amount", 15_000_000L, "currency", "EUR"));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("action")).as(r.body()).isEqualTo("HOLD");
    return r.json();
  }

  @Test
  void anApproverApprovesAHeldPaymentWithAStepUpAndTheHoldShowsApproved() {
    String account = "acct_hold_" + UUID.randomUUID().toString().substring(0, 8);
    String id = (String) heldTransfer(account).get("decision_id");
    // The first of the two approvals, by another approver through the API; the payer passes the challenge.
    TestOperators.Signed first = TestOperators.signInSteppedUp(base, TestOperators.newUsername("first"), Set.of(Role.APPROVER));
    assertThat(TestOperators.post(base, "/v1/decisions/" + id + "/approvals", Map.of(), first.headers()).status()).isEqualTo(200);
    assertThat(api.post("/v1/decisions/" + id + "/challenge-result", Map.of("result", "passed")).status()).isEqualTo(200);

    TestOperators.Signed approver = TestOperators.signIn(base, TestOperators.newUsername("approver"), Set.of(Role.APPROVER));
    ConsoleBrowser b = browser().signedInAs(approver).open("/console/dashboard");
    b.click(By.linkText("Holds"));
    WebElement card = b.visible(By.id("hold-" + id));
    assertThat(card.getText()).contains("150,000.00 EUR", "pending", "left", "1 of 2", first.username(),
        "Still needed: 1 more approval (approver or supervisor)", "hold.two_approvers");
    assertThat(card.findElement(By.linkText(account)).getAttribute("href")).endsWith("/console/accounts/" + account);
    assertThat(card.findElement(By.linkText(id)).getAttribute("href")).endsWith("/console/decisions/" + id);
    b.screenshot("holds");

    card.findElement(By.cssSelector("button.approve-button")).click();
    b.visible(By.id("step-up-code"));
    b.type(By.id("step-up-code"), approver.nextCode()).click(By.id("step-up-confirm"));
    b.textContains(By.cssSelector("#hold-" + id + " .hold-status"), "approved");
    assertThat(b.find(By.cssSelector("#hold-" + id + " .approvals-count")).getText()).isEqualTo("2 of 2");
    assertThat(b.find(By.id("hold-" + id)).getText()).contains(approver.username() + " as approver");
    assertThat(b.findAll(By.cssSelector("#hold-" + id + " .still-needed"))).as("the card rendered again by the server")
        .isEmpty();
    assertThat(b.findAll(By.id("approve-" + id))).as("an approved hold takes no more approvals").isEmpty();
    assertThat(api.get("/v1/decisions/" + id + "/hold").json().get("status")).isEqualTo("approved");
    assertThat(b.consoleErrors()).isEmpty();

    b.open("/console/holds");
    assertThat(b.findAll(By.id("hold-" + id))).as("the inbox shows what waits; an approved hold left it").isEmpty();
    b.open("/console/holds?status=all");
    assertThat(b.find(By.cssSelector("#hold-" + id + " .hold-status")).getText()).isEqualTo("approved");
  }

  @Test
  void aSupervisorRejectsAHeldPaymentWithAReasonShownAsText() {
    String account = "acct_rej_" + UUID.randomUUID().toString().substring(0, 8);
    String id = (String) heldTransfer(account).get("decision_id");
    TestOperators.Signed supervisor = TestOperators.signIn(base, TestOperators.newUsername("sup"), Set.of(Role.SUPERVISOR));
    ConsoleBrowser b = browser().signedInAs(supervisor).open("/console/holds");
    WebElement card = b.visible(By.id("hold-" + id));
    assertThat(card.findElement(By.id("role-" + id)).getText()).as("a supervisor chooses the role").contains("supervisor", "approver");
    b.type(By.id("reason-" + id), XSS);
    card.findElement(By.cssSelector("button.reject-button")).click();
    b.driver().switchTo().alert().accept(); // "Reject this payment? It is refused at once."
    b.visible(By.id("step-up-code"));
    b.type(By.id("step-up-code"), supervisor.nextCode()).click(By.id("step-up-confirm"));
    b.textContains(By.cssSelector("#hold-" + id + " .hold-status"), "rejected");
    assertThat(b.find(By.cssSelector("#hold-" + id + " .rejection")).getText()).isEqualTo("Rejected by " + supervisor.username() + ": " + XSS);
    assertThat(b.findAll(By.cssSelector("#hold-" + id + " form"))).as("a rejected hold takes nothing more").isEmpty();
    Map<String, Object> record = api.get("/v1/decisions/" + id).json();
    assertThat(record.get("final_action")).isEqualTo("DENY");
    assertThat(record.get("settled_by")).isEqualTo("hold_rejection");

    b.open("/console/holds?status=all");
    assertThat(b.find(By.cssSelector("#hold-" + id + " .rejection")).getText()).contains(XSS);
    assertThat(b.findAll(By.cssSelector("#hold-" + id + " img"))).as("markup stays text").isEmpty();
    assertThat(b.consoleErrors()).isEmpty();
  }

  @Test
  void oneHoldsCardIsRenderedAloneAndAnUnknownIdIsNotFound() {
    String account = "acct_card_" + UUID.randomUUID().toString().substring(0, 8);
    String id = (String) heldTransfer(account).get("decision_id");
    TestOperators.Signed approver = TestOperators.signIn(base, TestOperators.newUsername("card"), Set.of(Role.APPROVER));
    ConsoleBrowser b = browser().signedInAs(approver).open("/console/holds/" + id + "/card");
    WebElement card = b.visible(By.id("hold-" + id));
    assertThat(card.getText()).contains("150,000.00 EUR", "pending", "0 of 2",
        "Still needed: 2 more approvals (approver or supervisor); the payer's challenge result");
    assertThat(card.getAttribute("data-card")).isEqualTo("/console/holds/" + id + "/card");
    assertThat(b.findAll(By.id("approve-" + id))).isNotEmpty();
    b.open("/console/holds/dec_none/card");
    assertThat(b.find(By.cssSelector("body")).getText()).contains("No held decision has the id dec_none");
  }

  @Test
  void aRoleWithoutHoldsApproveSeesNoHoldsAndIsRefusedThePage() {
    TestOperators.Signed analyst = TestOperators.signIn(base, TestOperators.newUsername("analyst"), Set.of(Role.ANALYST));
    ConsoleBrowser b = browser().signedInAs(analyst).open("/console/dashboard");
    assertThat(b.findAll(By.linkText("Decisions"))).isNotEmpty();
    assertThat(b.findAll(By.linkText("Holds"))).isEmpty();
    b.open("/console/holds");
    assertThat(b.find(By.id("refusal")).getText()).contains("holds.approve");
    assertThat(b.findAll(By.cssSelector("form.approve"))).isEmpty();
  }
}
