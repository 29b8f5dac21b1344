package io.vigil.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.api.ApiTestSupport;
import io.vigil.server.screening.ListFormat;
import io.vigil.server.screening.ScreeningService;
import io.vigil.server.security.Role;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;

/** The screening screen: lists with versions, a hit with its evidence, and a false positive marked by a compliance officer. */
class ScreeningConsoleTest extends ConsoleServerBase {
  @Autowired ScreeningService screening;

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in = ScreeningConsoleTest.class.getResourceAsStream("/screening/" + name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void aComplianceOfficerSeesTheHitWithItsEvidenceAndMarksItAFalsePositive() throws IOException {
    screening.install("console-un", ListFormat.UN_CONSOLIDATED_XML, null, fixture("un-consolidated.xml"), "test");
    screening.flush(); // the re-screening the install started is done before this customer is registered
    String account = ApiTestSupport.id("acct_scrc");
    ApiClient.Reply d = api.post("/v1/decisions", Map.of("event_id", ApiTestSupport.id("scrc"), "type", "registration",
        "occurred_at", TestClock.now().toString(), "account_id", account,
        "holder", Map.of("name", "خالد فاروق نبهاني", "country", "SY")));
    assertThat(d.status()).as(d.body()).isEqualTo(200);
    screening.flush();

    TestOperators.Signed officer = TestOperators.signIn(base, TestOperators.newUsername("scro"), Set.of(Role.COMPLIANCE_OFFICER));
    ConsoleBrowser b = browser().signedInAs(officer).open("/console/screening");
    assertThat(b.find(By.cssSelector("#lists tr[data-list='console-un']")).getText()).contains("un_consolidated_xml", "2");
    WebElement hit = b.find(By.xpath("//table[@id='hits']//tr[td/code[text()='" + account + "']]"));
    assertThat(hit.getText()).contains("KHALID FAROUK NABHANI", "console-un", "TSi.001", "country SY is listed", "decision");
    assertThat(hit.findElement(By.cssSelector("td.screened-name")).getText()).isEqualTo("خالد فاروق نبهاني");
    b.screenshot("screening");

    hit.findElement(By.cssSelector("button")).click();
    b.driver().switchTo().alert().accept();
    b.waitUntil(drv -> b.find(By.xpath("//table[@id='hits']//tr[td/code[text()='" + account + "']]")).getText()
        .contains("false positive"));
    assertThat(b.consoleErrors()).isEmpty();
  }

  @Test
  void aSupervisorReadsButCannotMarkAndAViewerHasNoScreen() {
    TestOperators.Signed supervisor = TestOperators.signIn(base, TestOperators.newUsername("scrs"), Set.of(Role.SUPERVISOR));
    ConsoleBrowser b = browser().signedInAs(supervisor).open("/console/screening");
    assertThat(b.find(By.tagName("h1")).getText()).isEqualTo("Screening");
    assertThat(b.findAll(By.cssSelector("#hits form"))).isEmpty();
    TestOperators.Signed viewer = TestOperators.signIn(base, TestOperators.newUsername("scrv"), Set.of(Role.VIEWER));
    ConsoleBrowser v = browser().signedInAs(viewer).open("/console/screening");
    assertThat(v.findAll(By.id("hits"))).isEmpty();
  }
}
