package io.vigil.server.operator;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.ErrorReplies;
import io.vigil.server.security.RoutePermissions;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends operator sessions on the server's clock, ahead of the security chain: after
 * {@code idle-timeout-seconds} without a request, {@code absolute-timeout-seconds} after sign-in
 * whatever the activity, and at once when the account was disabled, locked or its roles changed
 * (its permissions would be stale). An ended session answers {@code 401 session_expired} on a route
 * that needs a caller; a public route (signing in again) goes on without it. The servlet container's
 * own idle timeout stays as a backstop.
 */
public final class SessionExpiry extends OncePerRequestFilter {
  private final OperatorRepository operators;
  private final OperatorProperties.Sessions settings;
  private final Clock clock;

  public SessionExpiry(OperatorRepository operators, OperatorProperties.Sessions settings, Clock clock) {
    this.operators = operators;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    HttpSession session = request.getSession(false);
    if (session == null || !(session.getAttribute(OperatorSessions.SIGNED_IN_AT) instanceof Long signedIn)
        || !(session.getAttribute(OperatorSessions.LAST_SEEN_AT) instanceof Long lastSeen)
        || !(session.getAttribute(OperatorSessions.USERNAME) instanceof String username)) {
      chain.doFilter(request, response);
      return;
    }
    long now = clock.millis();
    boolean expired = now - lastSeen >= settings.idleTimeoutSeconds() * 1000
        || now - signedIn >= settings.absoluteTimeoutSeconds() * 1000
        || !stillValid(username, session, now);
    if (!expired) {
      session.setAttribute(OperatorSessions.LAST_SEEN_AT, now);
      chain.doFilter(request, response);
      return;
    }
    session.invalidate();
    RoutePermissions.Access access = RoutePermissions.lookup(request.getMethod(),
        request.getRequestURI().substring(request.getContextPath().length()));
    if (access.kind() == RoutePermissions.Access.Kind.PUBLIC) {
      chain.doFilter(request, response);
      return;
    }
    ErrorReplies.write(response, ApiException.unauthenticated("session_expired",
        "The session ended (unused too long, too old, or the account changed); sign in again", null));
  }

  /** The account can still sign in and holds the roles the session was opened with. */
  private boolean stillValid(String username, HttpSession session, long now) {
    Optional<Operator> o = operators.find(username);
    if (o.isEmpty() || o.get().status() == Operator.Status.DISABLED || o.get().lockedAt(now)) return false;
    Object roles = session.getAttribute(ROLES);
    return roles == null || roles.equals(OperatorRepository.rolesText(o.get().roles()));
  }

  /** The session attribute holding the roles at sign-in (as stored), to notice a change. */
  public static final String ROLES = "io.vigil.operator.roles";
}
