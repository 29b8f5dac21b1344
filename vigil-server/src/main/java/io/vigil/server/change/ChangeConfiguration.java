package io.vigil.server.change;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.server.api.Json;
import io.vigil.server.audit.AuditEntry;
import io.vigil.server.audit.AuditRecorder;
import io.vigil.server.policy.PolicyService;
import io.vigil.server.policy.release.Releases;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Change requests: the service ({@code vigil.changes.expiry}, default 7 days, how long a request
 * waits for a decision), the scheduler of timed go-lives ({@code vigil.changes.scheduler.enabled},
 * {@code vigil.changes.scheduler.period-millis}) and the guard of the direct write routes.
 */
@Configuration(proxyBeanMethods = false)
public class ChangeConfiguration implements WebMvcConfigurer {
  private final ObjectProvider<DirectWriteGuard> guard;

  public ChangeConfiguration(ObjectProvider<DirectWriteGuard> guard) {
    this.guard = guard;
  }

  @Bean
  public ChangeRequestService changeRequestService(HikariDataSource ds, ChangeKinds kinds, Releases releases,
      PolicyService policies, Clock clock, @Value("${vigil.changes.expiry:7d}") Duration expiry, AuditRecorder audit) {
    ChangeRequestService service = new ChangeRequestService(new ChangeRequestRepository(ds), kinds, releases, policies, clock, expiry);
    // A scheduled go-live has no request of its own: the trail gets a row written by the system.
    service.onScheduledLive(r -> audit.record(AuditEntry.of(clock.millis(), AuditEntry.SYSTEM, "change-scheduler", null, null, null,
        "-", "-", "change_request", r.id(), null, "change_request.apply", null, Json.write(ChangeJson.summary(r)), 200, null)));
    return service;
  }

  @Bean(destroyMethod = "close")
  public ChangeScheduler changeScheduler(ChangeRequestService changes,
      @Value("${vigil.changes.scheduler.enabled:true}") boolean enabled,
      @Value("${vigil.changes.scheduler.period-millis:30000}") long periodMillis) {
    return new ChangeScheduler(changes, enabled, periodMillis);
  }

  @Bean
  public DirectWriteGuard directWriteGuard(ChangeRequestService changes, ChangeKinds kinds) {
    return new DirectWriteGuard(changes, kinds);
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(guard.getObject()).addPathPatterns(DirectWriteGuard.PATHS);
  }
}
