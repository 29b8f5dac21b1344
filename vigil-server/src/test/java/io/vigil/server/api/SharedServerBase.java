package io.vigil.server.api;

import io.vigil.server.support.ApiClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One real server (random port, fresh embedded H2 directory) shared by the API test classes that
 * do not change the policy: they declare the same configuration, so Spring's context cache starts
 * it once. Those tests use their own accounts and event ids, so they do not see each other's rows.
 * {@link RulesAndListsApiTest} changes the global policy and lists and has a server of its own.
 */
@SpringBootTest(classes = io.vigil.server.VigilApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class SharedServerBase {
  private static final Path DATA_DIR = tempDir("vigil-api-shared-");

  @LocalServerPort
  int port;

  ApiClient api;
  String base;

  @DynamicPropertySource
  static void sharedDataDir(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
  }

  @BeforeEach
  void client() {
    base = "http://localhost:" + port;
    api = new ApiClient(base);
  }

  static Path tempDir(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
