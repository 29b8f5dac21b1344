package io.vigil.server.api;

import io.vigil.server.support.ApiClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A real Vigil server on a random port with a client for it. Subclasses choose the data directory
 * with a {@code @DynamicPropertySource} for {@code vigil.data-dir}; classes that declare the same
 * one share a server through Spring's context cache.
 */
@SpringBootTest(classes = io.vigil.server.VigilApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class ServerTestBase {
  @LocalServerPort
  int port;

  ApiClient api;
  String base;

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
