package io.vigil.server.support;

import java.time.Clock;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Puts {@link TestClock} in place of the server's system clock, and registers the server with
 * {@link TestOperators} once it listens, so that its tests can sign operators in.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestClockConfiguration {
  @Bean
  @Primary
  public Clock testClock() {
    return TestClock.INSTANCE;
  }

  @Bean
  public ApplicationListener<WebServerInitializedEvent> testOperatorsRegistration() {
    return event -> TestOperators.register("http://localhost:" + event.getWebServer().getPort(), event.getApplicationContext());
  }
}
