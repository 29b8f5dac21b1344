package io.vigil.testing;

import io.vigil.server.security.CallerAuthentication;
import io.vigil.server.security.Role;
import io.vigil.server.security.VigilPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A stand-in for operator sign-in, for the security core's own tests only (imported by the test
 * classes that need it, never by the shared servers; outside {@code io.vigil.server}, so no
 * component scan finds it): {@code POST /v1/test/operator-session}
 * {@code {username, roles, step_up_age_seconds}} saves a signed-in operator in a new session, the
 * way the real sign-in does (the {@link SecurityContextRepository} and {@link CsrfTokenRepository}
 * beans), and answers the session's CSRF token. The request itself is signed with the test key.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestOperatorLogin {
  /** Registered as a member class of the imported configuration. */
  @RestController
  public static class Login {
    private final SecurityContextRepository contexts;
    private final CsrfTokenRepository csrfTokens;
    private final Clock clock;

    public Login(SecurityContextRepository contexts, CsrfTokenRepository csrfTokens, Clock clock) {
      this.contexts = contexts;
      this.csrfTokens = csrfTokens;
      this.clock = clock;
    }

    @PostMapping("/v1/test/operator-session")
    public Map<String, Object> login(@RequestBody Map<String, Object> body, HttpServletRequest request, HttpServletResponse response) {
      EnumSet<Role> roles = EnumSet.noneOf(Role.class);
      for (Object code : (List<?>) body.get("roles")) roles.add(Role.ofCode((String) code));
      Number age = (Number) body.get("step_up_age_seconds");
      long stepUpAt = age == null ? 0 : clock.millis() - age.longValue() * 1000;
      VigilPrincipal operator = new VigilPrincipal(VigilPrincipal.Kind.OPERATOR, (String) body.get("username"),
          Role.permissionsOf(roles), stepUpAt);
      request.getSession(true);
      SecurityContext context = SecurityContextHolder.createEmptyContext();
      context.setAuthentication(CallerAuthentication.authentication(operator));
      contexts.saveContext(context, request, response);
      CsrfToken token = csrfTokens.generateToken(request);
      csrfTokens.saveToken(token, request, response);
      return Map.of("csrf_token", token.getToken());
    }
  }
}
