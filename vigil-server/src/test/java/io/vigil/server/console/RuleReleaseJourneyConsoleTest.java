package io.vigil.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.release.StableSplit;
import io.vigil.server.api.ApiTestSupport;
import io.vigil.server.policy.release.ReleaseService;
import io.vigil.server.policy.stats.RuleStatsRollup;
import io.vigil.server.security.Role;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import io.vigil.server.support.TestOperators;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A rule's whole life in the browser: an author drafts it in the rule editor; a second operator
 * approves it as a gray release to 10 % of accounts (stepping up); the Releases page compares live
 * with candidate on real decisions; the release is raised to 100 % and promoted; the rule's page
 * shows its statistics; and a rollback proposed from the policy history, approved by the second
 * operator, takes the rule out again.
 */
class RuleReleaseJourneyConsoleTest extends ConsoleServerBase {
  /** The amount the journey's rule looks for; no other console test sends it. */
  private static final long AMOUNT = 6_131;
  /** Accounts of each side at 10 %. */
  private static final int ACCOUNTS_PER_SIDE = 3;

  @Autowired ReleaseService releases;
  @Autowired RuleStatsRollup rollup;

  @AfterEach
  void stopRunning() {
    releases.running().ifPresent(r -> releases.stop(r.releaseId(), "test", "test cleanup"));
  }

  private long policyVersion() {
    return ((Number) api.get("/v1/policy").json().get("version")).longValue();
  }

  @SuppressWarnings("unchecked")
  private boolean ruleIsLive(String id) {
    return ((List<Map<String, Object>>) api.get("/v1/policy").json().get("rules")).stream().anyMatch(r -> id.equals(r.get("id")));
  }

  /** Accounts whose stable hash puts them on the candidate side at {@code percent} (or not), as many as asked. */
  private static List<String> accounts(boolean candidateSide, int percent, int count) {
    List<String> out = new ArrayList<>();
    while (out.size() < count) {
      String account = ApiTestSupport.id("acct_journey");
      if (StableSplit.candidate(account, percent) == candidateSide) out.add(account);
    }
    return out;
  }

  private Map<String, Object> decide(String account) {
    ApiClient.Reply r = api.post("/v1/decisions", Events.payment(ApiTestSupport.id("evt_journey"), account, AMOUNT));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  @SuppressWarnings("unchecked")
  private static String side(Map<String, Object> decision) {
    return (String) ((Map<String, Object>) decision.get("release")).get("side");
  }

  private static void stepUp(ConsoleBrowser b, TestOperators.Signed who) {
    b.visible(By.id("step-up-code"));
    b.type(By.id("step-up-code"), who.nextCode()).click(By.id("step-up-confirm"));
  }

  private static void waitFor(ConsoleBrowser b, By by, String text) {
    b.waitUntil(d -> {
      try {
        return d.findElement(by).getText().contains(text);
      } catch (StaleElementReferenceException | NoSuchElementException reloading) {
        return false;
      }
    });
  }

  @Test
  void aRuleGoesFromDraftToTenPercentToAllAndIsRolledBack() {
    String ruleId = "journey_" + ApiTestSupport.id("r").substring(2, 10).toLowerCase(Locale.ROOT);
    long before = policyVersion();
    TestOperators.Signed author = TestOperators.signInSteppedUp(base, TestOperators.newUsername("author"), Set.of(Role.RULE_AUTHOR));
    TestOperators.Signed checker = TestOperators.signIn(base, TestOperators.newUsername("checker"), Set.of(Role.SUPERVISOR));

    // Draft: the author proposes the rule from the editor.
    ConsoleBrowser b = browser().signedInAs(author).open("/console/rules/new");
    b.type(By.id("rule-id"), ruleId).type(By.id("rule-expression"), "event.amount == " + AMOUNT);
    b.type(By.id("effect-points"), "15").type(By.id("rule-reason"), "The journey's amount");
    b.type(By.id("change-reason"), "Try the journey rule on a tenth of accounts first");
    b.click(By.id("propose-rule"));
    b.textContains(By.id("change-status"), "pending");
    String changePath = b.path();
    assertThat(b.findAll(By.id("approve-button"))).as("the author cannot approve their own change").isEmpty();

    // Approved as a gray release to 10 % by the second operator.
    ConsoleBrowser b2 = browser().signedInAs(checker).open(changePath); // one browser: signing in again switches operator
    new Select(b2.find(By.id("release-mode"))).selectByValue("gray");
    b2.find(By.id("release-percent")).clear();
    b2.type(By.id("release-percent"), "10");
    b2.click(By.id("release-button"));
    stepUp(b2, checker);
    b2.textContains(By.id("change-status"), "approved");
    assertThat(ruleIsLive(ruleId)).as("a gray release is not yet the live policy").isFalse();
    String releaseId = releases.running().orElseThrow().releaseId();

    // At 10 %: accounts on the candidate side meet the rule, the others do not.
    for (String account : accounts(true, 10, ACCOUNTS_PER_SIDE)) assertThat(side(decide(account))).isEqualTo("candidate");
    for (String account : accounts(false, 10, ACCOUNTS_PER_SIDE)) assertThat(side(decide(account))).isEqualTo("live");
    b2.open("/console/releases");
    assertThat(b2.find(By.id("running-release")).getAttribute("data-release-id")).isEqualTo(releaseId);
    assertThat(b2.find(By.id("release-percent")).getText()).isEqualTo("10 %");
    assertThat(b2.find(By.id("candidate-side-decisions")).getText()).isEqualTo(String.valueOf(ACCOUNTS_PER_SIDE));
    assertThat(b2.find(By.cssSelector("#release-fires tr[data-rule-id='" + ruleId + "']")).getText())
        .as("the rule fired on the candidate side only: under live it does not exist").endsWith("0 " + 2 * ACCOUNTS_PER_SIDE);

    // Raised to 100 %, then promoted: the rule is the live policy.
    new Select(b2.find(By.id("percent-select"))).selectByValue("100");
    b2.click(By.id("raise-percent"));
    waitFor(b2, By.id("release-percent"), "100 %");
    for (String account : accounts(false, 10, ACCOUNTS_PER_SIDE)) {
      assertThat(side(decide(account))).as("at 100 % every account is on the candidate side").isEqualTo("candidate");
    }
    b2.click(By.id("promote-release"));
    waitFor(b2, By.cssSelector("#past-releases tr[data-release-id='" + releaseId + "'] .release-status"), "promoted");
    assertThat(ruleIsLive(ruleId)).isTrue();
    assertThat(policyVersion()).isEqualTo(before + 1);

    // The rule's statistics count the decisions it acted on: the candidate side at 10 % and at 100 %,
    // and one after promotion (not the live side's decisions, where it only ran in comparison).
    decide(accounts(true, 10, 1).get(0));
    rollup.catchUp(1_000);
    b2.open("/console/rules/" + ruleId);
    assertThat(b2.visible(By.id("stat-fires")).getText()).isEqualTo(String.valueOf(2 * ACCOUNTS_PER_SIDE + 1));
    assertThat(b2.consoleErrors()).isEmpty();

    // Rolled back from the policy history by the author, approved by the second operator: the rule is gone again.
    b = browser().signedInAs(author).open("/console/rules/-/versions");
    b.find(By.cssSelector("#rollback-" + before + " button")).click();
    b.textContains(By.id("change-status"), "pending");
    String rollbackPath = b.path();
    b = browser().signedInAs(checker).open(rollbackPath);
    b.click(By.id("approve-button")); // the checker's step-up of the release approval is still fresh on the test clock
    b.textContains(By.id("change-status"), "live");
    assertThat(ruleIsLive(ruleId)).as("rolled back").isFalse();
    assertThat(policyVersion()).isEqualTo(before + 2);
    assertThat(b.consoleErrors()).isEmpty();
  }
}
