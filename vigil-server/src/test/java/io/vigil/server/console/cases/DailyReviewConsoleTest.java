package io.vigil.server.console.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.console.ConsoleBrowser;
import io.vigil.server.console.ConsoleServerBase;
import io.vigil.server.security.Role;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The daily interception review page in the browser: a day's REVIEW decision, found legitimate by a
 * label, shows in the day's figures and puts its rule among the worst false-interception rates.
 */
class DailyReviewConsoleTest extends ConsoleServerBase {
  @Test
  void aDayShowsWhatWasInterceptedAndWhichRulesWereFoundWrong() {
    String account = CaseFixtures.account("daily");
    Map<String, Object> decision = CaseFixtures.reviewPayment(api, account);
    ApiClient.Reply label = api.post("/v1/feedback", Map.of("label_id", "lbl_daily_" + account, "decision_id",
        decision.get("decision_id"), "kind", "legitimate"));
    assertThat(label.status()).as(label.body()).isBetween(200, 201);
    LocalDate day = LocalDate.ofInstant(TestClock.now(), ZoneOffset.UTC);

    TestOperators.Signed analyst = TestOperators.signIn(base, TestOperators.newUsername("daily"), Set.of(Role.ANALYST));
    ConsoleBrowser browser = browser().signedInAs(analyst);
    browser.open("/console/cases/-/daily-review?date=" + day);
    assertThat(browser.find(By.tagName("h1")).getText()).contains(day.toString());
    assertThat(Long.parseLong(browser.find(By.cssSelector("#stat-intercepted .value")).getText())).isPositive();
    String rules = browser.find(By.id("review-rules")).getText();
    assertThat(rules).contains("no_exchange_rate").contains("over target");
    assertThat(browser.find(By.id("stat-false-interception")).getText()).contains("%");

    browser.open("/console/cases/-/daily-review?date=yesterday-ish");
    assertThat(browser.find(By.id("review-problem")).getText()).contains("YYYY-MM-DD");
    TestOperators.Signed viewer = TestOperators.signIn(base, TestOperators.newUsername("dailyviewer"), Set.of(Role.VIEWER));
    assertThat(TestOperators.get(base, "/console/cases/-/daily-review", viewer.headers()).status()).isEqualTo(403);
  }
}
