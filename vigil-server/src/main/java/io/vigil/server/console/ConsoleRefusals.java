package io.vigil.server.console;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * How the security chain refuses a console page, as a browser expects rather than as the JSON API
 * does: a page without a session goes to the sign-in page (an htmx request is told to go there with
 * {@code HX-Redirect}); a page the operator's roles do not allow is answered 403 with the console's
 * refusal page, naming the permission it needs. Requests the console's scripts send to the API
 * ({@code /v1/...}) keep the API's JSON errors.
 */
public final class ConsoleRefusals {
  public static final String PREFIX = "/console";
  public static final String SIGN_IN = "/console/sign-in";
  /** The permission (or "operator") the refused page needs, for the refusal page. */
  static final String NEEDED_ATTRIBUTE = "io.vigil.console.needed";
  private static final String REFUSED = "/console/refused";

  private ConsoleRefusals() {}

  /** Whether this request is for a console page (the console's static assets are public, never refused). */
  public static boolean isConsolePage(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
  }

  /** No session: to the sign-in page. */
  public static void signInFirst(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (request.getHeader("HX-Request") != null) {
      response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
      response.setHeader("HX-Redirect", SIGN_IN);
      return;
    }
    response.sendRedirect(request.getContextPath() + SIGN_IN);
  }

  /** Signed in without the permission: the refusal page, 403. {@code needed} is a permission's code or "operator". */
  public static void refuse(HttpServletRequest request, HttpServletResponse response, String needed)
      throws IOException, ServletException {
    response.setStatus(HttpServletResponse.SC_FORBIDDEN);
    request.setAttribute(NEEDED_ATTRIBUTE, needed);
    request.getRequestDispatcher(REFUSED).forward(request, response);
  }
}
