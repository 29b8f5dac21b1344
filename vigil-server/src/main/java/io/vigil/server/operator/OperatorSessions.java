package io.vigil.server.operator;

import io.vigil.server.security.Permission;
import io.vigil.server.security.VigilPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;

/**
 * Operators' HTTP sessions: the half-finished sign-in ({@link PendingLogin}), the signed-in
 * operator saved as the session's authentication (with a new session id, against fixation), its
 * CSRF token, the step-up, and the idle and absolute expiry times the {@link SessionExpiry} filter
 * enforces on the server's clock.
 */
public final class OperatorSessions {
  public static final String SIGNED_IN_AT = "io.vigil.operator.signedInAtMillis";
  public static final String LAST_SEEN_AT = "io.vigil.operator.lastSeenAtMillis";
  public static final String USERNAME = "io.vigil.operator.username";
  private final SecurityContextRepository contexts;
  private final CsrfTokenRepository csrfTokens;
  private final OperatorProperties.Sessions settings;
  private final long stepUpMillis;
  private final Clock clock;

  public OperatorSessions(SecurityContextRepository contexts, CsrfTokenRepository csrfTokens, OperatorProperties.Sessions settings,
      long stepUpMillis, Clock clock) {
    this.contexts = contexts;
    this.csrfTokens = csrfTokens;
    this.settings = settings;
    this.stepUpMillis = stepUpMillis;
    this.clock = clock;
    if (stepUpMillis <= 0) throw new IllegalArgumentException("stepUpMillis must be positive");
  }

  /** Starts a sign-in in a new session (any earlier session of this client ends). */
  public void startPending(HttpServletRequest request, String username) {
    HttpSession old = request.getSession(false);
    if (old != null) old.invalidate();
    SecurityContextHolder.clearContext();
    HttpSession session = request.getSession(true);
    session.setMaxInactiveInterval((int) settings.loginTimeoutSeconds());
    session.setAttribute(PendingLogin.ATTRIBUTE, new PendingLogin(username, clock.millis()));
  }

  /** The sign-in in progress in this session; login_required when there is none or it is too old. */
  public PendingLogin pending(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (session == null || !(session.getAttribute(PendingLogin.ATTRIBUTE) instanceof PendingLogin p)) {
      throw OperatorErrors.loginRequired();
    }
    if (clock.millis() - p.startedAtMillis() > settings.loginTimeoutSeconds() * 1000) {
      session.invalidate();
      throw OperatorErrors.loginRequired();
    }
    return p;
  }

  /** Makes the session a signed-in operator's; what GET /v1/auth/session answers. */
  public Map<String, Object> signIn(HttpServletRequest request, HttpServletResponse response, Operator operator) {
    HttpSession session = request.getSession(false);
    if (session == null) throw OperatorErrors.loginRequired();
    session.removeAttribute(PendingLogin.ATTRIBUTE);
    request.changeSessionId();
    long now = clock.millis();
    session.setAttribute(USERNAME, operator.username());
    session.setAttribute(SessionExpiry.ROLES, OperatorRepository.rolesText(operator.roles()));
    session.setAttribute(SIGNED_IN_AT, now);
    session.setAttribute(LAST_SEEN_AT, now);
    session.setMaxInactiveInterval((int) settings.idleTimeoutSeconds());
    VigilPrincipal principal = new VigilPrincipal(VigilPrincipal.Kind.OPERATOR, operator.username(), operator.permissions(), 0);
    save(request, response, principal);
    CsrfToken token = csrfTokens.generateToken(request);
    csrfTokens.saveToken(token, request, response);
    return describe(request, principal, operator);
  }

  /** The operator after a fresh second factor: the step-up window opens now. */
  public VigilPrincipal stepUp(HttpServletRequest request, HttpServletResponse response, VigilPrincipal principal) {
    VigilPrincipal after = principal.steppedUpAt(clock.millis());
    save(request, response, after);
    request.setAttribute(VigilPrincipal.REQUEST_ATTRIBUTE, after);
    return after;
  }

  public void signOut(HttpServletRequest request, HttpServletResponse response) {
    SecurityContextHolder.clearContext();
    HttpSession session = request.getSession(false);
    if (session != null) session.invalidate();
  }

  /** The session's operator, permissions, CSRF token, step-up and expiry times. */
  public Map<String, Object> describe(HttpServletRequest request, VigilPrincipal principal, Operator operator) {
    HttpSession session = request.getSession(false);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "signed_in");
    m.put("operator", principal.id());
    m.put("display_name", operator.displayName());
    m.put("roles", operator.roles().stream().map(r -> r.code()).sorted().toList());
    m.put("permissions", principal.permissions().stream().map(Permission::code).sorted().toList());
    CsrfToken token = csrfTokens.loadToken(request);
    m.put("csrf_token", token == null ? null : token.getToken());
    m.put("step_up_until", principal.stepUpAtMillis() == 0 ? null : iso(principal.stepUpAtMillis() + stepUpMillis));
    if (session != null && session.getAttribute(SIGNED_IN_AT) instanceof Long signedIn
        && session.getAttribute(LAST_SEEN_AT) instanceof Long lastSeen) {
      m.put("signed_in_at", iso(signedIn));
      m.put("idle_expires_at", iso(lastSeen + settings.idleTimeoutSeconds() * 1000));
      m.put("absolute_expires_at", iso(signedIn + settings.absoluteTimeoutSeconds() * 1000));
    }
    return m;
  }

  private void save(HttpServletRequest request, HttpServletResponse response, VigilPrincipal principal) {
    List<SimpleGrantedAuthority> authorities = principal.permissions().stream().map(p -> new SimpleGrantedAuthority(p.code())).toList();
    SecurityContext context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(principal, null, authorities));
    SecurityContextHolder.setContext(context);
    contexts.saveContext(context, request, response);
  }

  private static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }
}
