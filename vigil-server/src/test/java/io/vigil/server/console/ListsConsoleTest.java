package io.vigil.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.security.Role;
import io.vigil.server.support.TestOperators;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;

/** The lists screen: a CSV import whose entries the search finds, an entry added and removed, text shown as text. */
class ListsConsoleTest extends ConsoleServerBase {
  private static final String XSS = "<img src=x onerror=alert(1)>";

  private static String unique(String prefix) {
    return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  @Test
  void aPastedCsvFileIsImportedAndItsEntriesAppearInTheSearch() {
    String merchant = unique("mch_imp_");
    String account = unique("acct_imp_");
    TestOperators.Signed reviewer = TestOperators.signIn(base, TestOperators.newUsername("lists"), Set.of(Role.REVIEWER));
    ConsoleBrowser b = browser().signedInAs(reviewer).open("/console/lists");
    String csv = "list,entity,value,reason,source,expires_at\n"
        + "block," + "merchant," + merchant + ",\"Card testing, seen by two acquirers\",partner:bank-a,2099-06-30T00:00:00Z\n"
        + "watch,account," + account + ",Refund abuse under review,partner:bank-a,\n";
    b.find(By.id("import-file")).sendKeys(csv);
    b.click(By.id("import-button"));
    WebElement result = b.visible(By.id("import-result"));
    b.waitUntil(d -> result.getText().contains("\"created\": 2"));

    b.open("/console/lists");
    b.type(By.id("search-value"), merchant).click(By.id("search-button"));
    b.waitUntil(d -> b.path().contains("value=" + merchant));
    WebElement entries = b.find(By.id("entries"));
    assertThat(entries.getText()).contains(merchant, "Card testing, seen by two acquirers", "partner:bank-a", "2099-06-30T00:00:00Z",
        reviewer.username());
    assertThat(b.findAll(By.cssSelector("#entries tbody tr[data-entry-id]"))).hasSize(1);
    assertThat(b.find(By.id("changes")).getText()).contains(merchant, account);
    assertThat(b.find(By.id("export-csv")).getAttribute("href")).contains("/v1/lists/export?format=csv");
    assertThat(b.find(By.id("export-json")).getAttribute("href")).contains("/v1/lists/export?format=json");
    Object exported = b.script("return fetch(arguments[0]).then(r => r.text())", b.find(By.id("export-csv")).getAttribute("href"));
    assertThat((String) exported).contains(merchant + ",\"Card testing, seen by two acquirers\"");

    b.open("/console/lists?list=watch&entity=account");
    assertThat(b.find(By.id("entries")).getText()).contains(account).doesNotContain(merchant);
    b.screenshot("lists");
    assertThat(b.consoleErrors()).isEmpty();
  }

  @Test
  void anEntryWithMarkupInItsReasonShowsItAsTextAndIsRemoved() {
    String value = unique("acct_xss_");
    TestOperators.Signed reviewer = TestOperators.signIn(base, TestOperators.newUsername("listsx"), Set.of(Role.REVIEWER));
    ConsoleBrowser b = browser().signedInAs(reviewer).open("/console/lists");
    b.type(By.id("add-value"), value).type(By.id("add-reason"), XSS).type(By.id("add-expires"), "yesterday");
    b.script("document.getElementById('add-entity').value = 'account'; document.getElementById('add-list').value = 'watch';");
    b.click(By.id("add-button"));
    assertThat(b.visible(By.cssSelector("#add-entry .field-error")).getText()).as("the API's refusal, next to the field")
        .contains("invalid_timestamp");
    b.find(By.id("add-expires")).clear();
    b.click(By.id("add-button"));
    b.waitUntil(d -> {
      try {
        return d.findElement(By.id("changes")).getText().contains(value); // the page reloaded with the new entry
      } catch (StaleElementReferenceException reloading) {
        return false;
      }
    });
    b.open("/console/lists?value=" + value);
    WebElement reason = b.visible(By.cssSelector("#entries td.entry-reason"));
    assertThat(reason.getText()).isEqualTo(XSS);
    assertThat(b.findAll(By.cssSelector("#entries img, #changes img"))).as("markup stays text").isEmpty();
    assertThat(b.find(By.id("changes")).getText()).contains(XSS);
    assertNoAlert(b);
    assertThat(b.consoleErrors()).isEmpty();

    b.find(By.cssSelector("#entries tbody tr[data-entry-id] button")).click();
    b.driver().switchTo().alert().accept(); // "Remove this entry from its list?"
    b.waitUntil(d -> !b.findAll(By.id("no-entries")).isEmpty());
    assertThat(b.find(By.id("changes")).getText()).contains("delete");
  }

  @Test
  void aReaderSeesTheListsButNoFormToChangeThem() {
    TestOperators.Signed viewer = TestOperators.signIn(base, TestOperators.newUsername("listsv"), Set.of(Role.VIEWER));
    ConsoleBrowser b = browser().signedInAs(viewer).open("/console/lists");
    assertThat(b.find(By.id("search")).isDisplayed()).isTrue();
    assertThat(b.findAll(By.id("add-entry"))).isEmpty();
    assertThat(b.findAll(By.id("import"))).isEmpty();
    assertThat(b.findAll(By.id("export-csv"))).hasSize(1);
  }

  private static void assertNoAlert(ConsoleBrowser b) {
    try {
      b.driver().switchTo().alert();
      throw new AssertionError("a script ran: an alert is open");
    } catch (NoAlertPresentException expected) {
      // nothing ran
    }
  }
}
