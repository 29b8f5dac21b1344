package io.vigil.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.support.TcpProxy;
import io.vigil.server.support.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A PostgreSQL-backed server whose database goes away (every connection cut, new ones refused, by
 * a TCP forwarder in between) is not ready, fast, while it stays live; when the database is back,
 * so is readiness.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class StoreHealthApiTest extends ServerTestBase {
  private static TcpProxy proxy;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    TestDatabases.Store store = TestDatabases.postgres();
    URI target = URI.create(store.url().substring("jdbc:".length()));
    try {
      proxy = new TcpProxy(target.getHost(), target.getPort());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String viaProxy = store.url().replace(target.getHost() + ":" + target.getPort(), "127.0.0.1:" + proxy.port());
    registry.add("vigil.data-dir", () -> tempDir("vigil-store-health-").toString());
    registry.add("vigil.storage.url", () -> viaProxy);
    registry.add("vigil.storage.username", store::username);
  }

  @AfterAll
  static void stopProxy() {
    proxy.close();
  }

  @Test
  void readinessIsDownWhileTheStoreIsUnreachableAndUpWhenItIsBack() throws Exception {
    assertThat(api.get("/actuator/health/readiness").status()).isEqualTo(200);

    proxy.stop();
    long askedNanos = System.nanoTime();
    awaitStatus("/actuator/health/readiness", 503);
    assertThat(api.get("/actuator/health/readiness").body()).contains("\"store\"");
    assertThat(api.get("/actuator/health").status()).isEqualTo(503);
    assertThat(api.get("/actuator/health/liveness").status()).as("a lost database is not cured by a restart").isEqualTo(200);
    long callNanos = System.nanoTime();
    api.get("/actuator/health/readiness");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - callNanos)).as("a health call is bounded in time")
        .isLessThan(3_000);
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - askedNanos)).isLessThan(20);

    proxy.start();
    awaitStatus("/actuator/health/readiness", 200);
    assertThat(api.get("/actuator/health").status()).isEqualTo(200);
  }

  private void awaitStatus(String path, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (api.get(path).status() == expected) return;
      Thread.sleep(100);
    }
    assertThat(api.get(path).body()).as("%s never answered %d", path, expected).isEqualTo("status " + expected);
  }
}
