package io.vigil.server.monitoring;

import static io.vigil.server.api.ApiTestSupport.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.console.ConsoleBrowser;
import io.vigil.server.security.Role;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The Monitoring screen in headless Chromium: the scenarios with their version, the lag, and an alert with its evidence (a cycle's path). */
class MonitoringConsoleTest extends MonitoringServerBase {
  private static ConsoleBrowser browser;

  @AfterAll
  static void closeBrowser() {
    if (browser != null) browser.close();
    browser = null;
  }

  @Test
  void aCycleAlertIsShownWithItsPathAndDecisions() {
    String a = id("acct");
    String b = id("acct");
    String c = id("acct");
    String first = mon.transfer(a, b, 300_000);
    TestClock.advance(Duration.ofHours(1));
    mon.transfer(b, c, 290_000);
    TestClock.advance(Duration.ofHours(1));
    String closing = mon.transfer(c, a, 280_000);
    Map<String, Object> alert = mon.alert(closing, "cycle", a);

    TestOperators.Signed approver = TestOperators.signIn(base, TestOperators.newUsername("mon"), Set.of(Role.CHANGE_APPROVER));
    browser = new ConsoleBrowser(base);
    ConsoleBrowser page = browser.signedInAs(approver).open("/console/monitoring");
    assertThat(page.find(By.id("scenarios-version")).getText()).isNotBlank();
    assertThat(page.find(By.id("lag")).getText()).matches("\\d+\\.\\d");
    assertThat(page.findAll(By.cssSelector("#scenarios tbody tr"))).hasSize(10);
    assertThat(page.find(By.cssSelector("#scenarios tr[data-scenario-id='structuring']")).getText()).contains("threshold_minor = 1000000");

    WebElement row = page.find(By.cssSelector("#alerts tr[data-alert-id='" + alert.get("alert_id") + "']"));
    assertThat(row.getText()).contains("cycle", a, "3 decision(s)");
    row.findElement(By.cssSelector("details.evidence summary")).click();
    assertThat(page.visible(By.cssSelector("#alerts tr[data-alert-id='" + alert.get("alert_id") + "'] .path")).getText())
        .isEqualTo("Path: " + a + " → " + b + " → " + c + " → " + a);
    assertThat(row.findElements(By.cssSelector("table.movements tbody tr"))).hasSize(3);
    assertThat(row.getText()).contains(first, closing, "300000");
    assertThat(row.findElement(By.cssSelector("a[href^='/console/cases/']")).getText()).isEqualTo(alert.get("case_id"));
    page.screenshot("monitoring");
    assertThat(page.consoleErrors()).isEmpty();
  }
}
