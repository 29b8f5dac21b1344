package io.vigil.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.api.ServerTestBase;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sign-in page's single sign-on button in a real browser, against a real OpenID Connect provider
 * (mock-oauth2-server on the loopback): the browser follows the authorization code flow and lands on
 * the console signed in, or back on the sign-in page with the reason when the provider's groups give no role.
 */
class SsoConsoleTest extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-console-sso-");
  private static final String ISSUER_ID = "idp";
  private static final String CLIENT_ID = "vigil-console-test";
  private static final MockOAuth2Server PROVIDER = started();
  private static ConsoleBrowser browser;

  private static MockOAuth2Server started() {
    MockOAuth2Server server = new MockOAuth2Server();
    server.start();
    return server;
  }

  @AfterAll
  static void stop() {
    if (browser != null) browser.close();
    PROVIDER.shutdown();
  }

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    registry.add("vigil.operators.sso.enabled", () -> "true");
    registry.add("vigil.operators.sso.issuer", () -> PROVIDER.issuerUrl(ISSUER_ID).toString());
    registry.add("vigil.operators.sso.client-id", () -> CLIENT_ID);
    registry.add("vigil.operators.sso.client-secret", () -> UUID.randomUUID().toString());
    registry.add("vigil.operators.sso.group-roles.[risk-analysts]", () -> "analyst");
  }

  private ConsoleBrowser browser() {
    if (browser == null) browser = new ConsoleBrowser(base);
    browser.driver().manage().deleteAllCookies();
    return browser;
  }

  private void providerSignsIn(Map<String, Object> claims) {
    PROVIDER.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, "subject-" + UUID.randomUUID(), "JWT", List.of(CLIENT_ID),
        claims, 3600));
  }

  @Test
  void theSingleSignOnButtonSignsInAndLandsOnTheConsole() {
    providerSignsIn(Map.of("preferred_username", "sso.analyst", "name", "Sso Analyst", "groups", List.of("risk-analysts")));
    ConsoleBrowser b = browser().open("/console/sign-in");
    b.click(By.id("sso"));
    b.waitUntil(d -> b.driver().getCurrentUrl().startsWith(base + "/console/dashboard"));
    assertThat(b.find(By.id("signed-in-as")).getText()).isEqualTo("sso.analyst");
    assertThat(b.findAll(By.linkText("Accounts"))).as("the analyst role from the provider's group").isNotEmpty();
  }

  @Test
  void aProviderUserWithoutARoleIsSentBackWithTheReason() {
    providerSignsIn(Map.of("preferred_username", "sso.outsider", "groups", List.of("marketing")));
    ConsoleBrowser b = browser().open("/console/sign-in");
    b.click(By.id("sso"));
    b.waitUntil(d -> b.driver().getCurrentUrl().startsWith(base + "/console/sign-in?sso_error="));
    assertThat(b.find(By.id("sso-error")).getText()).contains("sso_no_role");
    b.open("/console/dashboard");
    assertThat(b.path()).as("not signed in").startsWith("/console/sign-in");
  }
}
