package io.vigil.server.api;

import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One real server (random port, fresh embedded H2 directory) shared by the API test classes that
 * do not change the policy: they declare the same configuration, so Spring's context cache starts
 * it once. Those tests use their own accounts and event ids, so they do not see each other's rows.
 * {@link RulesAndListsApiTest} changes the global policy and lists and has a server of its own.
 * With {@code -Dvigil.test.store=postgresql} the shared server stores in PostgreSQL instead.
 */
public abstract class SharedServerBase extends ServerTestBase {
  private static final Path DATA_DIR = tempDir("vigil-api-shared-");

  @DynamicPropertySource
  static void sharedDataDir(DynamicPropertyRegistry registry) {
    registry.add("vigil.data-dir", DATA_DIR::toString);
    storeAsAsked(registry);
  }
}
