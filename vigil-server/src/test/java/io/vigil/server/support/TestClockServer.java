package io.vigil.server.support;

import io.vigil.server.VigilApplication;
import io.vigil.server.logging.FatalErrors;
import org.springframework.boot.SpringApplication;

/**
 * Starts a Vigil server process on {@link TestClock}. A test that runs the server in a child JVM
 * passes {@link TestClock#childOptions()}, so both processes read the same time.
 */
public final class TestClockServer {
  private TestClockServer() {}

  public static void main(String[] args) {
    FatalErrors.installDefaultHandler();
    new SpringApplication(VigilApplication.class, TestClockConfiguration.class).run(args);
  }
}
