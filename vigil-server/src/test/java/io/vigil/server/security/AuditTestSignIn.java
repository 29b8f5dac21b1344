package io.vigil.server.security;

import io.vigil.server.support.OperatorSession;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;

/**
 * A stand-in for operator sign-in for the audit trail's tests, until the real sign-in is on this
 * branch: {@code POST /v1/test/audit-session?username=U&roles=a,b} saves a signed-in operator with a
 * fresh step-up in a new session, the way the sign-in does (the {@link SecurityContextRepository}
 * and {@link CsrfTokenRepository} beans), and answers the session's CSRF token as plain text. A
 * filter ahead of the security chain, not a route: it adds nothing to the route table.
 */
@TestConfiguration(proxyBeanMethods = false)
public class AuditTestSignIn {
  public static final String PATH = "/v1/test/audit-session";

  @Bean
  FilterRegistrationBean<Filter> auditTestSignIn(SecurityContextRepository contexts, CsrfTokenRepository csrfTokens, Clock clock) {
    Filter filter = (req, res, chain) -> {
      HttpServletRequest request = (HttpServletRequest) req;
      HttpServletResponse response = (HttpServletResponse) res;
      if (!"POST".equals(request.getMethod()) || !PATH.equals(request.getRequestURI())) {
        chain.doFilter(req, res);
        return;
      }
      Set<Role> roles = EnumSet.noneOf(Role.class);
      for (String code : request.getParameter("roles").split(",")) roles.add(Role.ofCode(code));
      VigilPrincipal operator = new VigilPrincipal(VigilPrincipal.Kind.OPERATOR, request.getParameter("username"),
          Role.permissionsOf(roles), clock.millis());
      request.getSession(true);
      SecurityContext context = SecurityContextHolder.createEmptyContext();
      context.setAuthentication(CallerAuthentication.authentication(operator));
      contexts.saveContext(context, request, response);
      CsrfToken token = csrfTokens.generateToken(request);
      csrfTokens.saveToken(token, request, response);
      response.setContentType("text/plain");
      response.getOutputStream().write(token.getToken().getBytes(StandardCharsets.UTF_8));
    };
    FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    registration.addUrlPatterns(PATH);
    return registration;
  }

  /** Signs an operator in on the server at base and returns its session. */
  public static OperatorSession signIn(String base, String username, String roles) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(base + PATH + "?username=" + username + "&roles=" + roles)).POST(
          HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow(() -> new IllegalStateException("no session: " + r.body()));
      return new OperatorSession(setCookie.substring(0, setCookie.indexOf(';')), r.body(), username);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
