package io.vigil.server.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationPredicate;
import io.vigil.server.api.Arrival;
import io.vigil.server.api.BodyPrefetch;
import io.vigil.server.api.ClientLimit;
import io.vigil.server.api.Deadlines;
import io.vigil.server.api.RequestLanes;
import io.vigil.server.decision.DecisionService;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/** How the HTTP connector treats requests: bodies, arrival stamps, read deadlines, per-client and lane bounds. */
@Configuration(proxyBeanMethods = false)
public class HttpConfiguration {
  /** Request threads the lanes leave free: health probes, metrics, and requests waiting for a permit. */
  static final int THREADS_FREE_MIN = 8;
  private static final int TOMCAT_THREADS_DEFAULT = 200;

  /**
   * A client that sends {@code Expect: 100-continue} (curl does for bodies over 1 MiB) is told to go
   * on only once the route starts reading the body. A body declared larger than the route takes is
   * refused first, so the client reads the 400 instead of having its upload cut off mid-way.
   */
  @Bean
  public TomcatConnectorCustomizer continueWhenTheBodyIsRead() {
    return connector -> connector.setProperty("continueResponseTiming", "onRead");
  }

  /**
   * No {@code http.server.requests} observation for {@code POST /v1/decisions}: the decision has its
   * own metrics, updated by the pipeline ({@code vigil_decisions_total}, {@code vigil_decision_latency_seconds}),
   * and the observation cost every decision more CPU than its rules did. Every other route keeps it.
   */
  @Bean
  public ObservationPredicate noRequestObservationForDecisions() {
    return (name, context) -> !(context instanceof ServerRequestObservationContext request
        && RequestLanes.isDecision(request.getCarrier()));
  }

  /** The longest silence between two reads of a request (and before its first byte). */
  @Bean
  public TomcatConnectorCustomizer readTimeout(VigilProperties p) {
    return connector -> connector.setProperty("connectionTimeout", Long.toString(p.http().readTimeoutMillis()));
  }

  /**
   * Stamps each request with the time its first byte was read, then refuses one whose headers came
   * too late and stamps the others with their body deadlines, before any filter runs.
   */
  @Bean
  public TomcatContextCustomizer arrivalAndDeadlines(VigilProperties p) {
    VigilProperties.Http http = p.http();
    checkDeadlines(http);
    return context -> {
      context.getPipeline().addValve(new Arrival.Stamp());
      context.getPipeline().addValve(new Deadlines(http.headerDeadlineMillis(), http.bodyDeadlineMillis(),
          http.uploadDeadlineMillis()));
    };
  }

  /** Requests in progress per client address, ahead of everything else (none when the limit is 0). */
  @Bean
  public FilterRegistrationBean<ClientLimit> clientLimit(VigilProperties p, MeterRegistry registry) {
    FilterRegistrationBean<ClientLimit> registration = new FilterRegistrationBean<>(
        new ClientLimit(Math.max(1, p.http().clientRequestsMax()), registry));
    registration.setEnabled(p.http().clientRequestsMax() > 0);
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    registration.setDispatcherTypes(DispatcherType.REQUEST);
    registration.addUrlPatterns("/*");
    return registration;
  }

  /** Takes in decision bodies without a thread, before the lanes. */
  @Bean
  public FilterRegistrationBean<BodyPrefetch> bodyPrefetch(MeterRegistry registry) {
    FilterRegistrationBean<BodyPrefetch> registration = new FilterRegistrationBean<>(new BodyPrefetch(registry));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
    registration.setDispatcherTypes(DispatcherType.REQUEST);
    registration.addUrlPatterns(RequestLanes.DECISIONS_PATH);
    return registration;
  }

  /**
   * Keeps the connector from reading the rest of a body the lanes refused. An engine valve, so it
   * acts after the 503 is complete (at the context level the connector would treat the request as
   * failed and run the error page over the 503).
   */
  @Bean
  public WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> dropRefusedBodies() {
    return factory -> factory.addEngineValves(new RequestLanes.DropRefusedBody());
  }

  /** The decision and administrative lanes, ahead of every other filter; checked against the thread pool. */
  @Bean
  public FilterRegistrationBean<RequestLanes> requestLanes(VigilProperties p, Environment environment, MeterRegistry registry) {
    VigilProperties.Http http = p.http();
    int threadsMax = environment.getProperty("server.tomcat.threads.max", Integer.class, TOMCAT_THREADS_DEFAULT);
    checkLanesFit(http, threadsMax);
    checkAdmissionBudget(p.decisions());
    checkPermitWait(http, p.decisions());
    RequestLanes lanes = new RequestLanes(http.decisionConcurrencyMax(), http.adminConcurrencyMax(), http.permitWaitMillis(),
        DecisionService.withFallback(RequestLanes.decisionsBusy(), p.decisions().overloadFallbackAction()), registry);
    FilterRegistrationBean<RequestLanes> registration = new FilterRegistrationBean<>(lanes);
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
    // Also on the dispatch that follows a decision body's intake (the lanes let other dispatches through).
    registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
    registration.addUrlPatterns("/*");
    return registration;
  }

  static void checkDeadlines(VigilProperties.Http http) {
    if (http.readTimeoutMillis() > Math.min(http.headerDeadlineMillis(), http.bodyDeadlineMillis())) {
      throw new IllegalStateException("vigil.http.read-timeout-millis (" + http.readTimeoutMillis()
          + ") must be at most vigil.http.header-deadline-millis and vigil.http.body-deadline-millis");
    }
    if (http.bodyDeadlineMillis() > http.uploadDeadlineMillis()) {
      throw new IllegalStateException("vigil.http.body-deadline-millis (" + http.bodyDeadlineMillis()
          + ") must be at most vigil.http.upload-deadline-millis (" + http.uploadDeadlineMillis() + ")");
    }
  }

  static void checkLanesFit(VigilProperties.Http http, int threadsMax) {
    int lanes = http.decisionConcurrencyMax() + http.adminConcurrencyMax();
    if (lanes + THREADS_FREE_MIN > threadsMax) {
      throw new IllegalStateException("vigil.http.decision-concurrency-max + vigil.http.admin-concurrency-max (" + lanes
          + ") must leave at least " + THREADS_FREE_MIN + " of server.tomcat.threads.max (" + threadsMax + ") free");
    }
  }

  static void checkPermitWait(VigilProperties.Http http, VigilProperties.Decisions decisions) {
    if (http.permitWaitMillis() >= decisions.admissionBudgetMillis()) {
      throw new IllegalStateException("vigil.http.permit-wait-millis (" + http.permitWaitMillis()
          + ") must be below vigil.decisions.admission-budget-millis (" + decisions.admissionBudgetMillis() + ")");
    }
  }

  static void checkAdmissionBudget(VigilProperties.Decisions decisions) {
    if (decisions.admissionBudgetMillis() >= decisions.replyTimeoutMillis()) {
      throw new IllegalStateException("vigil.decisions.admission-budget-millis (" + decisions.admissionBudgetMillis()
          + ") must be below vigil.decisions.reply-timeout-millis (" + decisions.replyTimeoutMillis() + ")");
    }
  }
}
