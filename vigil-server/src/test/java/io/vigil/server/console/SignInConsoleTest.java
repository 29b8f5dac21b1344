package io.vigil.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.operator.ClockTimeProvider;
import io.vigil.server.operator.OperatorService;
import io.vigil.server.operator.Totp;
import io.vigil.server.security.Role;
import io.vigil.server.support.TestClock;
import io.vigil.server.support.TestOperators;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;

/** Signing in to the console in a real browser: the first sign-in's steps, TOTP, lockout, refusals. */
class SignInConsoleTest extends ConsoleServerBase {
  private static final Totp TOTP = new Totp(new ClockTimeProvider(TestClock.INSTANCE), "Vigil");

  @Autowired
  OperatorService operators;

  @Test
  void aFirstSignInChangesThePasswordEnrolsTotpAndShowsRecoveryCodes() {
    String username = TestOperators.newUsername("first");
    OperatorService.Created created = operators.create(username, "First Timer", Set.of());
    operators.setRoles(username, Set.of(Role.ANALYST));
    ConsoleBrowser b = browser().open("/console/sign-in");
    b.consoleErrors();
    b.screenshot("sign-in");
    b.type(By.id("username"), username).type(By.id("password"), created.oneTimePassword()).click(By.id("sign-in"));

    b.visible(By.id("new-password"));
    b.type(By.id("new-password"), "password").click(By.id("change-password"));
    WebElement error = b.visible(By.cssSelector("#password-change-step .field-error, #password-change-step [data-form-error]"));
    assertThat(error.getText()).as("the policy's refusal, in the API's words, next to the field").isNotBlank();

    b.type(By.id("new-password"), "Wq4#" + Long.toString(System.nanoTime(), 36) + "!Lm").click(By.id("change-password"));
    String secret = b.visible(By.id("enrolment-secret")).getText().replace(" ", "");
    assertThat(secret).matches("[A-Z2-7]{16,}");
    assertThat(b.find(By.id("enrolment-qr")).getAttribute("src")).startsWith("data:image/png;base64,");
    b.type(By.id("enrolment-code"), TOTP.codeAt(secret, TOTP.currentStep())).click(By.id("confirm-enrolment"));

    b.visible(By.id("recovery-codes"));
    assertThat(b.findAll(By.cssSelector("#recovery-codes li"))).hasSize(10);
    b.click(By.id("continue"));
    b.waitUntil(d -> b.path().startsWith("/console/dashboard"));
    assertThat(b.find(By.id("signed-in-as")).getText()).isEqualTo(username);
    assertThat(b.consoleErrors()).as("no Content-Security-Policy violation or script error").isEmpty();
  }

  @Test
  void anOperatorSignsInWithPasswordAndTotpAndOut() {
    TestOperators.Signed alice = TestOperators.signIn(base, TestOperators.newUsername("alice"), Set.of(Role.VIEWER));
    ConsoleBrowser b = browser().signInWithPage(alice);
    assertThat(b.path()).startsWith("/console/dashboard");
    b.click(By.id("sign-out"));
    b.waitUntil(d -> b.path().startsWith("/console/sign-in"));
    b.open("/console/dashboard");
    assertThat(b.path()).as("signed out: back to the sign-in page").startsWith("/console/sign-in");
  }

  @Test
  void aWrongTotpCodeIsRefusedNextToTheField() {
    TestOperators.Signed bob = TestOperators.signIn(base, TestOperators.newUsername("bob"), Set.of(Role.VIEWER));
    ConsoleBrowser b = browser().open("/console/sign-in");
    b.type(By.id("username"), bob.username()).type(By.id("password"), bob.password()).click(By.id("sign-in"));
    b.type(By.id("totp-code"), "000000").click(By.id("verify-code"));
    assertThat(b.visible(By.cssSelector("#totp-step .field-error")).getText()).isNotBlank();
    assertThat(b.path()).startsWith("/console/sign-in");
  }

  @Test
  void repeatedWrongPasswordsLockTheAccountAndSayFor() {
    TestOperators.Signed carol = TestOperators.signIn(base, TestOperators.newUsername("carol"), Set.of(Role.VIEWER));
    ConsoleBrowser b = browser().open("/console/sign-in");
    for (int i = 0; i < 6; i++) {
      b.type(By.id("username"), carol.username()).type(By.id("password"), "Wrong-password-" + i).click(By.id("sign-in"));
      b.waitUntil(d -> !b.find(By.cssSelector("#password-step [data-form-error]")).getText().isBlank()
          || !b.findAll(By.cssSelector("#password-step .field-error")).isEmpty());
    }
    String shown = b.find(By.cssSelector("#password-step")).getText();
    assertThat(shown).containsIgnoringCase("locked");
  }

  @Test
  void aPageWithoutSessionGoesToSignInAndARoleWithoutThePermissionIsRefused() {
    ConsoleBrowser b = browser().open("/console/audit");
    assertThat(b.path()).startsWith("/console/sign-in");

    TestOperators.Signed viewer = TestOperators.signIn(base, TestOperators.newUsername("viewer"), Set.of(Role.VIEWER));
    b.signedInAs(viewer).open("/console/dashboard");
    assertThat(b.findAll(By.linkText("Audit trail"))).as("a screen the role may not open is not offered").isEmpty();
    assertThat(b.findAll(By.linkText("Decisions"))).isNotEmpty();
    b.open("/console/audit");
    assertThat(b.find(By.id("refusal")).getText()).contains("audit.read");
    b.screenshot("refused");
  }
}
