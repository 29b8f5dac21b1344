package io.vigil.server.transport;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.AbstractConfigurableWebServerFactory;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/** Transport security: where the server binds, TLS defaults ({@link TlsDefaults}), security headers, rate limits. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({BindProperties.class, TlsProperties.class, RateLimitProperties.class})
public class TransportConfiguration {
  /** Spring Security's filter chain ({@code spring.security.filter.order}). */
  static final int SECURITY_CHAIN_ORDER = -100;
  /** After the per-client bound, the decision body intake and the request lanes ({@code HttpConfiguration}). */
  static final int ADDRESS_LIMIT_ORDER = Ordered.HIGHEST_PRECEDENCE + 3;
  static final int KEY_LIMIT_ORDER = SECURITY_CHAIN_ORDER + 10;

  /**
   * Refuses plain HTTP on a non-loopback address without the explicit flag ({@link BindCheck}); runs
   * after Spring Boot applied {@code server.address} and {@code server.ssl}.
   */
  @Bean
  public WebServerFactoryCustomizer<ConfigurableWebServerFactory> plainHttpBindCheck(BindProperties bind, Environment environment) {
    checkManagementServer(bind, environment);
    return new OrderedCustomizer(factory -> {
      if (!(factory instanceof AbstractConfigurableWebServerFactory server)) return;
      boolean tls = Ssl.isEnabled(server.getSsl());
      BindCheck.check("server.address", server.getAddress(), tls, bind.allowPlainHttpOnPublicAddress());
      if (tls) checkTlsOptions(server.getSsl(), server.getSslBundles());
    });
  }

  /**
   * With TLS on, the server's protocols and suites must be set ({@link TlsDefaults} sets them on every
   * bundle it finds): an empty list would mean the JVM's defaults, CBC suites included.
   */
  static void checkTlsOptions(Ssl ssl, SslBundles bundles) {
    String bundle = ssl.getBundle();
    boolean set;
    if (bundle != null && !bundle.isBlank()) {
      if (bundles == null) return;
      SslOptions options = bundles.getBundle(bundle).getOptions();
      set = hasAny(options.getEnabledProtocols()) && hasAny(options.getCiphers());
    } else {
      set = hasAny(ssl.getEnabledProtocols()) && hasAny(ssl.getCiphers());
    }
    if (!set) {
      throw new IllegalStateException("TLS is on but its protocols or cipher suites are not set (server.ssl.bundle="
          + bundle + "): define the bundle in spring.ssl.bundle.pem.* or spring.ssl.bundle.jks.* properties, or set its "
          + "options.enabled-protocols and options.ciphers (docs/security.md#tls)");
    }
  }

  private static boolean hasAny(String[] values) {
    return values != null && values.length > 0;
  }

  /** A separate management port ({@code management.server.port}) binds {@code management.server.address}: the same rule. */
  private static void checkManagementServer(BindProperties bind, Environment environment) {
    Integer managementPort = environment.getProperty("management.server.port", Integer.class);
    Integer serverPort = environment.getProperty("server.port", Integer.class, 8080);
    if (managementPort == null || managementPort <= 0 || managementPort.equals(serverPort)) return;
    String address = environment.getProperty("management.server.address");
    Ssl ssl = Binder.get(environment).bind("management.server.ssl", Bindable.of(Ssl.class)).orElse(null);
    BindCheck.check("management.server.address", address == null || address.isBlank() ? null : literal(address),
        Ssl.isEnabled(ssl), bind.allowPlainHttpOnPublicAddress());
  }

  private static InetAddress literal(String address) {
    try {
      return InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("management.server.address is not an address this host knows: " + address, e);
    }
  }

  /** The security headers of every answer ({@link SecurityHeaders}). */
  @Bean
  public WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> securityHeaders(TlsProperties tls) {
    return factory -> factory.addEngineValves(new SecurityHeaders(tls.hstsMaxAgeSeconds(), tls.hstsIncludeSubdomains()));
  }

  @Bean
  public RateLimits rateLimits(RateLimitProperties p, Clock clock, MeterRegistry registry) {
    return new RateLimits(p, clock, registry);
  }

  /** Per-address budgets, before the security chain (none when rate limits are off). */
  @Bean
  public FilterRegistrationBean<AddressRateLimitFilter> addressRateLimit(RateLimits limits, RateLimitProperties p) {
    FilterRegistrationBean<AddressRateLimitFilter> registration = new FilterRegistrationBean<>(new AddressRateLimitFilter(limits));
    registration.setEnabled(p.enabled());
    registration.setOrder(ADDRESS_LIMIT_ORDER);
    // A decision runs its route on the dispatch that follows its body's intake.
    registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
    registration.addUrlPatterns("/*");
    return registration;
  }

  /** The per-key budget, after the security chain has authenticated the request (none when rate limits are off). */
  @Bean
  public FilterRegistrationBean<KeyRateLimitFilter> keyRateLimit(RateLimits limits, RateLimitProperties p) {
    FilterRegistrationBean<KeyRateLimitFilter> registration = new FilterRegistrationBean<>(new KeyRateLimitFilter(limits));
    registration.setEnabled(p.enabled());
    registration.setOrder(KEY_LIMIT_ORDER);
    registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
    registration.addUrlPatterns("/*");
    return registration;
  }

  /** Runs after Spring Boot's own customizers, which apply {@code server.*}. */
  private record OrderedCustomizer(WebServerFactoryCustomizer<ConfigurableWebServerFactory> check)
      implements WebServerFactoryCustomizer<ConfigurableWebServerFactory>, Ordered {
    @Override
    public void customize(ConfigurableWebServerFactory factory) {
      check.customize(factory);
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }
  }
}
