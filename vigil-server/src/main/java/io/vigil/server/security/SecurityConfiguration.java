package io.vigil.server.security;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.ErrorReplies;
import io.vigil.server.config.VigilProperties;
import io.vigil.server.console.ConsoleRefusals;
import io.vigil.server.operator.SsoConfiguration;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.savedrequest.NullRequestCache;

/**
 * The one security filter chain. Every request is looked up in {@link RoutePermissions}: public
 * routes pass, every other needs a caller ({@code 401 authentication_required} without one) that holds
 * the route's permission ({@code 403 permission_denied}). Callers are payment systems signing each
 * request with an API key ({@link RequestSignature}) or operators with a session (cookie
 * {@code VIGIL_SESSION}, see application.properties); a session-authenticated request that changes
 * something must carry {@code X-CSRF-Token}. No form login, HTTP basic, default logout or response
 * headers of the framework: operator sign-in has routes of its own, and the headers are set elsewhere.
 * The chain runs on every dispatch (asynchronous ones included: a decision reaches it once its body
 * is in), and authenticates a request once ({@link CallerAuthentication}).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties(SecuritySettings.class)
public class SecurityConfiguration {
  /** The header a session-authenticated request that changes something carries its CSRF token in. */
  public static final String CSRF_HEADER = "X-CSRF-Token";
  /** Set by the authorization on a refused request: the permission it lacked, for the 403's param. */
  static final String NEEDED_ATTRIBUTE = "io.vigil.neededPermission";
  /** The value of {@link #NEEDED_ATTRIBUTE} when a route is a signed-in operator's own (not a key's). */
  private static final String OPERATOR_NEEDED = "operator";
  private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");

  @Bean
  public SecretBox secretBox(VigilProperties p, SecuritySettings s) {
    Path file = s.secretsKeysetFile().isEmpty() ? Path.of(p.dataDir(), "keys", "secrets.keyset.json") : Path.of(s.secretsKeysetFile());
    return SecretBox.open(file);
  }

  @Bean
  public ApiKeyStore apiKeyStore(HikariDataSource ds) {
    return new ApiKeyStore(ds);
  }

  @Bean(destroyMethod = "close")
  public ApiKeys apiKeys(ApiKeyStore store, SecretBox box, Clock clock, VigilProperties p, SecuritySettings s) {
    ApiKeys keys = new ApiKeys(store, box, clock);
    keys.reload();
    DemoKey.ensure(keys, s.demoApiKey(), Path.of(p.dataDir()));
    keys.refreshEvery(s.keyRefreshSeconds());
    return keys;
  }

  @Bean
  public ReplayGuard replayGuard(SecuritySettings s) {
    return new ReplayGuard(s.signatureToleranceSeconds(), s.replayEntriesMax());
  }

  @Bean
  public RequestSignature requestSignature(ApiKeys keys, ReplayGuard replays, Clock clock, SecuritySettings s) {
    return new RequestSignature(keys, replays, clock, s.signatureToleranceSeconds());
  }

  /** Where an operator's authentication lives between requests: the HTTP session. Login code saves to it. */
  @Bean
  public SecurityContextRepository securityContextRepository() {
    HttpSessionSecurityContextRepository repository = new HttpSessionSecurityContextRepository();
    repository.setDisableUrlRewriting(true);
    return repository;
  }

  /** The session's CSRF token, sent back in header {@value #CSRF_HEADER}. */
  @Bean
  public CsrfTokenRepository csrfTokenRepository() {
    HttpSessionCsrfTokenRepository repository = new HttpSessionCsrfTokenRepository();
    repository.setHeaderName(CSRF_HEADER);
    return repository;
  }

  /**
   * The framework's firewall checks the path (traversal, encoded slashes, odd methods); header and
   * parameter names and values are left to the connector and the API's own checks, which answer
   * them with the API's errors (the firewall would throw from inside a route).
   */
  @Bean
  public HttpFirewall httpFirewall() {
    StrictHttpFirewall firewall = new StrictHttpFirewall();
    firewall.setAllowedHeaderNames(name -> true);
    firewall.setAllowedHeaderValues(value -> true);
    firewall.setAllowedParameterNames(name -> true);
    firewall.setAllowedParameterValues(value -> true);
    // Methods are the routes' business: an unknown one is 405 (or 404) in the API's error shape.
    firewall.setUnsafeAllowAnyHttpMethod(true);
    return firewall;
  }

  /** A request the framework's firewall refuses (encoded slashes, path traversal...) gets the API's 400. */
  @Bean
  public RequestRejectedHandler requestRejectedHandler() {
    return (request, response, rejected) -> ErrorReplies.write(response,
        ApiException.invalid("malformed_request", "The request path is not acceptable", null));
  }

  @Bean
  public SecurityFilterChain securityFilterChain(HttpSecurity http, RequestSignature signature,
      SecurityContextRepository contexts, CsrfTokenRepository csrfTokens, ObjectProvider<SsoConfiguration.SsoLogin> sso,
      Environment environment) throws Exception {
    int managementPort = environment.getProperty("management.server.port", Integer.class, -1);
    http
        .formLogin(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .headers(AbstractHttpConfigurer::disable)
        .requestCache(c -> c.requestCache(new NullRequestCache()))
        .securityContext(c -> c.securityContextRepository(contexts))
        .csrf(c -> c.csrfTokenRepository(csrfTokens)
            .csrfTokenRequestHandler(new HeaderOnlyCsrfHandler())
            .requireCsrfProtectionMatcher(SecurityConfiguration::needsCsrfToken))
        .addFilterBefore(new CallerAuthentication(signature), CsrfFilter.class)
        .authorizeHttpRequests(a -> a.anyRequest().access(new RouteAuthorization(managementPort)))
        .exceptionHandling(e -> e
            .authenticationEntryPoint(SecurityConfiguration::unauthenticated)
            .accessDeniedHandler(SecurityConfiguration::refused));
    // Operators' single sign-on (OpenID Connect), when configured (operator/SsoConfiguration).
    SsoConfiguration.SsoLogin ssoLogin = sso.getIfAvailable();
    if (ssoLogin != null) http.oauth2Login(ssoLogin::configure);
    return http.build();
  }

  /** A state-changing request authenticated by a session (not by a signature, not anonymous). */
  static boolean needsCsrfToken(HttpServletRequest request) {
    return STATE_CHANGING.contains(request.getMethod())
        && request.getAttribute(VigilPrincipal.REQUEST_ATTRIBUTE) instanceof VigilPrincipal p
        && p.kind() == VigilPrincipal.Kind.OPERATOR
        && request.getAttribute(RequestSignature.SIGNED_ATTRIBUTE) == null;
  }

  /** No caller: the API's 401, or for a console page the sign-in page. */
  private static void unauthenticated(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
      throws IOException {
    if (ConsoleRefusals.isConsolePage(request)) {
      ConsoleRefusals.signInFirst(request, response);
      return;
    }
    ErrorReplies.refuseBeforeRoute(request, response, Principals.required());
  }

  /** A caller without what the route needs: the API's 403, or for a console page the console's refusal page. */
  private static void refused(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
      throws IOException, ServletException {
    if (ConsoleRefusals.isConsolePage(request) && !(denied instanceof CsrfException)) {
      Object needed = request.getAttribute(NEEDED_ATTRIBUTE);
      ConsoleRefusals.refuse(request, response, needed instanceof Permission p ? p.code() : OPERATOR_NEEDED);
      return;
    }
    ErrorReplies.refuseBeforeRoute(request, response, denial(request, denied));
  }

  private static ApiException denial(HttpServletRequest request, Exception denied) {
    if (denied instanceof CsrfException) {
      return ApiException.forbidden("csrf_invalid", "A signed-in operator's change needs the session's token in header "
          + CSRF_HEADER, CSRF_HEADER);
    }
    Object needed = request.getAttribute(NEEDED_ATTRIBUTE);
    if (OPERATOR_NEEDED.equals(needed)) {
      return ApiException.forbidden("operator_required", "Only a signed-in operator has a session", null);
    }
    String code = needed instanceof Permission p ? p.code() : null;
    return ApiException.forbidden("permission_denied",
        code == null ? "You may not do this" : "This needs the permission " + code, code);
  }

  /** Grants a request when its caller holds what its route needs ({@link RoutePermissions}). */
  static final class RouteAuthorization implements AuthorizationManager<RequestAuthorizationContext> {
    private static final AuthorizationDecision GRANTED = new AuthorizationDecision(true);
    private static final AuthorizationDecision DENIED = new AuthorizationDecision(false);
    /** A separate management port (health, metrics) for a local scraper: its actuator routes need no caller. -1: none. */
    private final int managementPort;

    RouteAuthorization(int managementPort) {
      this.managementPort = managementPort;
    }

    @Override
    public AuthorizationResult authorize(Supplier<? extends Authentication> authentication, RequestAuthorizationContext context) {
      HttpServletRequest request = context.getRequest();
      // An error page (or an include, a forward) is the server's own dispatch of a request that was
      // authorized, or refused, on its own pass.
      if (!CallerAuthentication.isOwnPass(request)) return GRANTED;
      String path = request.getRequestURI().substring(request.getContextPath().length());
      if (managementPort > 0 && request.getLocalPort() == managementPort && path.startsWith("/actuator")) return GRANTED;
      RoutePermissions.Access access = RoutePermissions.lookup(request.getMethod(), path);
      if (access.kind() == RoutePermissions.Access.Kind.PUBLIC) return GRANTED;
      if (!(request.getAttribute(VigilPrincipal.REQUEST_ATTRIBUTE) instanceof VigilPrincipal principal)) return DENIED;
      // A session route, and any console path (listed or not), is for operators only, whatever an API key's scopes grant.
      boolean operatorsOnly = access.kind() == RoutePermissions.Access.Kind.OPERATOR || ConsoleRefusals.isConsolePage(request);
      if (operatorsOnly && !principal.isOperator()) {
        request.setAttribute(NEEDED_ATTRIBUTE, OPERATOR_NEEDED);
        return DENIED;
      }
      if (access.kind() == RoutePermissions.Access.Kind.AUTHENTICATED) return GRANTED;
      if (access.kind() == RoutePermissions.Access.Kind.OPERATOR) return GRANTED;
      if (principal.has(access.permission())) return GRANTED;
      request.setAttribute(NEEDED_ATTRIBUTE, access.permission());
      return DENIED;
    }
  }

  /** The token is read from the header only, never from a request parameter (which would read a form body). */
  private static final class HeaderOnlyCsrfHandler implements CsrfTokenRequestHandler {
    private final CsrfTokenRequestAttributeHandler plain = new CsrfTokenRequestAttributeHandler();

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Supplier<CsrfToken> token) {
      plain.handle(request, response, token);
    }

    @Override
    public String resolveCsrfTokenValue(HttpServletRequest request, CsrfToken token) {
      return request.getHeader(token.getHeaderName());
    }
  }
}
