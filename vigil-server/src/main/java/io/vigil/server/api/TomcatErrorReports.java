package io.vigil.server.api;

import org.apache.catalina.Container;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Puts {@link JsonErrorReportValve} in place of Tomcat's HTML error report on the host, so that even
 * a request Tomcat refuses before any servlet runs is answered in the API's error shape. Spring Boot
 * adds its own {@link ErrorReportValve}; it is swapped when the host starts, after every customizer ran.
 */
@Configuration(proxyBeanMethods = false)
public class TomcatErrorReports {
  @Bean
  public TomcatContextCustomizer jsonErrorReports() {
    return context -> {
      Container parent = context.getParent();
      if (!(parent instanceof StandardHost host)) return;
      host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
      host.addLifecycleListener(event -> {
        if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) useJsonReports(host);
      });
    };
  }

  private static void useJsonReports(StandardHost host) {
    for (Valve valve : host.getPipeline().getValves()) {
      if (valve instanceof ErrorReportValve && !(valve instanceof JsonErrorReportValve)) host.getPipeline().removeValve(valve);
    }
    for (Valve valve : host.getPipeline().getValves()) {
      if (valve instanceof JsonErrorReportValve) return;
    }
    host.getPipeline().addValve(new JsonErrorReportValve());
  }
}
