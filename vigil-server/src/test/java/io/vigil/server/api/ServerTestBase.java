package io.vigil.server.api;

import io.vigil.server.VigilApplication;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestClockConfiguration;
import io.vigil.server.support.TestDatabases;
import io.vigil.server.support.TestKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A real Vigil server on a random port with a client for it. Subclasses choose the data directory
 * with a {@code @DynamicPropertySource} for {@code vigil.data-dir}; classes that declare the same
 * one share a server through Spring's context cache. The server runs on {@code TestClock}: take
 * "now" from {@code TestClock.now()}, never from the wall clock.
 */
@SpringBootTest(classes = VigilApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    // A busy CI machine (parallel builds, a GC pause) must not turn a functional test's decision into
    // a 503 for waiting 250 ms: the tests of overload set their own, short budget.
    properties = "vigil.decisions.admission-budget-millis=1500")
@Import(TestClockConfiguration.class)
public abstract class ServerTestBase {
  @LocalServerPort
  protected int port;

  protected ApiClient api;
  protected String base;

  /**
   * With {@code -Dvigil.test.store=postgresql}, makes the server store in PostgreSQL (a schema of its
   * own, see {@link TestDatabases}) instead of embedded H2: the same API tests, on the other store.
   * For the servers that do not choose their store themselves; {@link SharedServerBase} calls it.
   */
  protected static void storeAsAsked(DynamicPropertyRegistry registry) {
    if (!"postgresql".equals(System.getProperty("vigil.test.store"))) return;
    TestDatabases.Store store = TestDatabases.postgres();
    registry.add("vigil.storage.url", store::url);
    registry.add("vigil.storage.username", store::username);
  }

  /**
   * Turns off the workers that write to the database on their own time (following the journal or a
   * schedule), for tests that compare the whole database before and after a request: a cursor one
   * of them moved meanwhile would read as a change the request made.
   */
  protected static void backgroundWritersOff(DynamicPropertyRegistry registry) {
    for (String worker : List.of("vigil.cases", "vigil.cases.sla", "vigil.cases.measures.daily-review", "vigil.monitoring",
        "vigil.rule-stats", "vigil.reports.schedule", "vigil.releases.guard", "vigil.changes.scheduler")) {
      registry.add(worker + ".enabled", () -> "false");
    }
  }

  /** Every test server holds the test run's API key ({@link TestKeys}), which the test clients sign with. */
  @DynamicPropertySource
  static void testKey(DynamicPropertyRegistry registry) {
    TestKeys.properties().forEach((name, value) -> registry.add(name, () -> value));
  }

  @BeforeEach
  void client() {
    base = "http://localhost:" + port;
    api = new ApiClient(base);
  }

  protected static Path tempDir(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
