package io.vigil.server.support;

import io.vigil.engine.event.EventType;
import io.vigil.engine.rule.RuleDefinition;
import io.vigil.engine.rule.RuleEffect;
import io.vigil.server.VigilApplication;
import io.vigil.server.decision.DecisionPipeline;
import io.vigil.server.logging.FatalErrors;
import io.vigil.server.policy.PolicyService;
import io.vigil.server.privacy.KeyRotation;
import io.vigil.server.privacy.PersonalDataErasure;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@link TestClockServer} with a test hook on its standard input: the line {@code sequencer-error}
 * makes the decision sequencer throw an {@link Error} between two decisions, as a bug or a failing
 * JVM would. Production code has no such hook; the failure arrives through the sequencer's
 * ordinary task queue. {@code advance-clock SECONDS} moves the server's clock. For tests of what
 * the server stores, without an operator's sign-in: {@code pd-rule} adds a rule quoting the
 * e-mail, {@code pd-erase ACCOUNT} erases an account's personal data and {@code pd-rotate}
 * rotates the personal-data master keyset (removing the old keys); each prints a line
 * ({@code pd-done ...}) when done, through the services the routes call.
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
      if (line.equals("pd-rule")) {
        context.getBean(PolicyService.class).createRule(new RuleDefinition("test_pd_quotes_email", "quotes the e-mail",
            Set.of(EventType.PAYMENT), "event.amount > 0", RuleEffect.points(1), "paid from {event.email}", true), "test-hook");
        System.out.println("pd-done rule");
      }
      if (line.startsWith("pd-erase ")) {
        Map<String, Object> r = context.getBean(PersonalDataErasure.class)
            .eraseAccount(line.substring("pd-erase ".length()).trim(), "holder's request (test)", "test-hook");
        System.out.println("pd-done erase keys_destroyed=" + r.get("keys_destroyed"));
      }
      if (line.equals("pd-rotate")) {
        KeyRotation.Result r = context.getBean(KeyRotation.class).rotate(true);
        System.out.println("pd-done rotate primary=" + r.primaryKeyId() + " rewrapped=" + r.rewrapped() + " removed="
            + r.removedKeyIds().size() + " keys=" + r.keyIds().size());
      }
      System.out.flush();
      if (line.equals("sequencer-error")) {
        pipeline.onSequencer(engine -> {
          throw new InternalError("injected by the test, with a value that must not be logged: 4111");
        });
      }
    }
  }
}
