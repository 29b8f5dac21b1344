package io.vigil.server.audit;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.server.config.VigilProperties;
import io.vigil.server.security.SecretBox;
import io.vigil.server.storage.DurableCommit;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.function.Function;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/** Wires the audit trail: its store, its one writer, the capture filter and the start-up check. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuditProperties.class)
public class AuditConfiguration {
  @Bean
  public AuditRepository auditRepository(HikariDataSource ds, VigilProperties p) {
    return new AuditRepository(ds, DurableCommit.of(p.storage().durableCommits()));
  }

  @Bean
  public AddressSeal auditAddressSeal(SecretBox secretBox) {
    return new SecretBoxAddressSeal(secretBox);
  }

  @Bean(destroyMethod = "close")
  public AuditRecorder auditRecorder(AuditRepository trail, AddressSeal seal, Clock clock, AuditProperties a) {
    return new AuditRecorder(trail, seal, clock, a.queueCapacity(), a.waitMillis());
  }

  @Bean
  public AuditStartCheck auditStartCheck(AuditRepository trail, AuditProperties a) {
    AuditStartCheck check = new AuditStartCheck(trail, a.archivedThrough(), a.archivedHeadHash());
    return a.verifyAtStart() ? check.start() : check;
  }

  /** Ahead of the security chain, on the request's own dispatch and on the one after a decision body's intake. */
  @Bean
  public FilterRegistrationBean<AuditCapture> auditCapture(AuditRecorder recorder, Clock clock, AuditProperties a,
      @Qualifier("requestMappingHandlerMapping") ObjectProvider<HandlerMapping> routes) {
    Function<HttpServletRequest, Object> lookup = request -> {
      HandlerMapping mapping = routes.getIfAvailable();
      if (mapping == null) return null;
      if (!ServletRequestPathUtils.hasParsedRequestPath(request)) ServletRequestPathUtils.parseAndCache(request);
      try {
        return mapping.getHandler(request);
      } catch (Exception e) {
        return null;
      }
    };
    FilterRegistrationBean<AuditCapture> registration = new FilterRegistrationBean<>(
        new AuditCapture(recorder, clock, a.bodyBytesMax(), lookup));
    registration.setOrder(AuditCapture.ORDER);
    registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
    registration.addUrlPatterns("/*");
    return registration;
  }

}
