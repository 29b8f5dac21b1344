package io.vigil.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.security.Role;
import io.vigil.server.support.TestOperators;
import io.vigil.server.support.TestOperators.Exchange;
import io.vigil.server.support.TestOperators.Signed;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;

/** The administrators' screens in a real browser: the audit trail, operators and API keys. */
class AdminConsoleTest extends ConsoleServerBase {
  private static final String XSS = "<img src=x onerror=alert(1)>";

  private Signed administrator(String prefix) {
    return TestOperators.signIn(base, TestOperators.newUsername(prefix), Set.of(Role.ADMINISTRATOR));
  }

  @Test
  void anAdministratorCreatesAnOperatorAndSeesTheOneTimePasswordOnce() {
    Signed admin = administrator("admin");
    String username = TestOperators.newUsername("newop");
    ConsoleBrowser b = browser().signedInAs(admin).open("/console/operators");
    b.type(By.id("new-username"), username).type(By.id("new-display-name"), "New Operator");
    b.click(By.id("new-role-approver"));
    b.click(By.id("create-operator-submit"));

    String password = b.visible(By.id("one-time-password")).getText();
    assertThat(password).as("the one-time password, shown").isNotBlank();
    assertThat(b.find(By.id("created-username")).getText()).isEqualTo(username);
    b.textContains(By.id("operators"), username);
    b.textContains(By.id("pending-changes"), username);
    assertThat(b.find(By.cssSelector("#pending-changes tr[data-username='" + username + "']")).getText()).contains("approver");
    Exchange login = TestOperators.post(base, "/v1/auth/login", Map.of("username", username, "password", password));
    assertThat(login.status()).as("the password shown is the account's").isEqualTo(200);
    assertThat(login.body()).contains("password_change_required");
    b.script("arguments[0].scrollIntoView()", b.find(By.id("created")));
    b.screenshot("operators");

    b.open("/console/operators");
    assertThat(b.find(By.id("created")).isDisplayed()).isFalse();
    assertThat(b.driver().getPageSource()).as("shown once: not on the page again").doesNotContain(password);
    assertThat(b.consoleErrors()).isEmpty();
  }

  @Test
  void aSecondAdministratorApprovesARoleChangeAndTheProposerCannot() {
    Signed proposer = administrator("proposer");
    Signed second = administrator("second");
    String username = TestOperators.newUsername("grantee");
    Exchange created = TestOperators.post(base, "/v1/operators",
        Map.of("username", username, "display_name", "Grantee", "roles", List.of("reviewer")), proposer.headers());
    assertThat(created.status()).isEqualTo(200);
    @SuppressWarnings("unchecked")
    String changeId = (String) ((Map<String, Object>) created.json().get("role_change")).get("id");

    ConsoleBrowser b = browser().signedInAs(proposer).open("/console/operators");
    b.click(By.id("approve-" + changeId));
    b.type(By.id("step-up-code"), proposer.nextCode()).click(By.id("step-up-confirm"));
    String refusal = b.visible(By.cssSelector("tr[data-change='" + changeId + "'] .approve-change [data-form-error]")).getText();
    assertThat(refusal).as("the two-person rule, in the API's words").contains("self_approval");

    b.signedInAs(second).open("/console/operators");
    b.click(By.id("approve-" + changeId));
    b.type(By.id("step-up-code"), second.nextCode()).click(By.id("step-up-confirm"));
    b.waitUntil(d -> b.findAll(By.cssSelector("tr[data-change='" + changeId + "']")).isEmpty());
    b.textContains(By.cssSelector("#operators tr[data-username='" + username + "']"), "reviewer");
    Exchange read = TestOperators.get(base, "/v1/operators/" + username, second.headers());
    assertThat(read.json().get("roles")).isEqualTo(List.of("reviewer"));
    assertThat(b.consoleErrors()).isEmpty();
  }

  @Test
  void anApiKeyIssuedWithStepUpShowsItsSecretOnceAndIsRevoked() {
    Signed admin = administrator("keys");
    String owner = "console-test-" + TestOperators.newUsername("k");
    ConsoleBrowser b = browser().signedInAs(admin).open("/console/api-keys");
    b.type(By.id("key-owner"), owner);
    b.click(By.id("scope-decide")).click(By.id("scope-read"));
    b.click(By.id("issue-key-submit"));
    b.type(By.id("step-up-code"), admin.nextCode()).click(By.id("step-up-confirm"));

    String secret = b.visible(By.id("new-secret")).getText();
    String keyId = b.find(By.id("new-key-id")).getText();
    assertThat(secret).isNotBlank();
    assertThat(keyId).startsWith("vk_");
    String row = b.textContains(By.cssSelector("tr[data-key='" + keyId + "']"), owner).getText();
    assertThat(row).contains("decide").contains("read").contains("active");
    b.script("arguments[0].scrollIntoView()", b.find(By.id("new-secret-panel")));
    b.screenshot("api-keys");

    b.open("/console/api-keys");
    assertThat(b.find(By.id("new-secret-panel")).isDisplayed()).isFalse();
    assertThat(b.driver().getPageSource()).as("the secret is shown once").doesNotContain(secret);

    b.click(By.id("rotate-" + keyId));
    b.waitUntil(d -> !b.find(By.id("new-secret")).getText().isBlank());
    assertThat(b.find(By.id("new-secret")).getText()).as("a rotation shows the new secret").isNotEqualTo(secret);
    b.textContains(By.cssSelector("tr[data-key='" + keyId + "']"), "old secret valid until");

    b.script("window.confirm = function () { return true; };");
    b.click(By.id("revoke-" + keyId));
    b.textContains(By.cssSelector("tr[data-key='" + keyId + "']"), "revoked");
    assertThat(b.findAll(By.id("rotate-" + keyId))).as("a revoked key is not rotated").isEmpty();
    assertThat(b.consoleErrors()).isEmpty();
  }

  @Test
  void aViewerIsRefusedTheAdministratorsScreensAndIsNotOfferedThem() {
    Signed viewer = TestOperators.signIn(base, TestOperators.newUsername("viewer"), Set.of(Role.VIEWER));
    ConsoleBrowser b = browser().signedInAs(viewer).open("/console/dashboard");
    for (String screen : List.of("Operators", "API keys", "Audit trail")) {
      assertThat(b.findAll(By.linkText(screen))).as(screen + " is not offered").isEmpty();
    }
    b.open("/console/operators");
    assertThat(b.find(By.id("refusal")).getText()).contains("operators.manage");
    assertThat(b.findAll(By.id("create-operator"))).isEmpty();
    for (String path : List.of("/console/operators", "/console/operators/tables", "/console/api-keys", "/console/api-keys/table",
        "/console/audit")) {
      assertThat(TestOperators.get(base, path, viewer.headers()).status()).as(path).isEqualTo(403);
    }
  }

  @Test
  void anOperatorsDisplayNameWithMarkupShowsAsText() {
    Signed admin = administrator("xss");
    String username = TestOperators.newUsername("markup");
    Exchange created = TestOperators.post(base, "/v1/operators", Map.of("username", username, "display_name", XSS,
        "roles", List.of("viewer")), admin.headers());
    assertThat(created.status()).isEqualTo(200);

    ConsoleBrowser b = browser().signedInAs(admin).open("/console/operators");
    String shown = b.find(By.cssSelector("#operators tr[data-username='" + username + "'] .display-name")).getText();
    assertThat(shown).isEqualTo(XSS);
    assertThat(b.findAll(By.cssSelector("#main img"))).as("no element made of the name").isEmpty();
    assertThat(b.consoleErrors()).isEmpty();
    assertNoAlert(b);
  }

  @Test
  void theAuditTrailFindsAnAdministratorsActionsWithDetailsAndExport() {
    Signed admin = administrator("auditor");
    String username = TestOperators.newUsername("audited");
    TestOperators.post(base, "/v1/operators", Map.of("username", username, "display_name", XSS), admin.headers());

    ConsoleBrowser b = browser().signedInAs(admin);
    String query = "/console/audit?actor=" + admin.username() + "&action=operator.create";
    b.open(query);
    b.waitUntil(d -> !b.open(query).findAll(By.cssSelector("#audit-rows tbody tr")).isEmpty());
    var row = b.find(By.cssSelector("#audit-rows tbody tr"));
    assertThat(row.getText()).contains(admin.username()).contains("operator.create");
    row.findElement(By.tagName("summary")).click();
    assertThat(row.getText()).as("the details: the body as recorded").contains(username).contains(XSS);
    assertThat(b.findAll(By.cssSelector("#main img"))).isEmpty();
    b.screenshot("audit");
    String export = b.find(By.id("audit-export-csv")).getAttribute("href");
    assertThat(export).contains("/v1/audit/export?format=csv").contains("actor=" + admin.username()).contains("action=operator.create");
    Exchange csv = TestOperators.get(base, export.substring(b.base().length()), admin.headers());
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.body()).contains(username);

    b.open("/console/audit?from=2026-12-01T00:00&to=2026-11-01T00:00");
    assertThat(b.find(By.id("audit-error")).getText()).as("the API's refusal of the filter").contains("to");
    assertThat(b.consoleErrors()).isEmpty();
    assertNoAlert(b);
  }

  private static void assertNoAlert(ConsoleBrowser b) {
    try {
      b.driver().switchTo().alert();
      throw new AssertionError("an alert ran");
    } catch (NoAlertPresentException expected) {
      // nothing ran
    }
  }
}
