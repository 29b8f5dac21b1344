package io.vigil.server.operator;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.ErrorReplies;
import io.vigil.server.api.Json;
import io.vigil.server.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

/**
 * The end of a single sign-on: the provider's user becomes a Vigil operator (username from the
 * configured claim, roles from its groups) and the session a signed-in operator's, answered as
 * {@code GET /v1/auth/session} answers. A user whose groups give no role is refused
 * ({@code 403 sso_no_role}), as is a username Vigil cannot take ({@code 403 sso_username_invalid}).
 */
public final class SsoSignIn implements AuthenticationSuccessHandler, AuthenticationFailureHandler {
  /**
   * Set in the session by the console's single sign-on button: the sign-on then ends on the console
   * (or back on its sign-in page with {@code sso_error}) instead of with the API's JSON answer.
   */
  public static final String CONSOLE_ATTRIBUTE = "io.vigil.sso.fromConsole";
  private static final String CONSOLE_HOME = "/console";
  private static final String CONSOLE_SIGN_IN = "/console/sign-in";
  private final OperatorService operators;
  private final OperatorSessions sessions;
  private final OperatorProperties.Sso settings;

  public SsoSignIn(OperatorService operators, OperatorSessions sessions, OperatorProperties.Sso settings) {
    this.operators = operators;
    this.sessions = sessions;
    this.settings = settings;
  }

  @Override
  public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response, Authentication authentication)
      throws IOException {
    try {
      if (!(authentication.getPrincipal() instanceof OidcUser user)) throw ApiException.unauthenticated("sso_failed", "The provider gave no OpenID user", null);
      String username = user.getClaimAsString(settings.usernameClaim());
      username = username == null ? "" : username.toLowerCase(Locale.ROOT);
      if (!OperatorService.USERNAME.matcher(username).matches()) {
        throw ApiException.forbidden("sso_username_invalid", "The provider's " + settings.usernameClaim() + " is not a username Vigil accepts",
            null);
      }
      Set<Role> roles = roles(user.getClaimAsStringList(settings.groupsClaim()));
      if (roles.isEmpty()) throw ApiException.forbidden("sso_no_role", "None of this user's groups at the provider gives a Vigil role", null);
      Operator o = operators.ssoAccount(username, user.getFullName(), roles);
      boolean fromConsole = startedFromConsole(request);
      Map<String, Object> session = sessions.signIn(request, response, operators.signedIn(o.username()));
      if (fromConsole) {
        response.sendRedirect(request.getContextPath() + CONSOLE_HOME);
        return;
      }
      byte[] body = Json.write(session).getBytes(StandardCharsets.UTF_8);
      response.setStatus(200);
      response.setContentType("application/json");
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
    } catch (ApiException e) {
      boolean fromConsole = startedFromConsole(request);
      sessions.signOut(request, response);
      if (fromConsole) {
        response.sendRedirect(request.getContextPath() + CONSOLE_SIGN_IN + "?sso_error=" + e.code());
        return;
      }
      ErrorReplies.write(response, e);
    }
  }

  /** Whether the console's sign-in page started this sign-on (then it answers with a redirect to the console). */
  private static boolean startedFromConsole(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    return session != null && Boolean.TRUE.equals(session.getAttribute(CONSOLE_ATTRIBUTE));
  }

  @Override
  public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
      throws IOException {
    boolean fromConsole = startedFromConsole(request);
    HttpSession session = request.getSession(false);
    if (session != null) session.invalidate();
    if (fromConsole) {
      response.sendRedirect(request.getContextPath() + CONSOLE_SIGN_IN + "?sso_error=sso_failed");
      return;
    }
    ErrorReplies.write(response, new ApiException(401, "authentication_error", "sso_failed",
        "The single sign-on did not complete; start again at /v1/auth/sso/authorization/vigil", null));
  }

  /** The roles the groups give through vigil.operators.sso.group-roles. */
  Set<Role> roles(List<String> groups) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    if (groups == null) return roles;
    for (String group : groups) {
      for (String code : settings.groupRoles().getOrDefault(group, List.of())) {
        Role r = Role.ofCode(code.strip());
        if (r != null) roles.add(r);
      }
    }
    return roles;
  }
}
