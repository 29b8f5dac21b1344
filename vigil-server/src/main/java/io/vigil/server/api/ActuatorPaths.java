package io.vigil.server.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The health, metrics and info routes under {@code /actuator} answer a path they do not know with
 * the API's JSON error, like every other route. Spring Boot's actuator answers an unknown health
 * group with an empty 404, and fails on some odd names (a path segment of quotes and control
 * characters) instead of refusing them: a path outside plain names is refused here before it
 * reaches the actuator, and the actuator's own 404 goes to the error page ({@link ErrorPages}).
 */
public final class ActuatorPaths extends OncePerRequestFilter {
  /** {@code /actuator}, then names of letters, digits, {@code _} and {@code -} (as sent, before decoding). */
  private static final Pattern PLAIN_PATH = Pattern.compile("/actuator(/[A-Za-z0-9_-]{1,64}){0,4}/?");

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (!PLAIN_PATH.matcher(path).matches()) {
      ErrorReplies.write(response, FrameworkErrors.forStatus(404));
      return;
    }
    chain.doFilter(request, new HttpServletResponseWrapper(response) {
      @Override
      public void setStatus(int status) {
        if (status != HttpServletResponse.SC_NOT_FOUND || isCommitted()) {
          super.setStatus(status);
          return;
        }
        try {
          sendError(status);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    });
  }
}
