package io.vigil.server.support;

import java.time.Clock;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** Puts {@link TestClock} in place of the server's system clock. */
@TestConfiguration(proxyBeanMethods = false)
public class TestClockConfiguration {
  @Bean
  @Primary
  public Clock testClock() {
    return TestClock.INSTANCE;
  }
}
