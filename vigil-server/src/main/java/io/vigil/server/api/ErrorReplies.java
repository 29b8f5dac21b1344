package io.vigil.server.api;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes an {@link ApiException} as the API's JSON error straight to a response, whatever the
 * {@code Accept} header says: for the error page, and for the filters and valves that answer
 * before any route runs.
 */
public final class ErrorReplies {
  private ErrorReplies() {}

  /** The error object as JSON text. */
  static String json(ApiException e) {
    return Json.write(ErrorHandler.body(e.type(), e.code(), e.getMessage(), e.param()));
  }

  /** The error as the answer; the connection stays open. */
  public static void write(HttpServletResponse response, ApiException e) throws IOException {
    String body = json(e);
    response.setStatus(e.status());
    if (e.retryAfterSeconds() != null) response.setHeader("Retry-After", e.retryAfterSeconds().toString());
    response.setContentType("application/json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setContentLength(body.getBytes(StandardCharsets.UTF_8).length);
    response.getWriter().write(body);
  }

  /**
   * A refusal before the route ran (authentication, permission): when a body is declared and not
   * read yet, the connection is closed after the answer instead of reading the rest of the body, so
   * a refused client cannot hold a thread by sending its body slowly.
   */
  public static void refuseBeforeRoute(HttpServletRequest request, HttpServletResponse response, ApiException e) throws IOException {
    request.setAttribute(ApiException.CODE_ATTRIBUTE, e.code()); // for the audit trail
    boolean unreadBody = request.getDispatcherType() == DispatcherType.REQUEST
        && (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null);
    if (!unreadBody) {
      write(response, e);
      return;
    }
    request.setAttribute(RequestLanes.REFUSED_ATTRIBUTE, Boolean.TRUE);
    writeAndClose(response, e);
  }

  /** The error as the answer, sent at once; the connection is closed after it (the body is not read). */
  static void writeAndClose(HttpServletResponse response, ApiException e) throws IOException {
    response.setHeader("Connection", "close");
    write(response, e);
    response.flushBuffer();
  }
}
