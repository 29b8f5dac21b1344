package io.vigil.server.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.server.logging.FatalErrors;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.ChildServer;
import io.vigil.server.support.Events;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An {@link Error} on the decision sequencer (a bug, or the JVM failing) halts the process with a
 * structured ERROR line, so that a supervisor restarts it from the journal, instead of leaving a
 * process that answers health checks and times out every decision.
 */
class FatalErrorTest {
  @Test
  void anErrorOnTheSequencerHaltsTheProcessWithAStructuredLogLine() throws Exception {
    Path dataDir = Files.createTempDirectory("vigil-fatal-");
    try (ChildServer server = ChildServer.start(dataDir, List.of("-Xmx256m"), List.of())) {
      server.awaitHealthy();
      ApiClient.Reply first = server.api.post("/v1/decisions", Events.payment("before-error", "acc-1", 100));
      assertThat(first.status()).as(first.body()).isEqualTo(200);

      server.command("sequencer-error");

      assertThat(server.process().waitFor(30, TimeUnit.SECONDS)).as("process halted; %s", server.describe()).isTrue();
      assertThat(server.process().exitValue()).isEqualTo(FatalErrors.EXIT_STATUS);
      String errorLine = server.logText().lines().filter(l -> l.contains("\"level\":\"ERROR\"")).findFirst()
          .orElseThrow(() -> new AssertionError("no ERROR line; " + server.describe()));
      assertThat(errorLine).startsWith("{").contains("the decision sequencer stopped on an unexpected failure")
          .contains("java.lang.InternalError")
          .doesNotContain("must not be logged"); // the message of a foreign exception may hold data: left out
    }
  }
}
