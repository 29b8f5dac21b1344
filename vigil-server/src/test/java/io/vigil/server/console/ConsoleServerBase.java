package io.vigil.server.console;

import io.vigil.server.api.ServerTestBase;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The server the console's browser tests share (one data directory, so Spring's context cache starts
 * it once for every console test class). The console changes policy, lists and models, so it does not
 * share the API tests' server. Each test uses operators and accounts of its own, and each class one
 * headless Chromium ({@link #browser()}).
 */
public abstract class ConsoleServerBase extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-console-");

  /** One browser per test class, started on first use and closed after the class. */
  private static ConsoleBrowser browser;

  /** The class's browser on this server, without cookies (signed out). */
  protected ConsoleBrowser browser() {
    if (browser == null) browser = new ConsoleBrowser(base);
    browser.driver().manage().deleteAllCookies();
    return browser;
  }

  @AfterAll
  static void closeConsoleBrowser() {
    if (browser != null) browser.close();
    browser = null;
  }

  @DynamicPropertySource
  static void consoleDataDir(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    storeAsAsked(registry);
  }
}
