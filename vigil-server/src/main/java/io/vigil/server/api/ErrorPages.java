package io.vigil.server.api;

import io.vigil.server.logging.RedactedFailure;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Tomcat's error page ({@code /error}): the error a request meets outside Spring MVC's handlers (a
 * method Tomcat refuses, such as {@code TRACE}, or a failure in a servlet filter) in the API's error
 * shape, written as JSON whatever the {@code Accept} header says. It replaces Spring Boot's default
 * error page, which answers in another shape.
 */
@RestController
public class ErrorPages implements ErrorController {
  private static final Logger log = LoggerFactory.getLogger(ErrorPages.class);

  @RequestMapping("/error")
  public void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
    // The intake already answered a decision body whose connection then failed; the container reports the failure again.
    if (request.getAttribute(BodyPrefetch.ANSWERED_ATTRIBUTE) != null && response.isCommitted()) return;
    ApiException error = errorOf(request);
    ErrorReplies.write(response, error);
  }

  private static ApiException errorOf(HttpServletRequest request) {
    Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
    if (failure instanceof ApiException api) return api;
    if (failure instanceof InvalidParameterException bad) return FrameworkErrors.parameters(bad);
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    if (code == null && failure == null) return FrameworkErrors.forStatus(404); // /error asked for directly
    int status = code instanceof Integer i ? i : 500;
    if (status >= 500 && failure instanceof Throwable t) {
      log.error("unexpected error outside a route: {}", t.getClass().getName(), RedactedFailure.of(t));
    }
    return FrameworkErrors.refusedByTomcat(status, request.getMethod());
  }
}
