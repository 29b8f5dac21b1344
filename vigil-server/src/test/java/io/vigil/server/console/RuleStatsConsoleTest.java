package io.vigil.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.server.api.ApiTestSupport;
import io.vigil.server.policy.stats.RuleStatsRollup;
import io.vigil.server.security.Role;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.Events;
import io.vigil.server.support.TestOperators;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The rule page's statistics and review form in a real browser: after decisions and labels, the
 * page shows the rule's fires, precision, accounts and trend; a reviewer records a review, which
 * the page's history and the rule list's "Last review" column then show.
 */
class RuleStatsConsoleTest extends ConsoleServerBase {
  @Autowired
  RuleStatsRollup rollup;

  @Test
  void theRulePageShowsStatisticsAndRecordsAReview() {
    String account = ApiTestSupport.id("acct_rsc");
    String id = "console_stats_" + account.substring(9, 21);
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("id", id);
    rule.put("event_types", List.of("payment"));
    rule.put("expression", "event.account_id == \"" + account + "\"");
    rule.put("effect", Map.of("points", 1));
    rule.put("reason", "statistics in the console");
    assertEquals(201, api.post("/v1/rules", rule).status());
    List<String> decisions = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ApiClient.Reply d = api.post("/v1/decisions", Events.payment(ApiTestSupport.id("ev_rsc"), account, 1_000 + i));
      assertEquals(200, d.status(), d.body());
      decisions.add((String) d.json().get("decision_id"));
    }
    for (String verdict : List.of("fraud", "legitimate")) {
      String decision = decisions.get(verdict.equals("fraud") ? 0 : 1);
      assertEquals(201, api.post("/v1/feedback", Map.of("label_id", ApiTestSupport.id("lbl_rsc"), "decision_id", decision,
          "kind", verdict, "verdict", verdict)).status());
    }
    rollup.catchUp(1_000);

    TestOperators.Signed reviewer = TestOperators.signIn(base, TestOperators.newUsername("rscrev"),
        Set.of(Role.RULE_AUTHOR, Role.CHANGE_APPROVER));
    ConsoleBrowser b = browser().signedInAs(reviewer).open("/console/rules/" + id);
    assertEquals("3", b.visible(By.id("stat-fires")).getText());
    b.textContains(By.id("stat-precision"), "50.0%");
    b.textContains(By.id("stat-precision"), "1 fraud of 2 labelled");
    assertEquals("1", b.visible(By.id("stat-accounts")).getText());
    b.textContains(By.id("stat-repeat"), "66.7%");
    assertThat(b.findAll(By.cssSelector("#stats-trend rect.bar"))).hasSize(30);
    assertThat(b.findAll(By.id("needs-review"))).as("a rule just created needs no review").isEmpty();

    new Select(b.visible(By.id("review-outcome"))).selectByValue("keep");
    b.type(By.id("review-note"), "precise enough; keep");
    b.click(By.id("save-review"));
    b.textContains(By.id("review-history"), "precise enough; keep");
    b.textContains(By.id("review-history"), reviewer.username());
    assertThat(b.consoleErrors()).isEmpty();
    b.screenshot("rule-stats");

    b.open("/console/rules?page=999"); // the last page: the newest rules
    b.textContains(By.cssSelector("tr[data-rule-id='" + id + "'] .last-review"), "(keep)");
  }
}
