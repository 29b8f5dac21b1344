package io.vigil.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.security.Role;
import io.vigil.server.support.TestOperators;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * Change requests in a real browser: an author proposes a rule from the rule editor, cannot approve
 * it themselves, a second operator approves it with a step-up and it goes live; then a rollback
 * proposed from the policy history puts the previous version back once approved.
 */
class ChangesConsoleTest extends ConsoleServerBase {

  private long policyVersion() {
    return ((Number) api.get("/v1/policy").json().get("version")).longValue();
  }

  @SuppressWarnings("unchecked")
  private boolean ruleIsLive(String id) {
    return ((List<Map<String, Object>>) api.get("/v1/policy").json().get("rules")).stream().anyMatch(r -> id.equals(r.get("id")));
  }

  /** The second operator approves the change shown at this path, stepping up in the dialog. */
  private void approveInBrowser(String path) {
    TestOperators.Signed checker = TestOperators.signIn(base, TestOperators.newUsername("checker"), Set.of(Role.CHANGE_APPROVER));
    ConsoleBrowser b = browser().signedInAs(checker).open(path);
    assertThat(b.find(By.id("change-status")).getText()).isEqualTo("pending");
    b.click(By.id("approve-button"));
    b.visible(By.id("step-up-code"));
    b.type(By.id("step-up-code"), checker.nextCode()).click(By.id("step-up-confirm"));
    b.textContains(By.id("change-status"), "live");
    assertThat(b.find(By.id("change-decided-by")).getText()).isEqualTo(checker.username());
    assertThat(b.consoleErrors()).isEmpty();
  }

  @Test
  void aProposedRuleGoesLiveWhenASecondOperatorApprovesItAndARollbackUndoesIt() {
    String id = "console_change_" + Long.toString(System.nanoTime() % 1_000_000_007L, 36);
    long before = policyVersion();
    TestOperators.Signed author = TestOperators.signInSteppedUp(base, TestOperators.newUsername("author"),
        Set.of(Role.RULE_AUTHOR, Role.CHANGE_APPROVER));
    ConsoleBrowser b = browser().signedInAs(author).open("/console/rules/new");
    assertThat(b.findAll(By.id("save-rule"))).as("no direct save without changes.emergency").isEmpty();
    b.type(By.id("rule-id"), id).type(By.id("rule-expression"), "event.amount > 999999999");
    b.type(By.id("effect-points"), "15").type(By.id("rule-reason"), "Very large payment");
    b.type(By.id("change-reason"), "Catch very large payments");
    b.click(By.id("propose-rule"));
    b.textContains(By.id("change-status"), "pending");
    String changePath = b.path();
    assertThat(changePath).startsWith("/console/changes/chg_");
    assertThat(b.find(By.id("change-diff")).getText()).contains("+", id);
    assertThat(b.find(By.id("own-change-note")).isDisplayed()).isTrue();
    assertThat(b.findAll(By.id("approve-button"))).as("the author is offered no approval").isEmpty();
    assertThat(b.findAll(By.cssSelector(".backtest[data-rule='" + id + "']"))).as("the new rule is backtested").hasSize(1);
    String changeId = changePath.substring(changePath.lastIndexOf('/') + 1);
    assertThat(TestOperators.post(base, "/v1/change-requests/" + changeId + "/approve", Map.of(), author.headers()).body())
        .contains("own_change");
    assertThat(ruleIsLive(id)).as("not live before a second approval").isFalse();

    approveInBrowser(changePath);
    assertThat(ruleIsLive(id)).isTrue();
    assertThat(policyVersion()).isEqualTo(before + 1);

    b = browser().signedInAs(author).open("/console/rules/-/versions");
    b.find(By.cssSelector("#rollback-" + before + " button")).click();
    b.textContains(By.id("change-status"), "pending");
    assertThat(b.find(By.id("change-diff")).getText()).contains("-", id);
    approveInBrowser(b.path());
    assertThat(ruleIsLive(id)).as("the previous version is live again").isFalse();
    assertThat(policyVersion()).isEqualTo(before + 2);
    b.open("/console/changes");
    assertThat(b.find(By.id("changes-table")).getText()).contains(changeId, "superseded");
  }
}
