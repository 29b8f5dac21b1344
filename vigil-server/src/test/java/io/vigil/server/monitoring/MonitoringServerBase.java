package io.vigil.server.monitoring;

import io.vigil.server.api.ServerTestBase;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The server the monitoring tests share: its own data directory, the monitor polling every 100 ms. */
abstract class MonitoringServerBase extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-monitoring-");

  protected MonitoringTestSupport mon;

  @DynamicPropertySource
  static void ownDataDir(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    registry.add("vigil.monitoring.poll-millis", () -> "100");
    storeAsAsked(registry);
  }

  @BeforeEach
  void support() {
    mon = new MonitoringTestSupport(api);
  }
}
