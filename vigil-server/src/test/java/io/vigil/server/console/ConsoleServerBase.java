package io.vigil.server.console;

import io.vigil.server.api.ServerTestBase;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The server the console's browser tests share (one data directory, so Spring's context cache starts
 * it once for every console test class). The console changes policy, lists and models, so it does not
 * share the API tests' server. Each test uses operators and accounts of its own.
 */
public abstract class ConsoleServerBase extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-console-");

  @DynamicPropertySource
  static void consoleDataDir(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    storeAsAsked(registry);
  }
}
