package io.vigil.server.support;

import io.vigil.server.VigilApplication;
import io.vigil.server.decision.DecisionPipeline;
import io.vigil.server.logging.FatalErrors;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@link TestClockServer} with a test hook on its standard input: the line {@code sequencer-error}
 * makes the decision sequencer throw an {@link Error} between two decisions, as a bug or a failing
 * JVM would. Production code has no such hook; the failure arrives through the sequencer's
 * ordinary task queue.
 */
public final class HookedServer {
  private HookedServer() {}

  public static void main(String[] args) throws Exception {
    FatalErrors.installDefaultHandler();
    ConfigurableApplicationContext context = new SpringApplication(
        VigilApplication.class, TestClockConfiguration.class).run(args);
    DecisionPipeline pipeline = context.getBean(DecisionPipeline.class);
    BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = commands.readLine()) != null; ) {
      if (line.startsWith("advance-clock ")) {
        TestClock.advance(Duration.ofSeconds(Long.parseLong(line.substring("advance-clock ".length()).trim())));
      }
      if (line.equals("sequencer-error")) {
        pipeline.onSequencer(engine -> {
          throw new InternalError("injected by the test, with a value that must not be logged: 4111");
        });
      }
    }
  }
}
