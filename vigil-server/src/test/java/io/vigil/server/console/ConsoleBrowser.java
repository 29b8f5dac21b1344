package io.vigil.server.console;

import io.vigil.server.support.TestOperators;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, installed by
 * {@code .ci/run}) driven by Selenium against a test server, with a fresh profile each time and no
 * network beyond the server. Helpers for the console tests: open a page, sign in, fill, click, wait,
 * read the browser's console for Content-Security-Policy violations, and take a screenshot (written to
 * {@code docs/images/} with {@code -Dvigil.docs.write=true}, else under {@code target/console-screenshots}).
 */
public final class ConsoleBrowser implements AutoCloseable {
  private static final Path CHROMIUM = Path.of(System.getProperty("vigil.test.chromium", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER = Path.of(System.getProperty("vigil.test.chromedriver", "/usr/bin/chromedriver"));
  private static final Duration WAIT = Duration.ofSeconds(20);
  private final String base;
  private final Path profile;
  private final ChromeDriver driver;

  public ConsoleBrowser(String base) {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new IllegalStateException("The console tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", "
          + CHROMEDRIVER + "): apt-get install chromium chromium-driver (.ci/run does)");
    }
    this.base = base;
    try {
      this.profile = Files.createTempDirectory("vigil-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--window-size=1440,1000", "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    this.driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
  }

  public WebDriver driver() {
    return driver;
  }

  public String base() {
    return base;
  }

  /** Opens a console path (e.g. {@code /console/decisions?action=HOLD}). */
  public ConsoleBrowser open(String path) {
    driver.get(base + path);
    waitUntil(d -> "complete".equals(script("return document.readyState")));
    return this;
  }

  /** The path (with query) the browser is on now. */
  public String path() {
    return driver.getCurrentUrl().substring(base.length());
  }

  /**
   * Signs this operator in without the sign-in page: the browser takes the session the test client
   * signed in with (the sign-in page itself has its own test).
   */
  public ConsoleBrowser signedInAs(TestOperators.Signed operator) {
    open("/console/assets/console.css"); // a page of the server's origin, so that its cookie can be set
    driver.manage().deleteAllCookies();
    String pair = operator.session().cookie();
    String value = pair.substring(pair.indexOf('=') + 1);
    driver.manage().addCookie(new Cookie.Builder("VIGIL_SESSION", value).path("/").isHttpOnly(true).build());
    return this;
  }

  /** Signs in through the sign-in page with the operator's password and a fresh TOTP code. */
  public ConsoleBrowser signInWithPage(TestOperators.Signed operator) {
    open("/console/sign-in");
    type(By.id("username"), operator.username());
    type(By.id("password"), operator.password());
    click(By.id("sign-in"));
    visible(By.id("totp-code"));
    type(By.id("totp-code"), operator.nextCode());
    click(By.id("verify-code"));
    waitUntil(d -> !path().startsWith("/console/sign-in"));
    return this;
  }

  public WebElement find(By by) {
    return driver.findElement(by);
  }

  public List<WebElement> findAll(By by) {
    return driver.findElements(by);
  }

  /** Waits until the element is visible and returns it. */
  public WebElement visible(By by) {
    return waitUntil(ExpectedConditions.visibilityOfElementLocated(by));
  }

  /** Waits until the element's text contains this. */
  public WebElement textContains(By by, String text) {
    waitUntil(ExpectedConditions.textToBePresentInElementLocated(by, text));
    return driver.findElement(by);
  }

  /**
   * Waits until the condition holds. A page load or a live update (SSE swap) may replace an element
   * between its lookup and its read; the browser then answers a stale element, or (Chromium) a node
   * that "does not belong to the document": either means look again, not fail.
   */
  public <T> T waitUntil(Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, WAIT).until(d -> {
      try {
        return condition.apply(d);
      } catch (StaleElementReferenceException replaced) {
        return null;
      } catch (WebDriverException e) {
        if (String.valueOf(e.getMessage()).contains(DETACHED_NODE)) return null;
        throw e;
      }
    });
  }

  /** Chromium's answer to a read of an element a page load or swap took out of the document. */
  private static final String DETACHED_NODE = "does not belong to the document";

  /** Clears the field and types this text. */
  public ConsoleBrowser type(By by, String text) {
    WebElement field = visible(by);
    field.clear();
    field.sendKeys(text);
    return this;
  }

  public ConsoleBrowser click(By by) {
    new WebDriverWait(driver, WAIT).until(ExpectedConditions.elementToBeClickable(by)).click();
    return this;
  }

  public Object script(String javascript, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(javascript, args);
  }

  /**
   * The script errors and Content-Security-Policy violations in the browser's console since the last
   * call. An API error answer the page shows (a 4xx "Failed to load resource") is not one.
   */
  public List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage)
        .filter(m -> !m.contains("Failed to load resource")).toList();
  }

  /** A screenshot of the page as it is now, named {@code console-<name>.png}. */
  public Path screenshot(String name) {
    Path dir = Boolean.getBoolean("vigil.docs.write") ? docsImages() : Path.of("target", "console-screenshots");
    try {
      Files.createDirectories(dir);
      driver.manage().window().setSize(new Dimension(1440, 1000));
      Path file = dir.resolve("console-" + name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path docsImages() {
    Path here = Path.of("").toAbsolutePath();
    Path root = Files.isDirectory(here.resolve("docs")) ? here : here.getParent();
    return root.resolve("docs").resolve("images");
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temporary profile left behind is harmless
      }
    }
  }
}
