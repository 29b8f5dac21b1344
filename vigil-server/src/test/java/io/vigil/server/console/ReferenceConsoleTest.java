package io.vigil.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.config.VigilProperties;
import io.vigil.server.security.Role;
import io.vigil.server.support.TestOperators;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;

/** The reference-data screen: the live set and its versions, a lookup shown as tables, a reload by an administrator. */
class ReferenceConsoleTest extends ConsoleServerBase {

  @Autowired VigilProperties properties;

  @Test
  void aLookupShowsWhatTheLiveSetSaysAsTables() {
    TestOperators.Signed viewer = TestOperators.signIn(base, TestOperators.newUsername("refv"), Set.of(Role.VIEWER));
    ConsoleBrowser b = browser().signedInAs(viewer).open("/console/reference");
    assertThat(b.find(By.id("live-set")).getText()).contains("bin_table", "built-in");
    assertThat(b.findAll(By.cssSelector("#versions tbody tr"))).isNotEmpty();
    assertThat(b.findAll(By.id("reload"))).as("reloading needs reference.reload").isEmpty();

    b.type(By.id("lookup-bin"), "41110055").type(By.id("lookup-email"), "someone@Mailinator.com")
        .type(By.id("lookup-currency"), "BDT").click(By.id("lookup-button"));
    b.visible(By.cssSelector("#lookup-result table"));
    String answer = b.find(By.id("lookup-result")).getText();
    assertThat(answer).contains("Card BIN", "known", "scheme", "E-mail domain", "disposable", "true", "Currency", "units_per_base");
    assertThat(b.findAll(By.cssSelector("#lookup-result table.lookup-answer"))).hasSize(3);
    b.screenshot("reference");

    b.find(By.id("lookup-bin")).clear();
    b.find(By.id("lookup-email")).clear();
    b.find(By.id("lookup-currency")).clear();
    b.type(By.id("lookup-phone"), "12345").click(By.id("lookup-button"));
    assertThat(b.visible(By.cssSelector("#lookup .field-error")).getText()).contains("invalid_phone");
    assertThat(b.consoleErrors()).isEmpty();
  }

  @Test
  void anAdministratorReloadsTheReferenceDataAndABrokenFileIsRefusedInTheApisWords() throws Exception {
    TestOperators.Signed admin = TestOperators.signIn(base, TestOperators.newUsername("refa"), Set.of(Role.ADMINISTRATOR, Role.SUPERVISOR));
    ConsoleBrowser b = browser().signedInAs(admin).open("/console/reference");
    String version = b.find(By.id("live-version")).getText();
    Path bins = properties.referenceDir().resolve("bins.csv");
    Files.createDirectories(bins.getParent());
    Files.writeString(bins, "range_start,range_end,scheme\n411100,411199\n");
    try {
      b.click(By.id("reload-button"));
      assertThat(b.visible(By.cssSelector("#reload [data-form-error]")).getText()).contains("reference_data_invalid", "bins.csv");
    } finally {
      Files.delete(bins);
    }
    b.script("window.beforeReload = true;");
    b.click(By.id("reload-button"));
    b.waitUntil(d -> b.script("return window.beforeReload === undefined && document.readyState === 'complete'"));
    assertThat(b.find(By.id("live-version")).getText()).as("the same files: the same set").isEqualTo(version);
    assertThat(b.consoleErrors()).isEmpty();
  }
}
