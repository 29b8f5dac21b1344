package io.vigil.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.support.ChildServer;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A real start: a server told to serve plain HTTP on every interface without the flag refuses to start and says why. */
class PlainHttpBindStartTest {
  @Test
  void plainHttpOnEveryInterfaceWithoutTheFlagStopsTheStartWithTheReason() throws Exception {
    try (ChildServer server = ChildServer.start(Files.createTempDirectory("vigil-bind-"), List.of("-Xmx256m"),
        List.of("--server.address=0.0.0.0", "--logging.structured.format.console="))) {
      assertThat(server.process().waitFor(90, TimeUnit.SECONDS)).as("the server stops by itself").isTrue();
      assertThat(server.process().exitValue()).isNotZero();
      assertThat(server.logText())
          .contains("APPLICATION FAILED TO START")
          .contains("server.address binds every network interface over plain HTTP")
          .contains("vigil.http.allow-plain-http-on-public-address=true");
    }
  }
}
