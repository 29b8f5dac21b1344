package io.vigil.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.event.EventType;
import io.vigil.engine.policy.PolicyDocument;
import io.vigil.engine.rule.RuleDefinition;
import io.vigil.engine.rule.RuleEffect;
import io.vigil.server.api.ApiTestSupport;
import io.vigil.server.policy.PolicyService;
import io.vigil.server.policy.release.ReleaseMode;
import io.vigil.server.policy.release.ReleaseRequest;
import io.vigil.server.policy.release.ReleaseService;
import io.vigil.server.policy.release.ReleaseStatus;
import io.vigil.server.security.Role;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import io.vigil.server.support.TestOperators;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The Releases screen: a gray release started as an approved change request starts it (through
 * {@link ReleaseService#start}), raised from 10 to 100 % in the browser, compared live against
 * candidate, and promoted.
 */
class ReleasesConsoleTest extends ConsoleServerBase {
  /** The amount the candidate's rule denies; no other console test sends it. */
  private static final long AMOUNT = 7_373;

  @Autowired ReleaseService releases;
  @Autowired PolicyService policies;

  @AfterEach
  void stopRunning() {
    releases.running().ifPresent(r -> releases.stop(r.releaseId(), "test", "test cleanup"));
  }

  private void decide(int count) {
    for (int i = 0; i < count; i++) {
      ApiClient.Reply r = api.post("/v1/decisions", Events.payment(ApiTestSupport.id("evt_relc"), ApiTestSupport.id("acct_relc"), AMOUNT));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
    }
  }

  private String percentShown(ConsoleBrowser b) {
    return b.waitUntil(d -> {
      try {
        return d.findElement(By.id("release-percent")).getText();
      } catch (StaleElementReferenceException reloading) {
        return null;
      }
    });
  }

  private void raiseTo(ConsoleBrowser b, int percent) {
    new Select(b.find(By.id("percent-select"))).selectByValue(String.valueOf(percent));
    b.click(By.id("raise-percent"));
    b.waitUntil(d -> {
      try {
        return (percent + " %").equals(d.findElement(By.id("release-percent")).getText());
      } catch (StaleElementReferenceException | org.openqa.selenium.NoSuchElementException reloading) {
        return false;
      }
    });
  }

  @Test
  void aGrayReleaseIsRaisedComparedAndPromotedInThePage() {
    PolicyDocument live = policies.document();
    List<RuleDefinition> rules = new ArrayList<>(live.rules());
    String ruleId = "console_release_" + ApiTestSupport.id("r").substring(2, 8).toLowerCase(java.util.Locale.ROOT);
    rules.add(new RuleDefinition(ruleId, "deny one amount", Set.of(EventType.PAYMENT), "event.amount == " + AMOUNT,
        RuleEffect.force(RuleEffect.ForcedAction.DENY, null), "denied by the candidate", true));
    long base0 = live.version();
    String id = releases.start(new ReleaseRequest("chg_console", live.withRules(base0 + 1, rules), base0, ReleaseMode.GRAY, 10,
        "approver-console"));
    decide(10);

    TestOperators.Signed approver = TestOperators.signInSteppedUp(base, TestOperators.newUsername("relc"), Set.of(Role.SUPERVISOR));
    ConsoleBrowser b = browser().signedInAs(approver).open("/console/releases");
    assertThat(b.find(By.id("running-release")).getAttribute("data-release-id")).isEqualTo(id);
    assertThat(percentShown(b)).isEqualTo("10 %");
    assertThat(b.find(By.id("compared-decisions")).getText()).isEqualTo("10");

    raiseTo(b, 25);
    raiseTo(b, 50);
    raiseTo(b, 100);
    assertThat(releases.require(id).percent()).isEqualTo(100);
    assertThat(b.findAll(By.id("percent-form"))).as("nothing above 100 %").isEmpty();

    decide(5);
    b.open("/console/releases");
    assertThat(Integer.parseInt(b.find(By.id("candidate-side-decisions")).getText())).isGreaterThanOrEqualTo(5);
    assertThat(b.find(By.id("release-comparison")).getText()).contains("Interception rate", "Review rate");
    String fires = b.find(By.cssSelector("#release-fires tr[data-rule-id='" + ruleId + "']")).getText();
    assertThat(fires).as("the candidate's rule fired on all 15, under live on none").endsWith("0 15");
    b.screenshot("releases");
    assertThat(b.consoleErrors()).isEmpty();

    b.click(By.id("promote-release"));
    b.waitUntil(d -> {
      try {
        return d.findElement(By.id("no-release")).isDisplayed();
      } catch (StaleElementReferenceException | org.openqa.selenium.NoSuchElementException reloading) {
        return false;
      }
    });
    assertThat(b.find(By.cssSelector("#past-releases tr[data-release-id='" + id + "'] .release-status")).getText()).isEqualTo("promoted");
    assertThat(releases.require(id).status()).isEqualTo(ReleaseStatus.PROMOTED);
    assertThat(policies.active().version()).isEqualTo(base0 + 1);
    assertThat(policies.rule(ruleId)).isPresent();
    assertThat(b.consoleErrors()).isEmpty();
  }

  @Test
  void aReaderSeesTheReleaseWithoutControls() {
    PolicyDocument live = policies.document();
    String id = releases.start(new ReleaseRequest("chg_console_view", live.withRules(live.version() + 1, live.rules()), live.version(),
        ReleaseMode.SHADOW, 0, "approver-console"));
    TestOperators.Signed viewer = TestOperators.signIn(base, TestOperators.newUsername("relview"), Set.of(Role.VIEWER));
    ConsoleBrowser b = browser().signedInAs(viewer).open("/console/releases");
    assertThat(b.find(By.id("running-release")).getAttribute("data-release-id")).isEqualTo(id);
    assertThat(b.find(By.id("release-mode")).getText()).isEqualTo("shadow");
    assertThat(b.findAll(By.id("promote-release"))).isEmpty();
    assertThat(b.findAll(By.id("stop-release"))).isEmpty();
  }
}
