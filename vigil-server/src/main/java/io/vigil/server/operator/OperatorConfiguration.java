package io.vigil.server.operator;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.server.config.VigilProperties;
import io.vigil.server.security.SecretBox;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfTokenRepository;

/** Operator accounts, sign-in and sessions. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OperatorProperties.class)
public class OperatorConfiguration {
  @Bean
  public OperatorRepository operatorRepository(HikariDataSource ds) {
    return new OperatorRepository(ds);
  }

  @Bean
  public Totp totp(OperatorProperties p, Clock clock) {
    return new Totp(new ClockTimeProvider(clock), p.totp().issuer());
  }

  @Bean
  public OperatorService operatorService(OperatorRepository repository, HikariDataSource ds, OperatorProperties p, Totp totp,
      SeedBox seeds, Clock clock, VigilProperties vigil) {
    OperatorService service = new OperatorService(repository, new RecoveryCodes(ds),
        new PasswordPolicy(p.password(), CommonPasswords.bundled()), p.password().bcryptCost(), new LockoutPolicy(p.lockout()), totp,
        seeds, clock);
    FirstAdministrator.createIfEmpty(repository, service, Path.of(vigil.dataDir()), System.out);
    return service;
  }

  @Bean
  public RoleChangeService roleChangeService(HikariDataSource ds, OperatorService operators, Clock clock) {
    return new RoleChangeService(new RoleChangeRepository(ds), operators, clock);
  }

  @Bean
  public SeedBox seedBox(SecretBox box) {
    return new SealedSeeds(box);
  }

  @Bean
  public StepUpCheck stepUpCheck(Clock clock) {
    return new PrincipalStepUp(clock);
  }

  @Bean
  public OperatorSessions operatorSessions(SecurityContextRepository contexts, CsrfTokenRepository csrfTokens, OperatorProperties p,
      StepUpCheck stepUp, Clock clock) {
    return new OperatorSessions(contexts, csrfTokens, p.sessions(), stepUp.windowMillis(), clock);
  }

  /** Ends expired operator sessions just ahead of the security chain. */
  @Bean
  public FilterRegistrationBean<SessionExpiry> sessionExpiry(OperatorRepository repository, OperatorProperties p, Clock clock) {
    FilterRegistrationBean<SessionExpiry> registration = new FilterRegistrationBean<>(new SessionExpiry(repository, p.sessions(), clock));
    registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1);
    registration.addUrlPatterns("/*");
    return registration;
  }
}
