package io.vigil.server.config;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** How the HTTP connector treats request bodies. */
@Configuration(proxyBeanMethods = false)
public class HttpConfiguration {
  /**
   * A client that sends {@code Expect: 100-continue} (curl does for bodies over 1 MiB) is told to go
   * on only once the route starts reading the body. A body declared larger than the route takes is
   * refused first, so the client reads the 400 instead of having its upload cut off mid-way.
   */
  @Bean
  public TomcatConnectorCustomizer continueWhenTheBodyIsRead() {
    return connector -> connector.setProperty("continueResponseTiming", "onRead");
  }
}
