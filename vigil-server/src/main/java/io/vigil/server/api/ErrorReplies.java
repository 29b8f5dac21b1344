package io.vigil.server.api;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes an {@link ApiException} as the API's JSON error straight to a response, for the filters
 * and valves that answer before any route runs. The connection is closed after the answer.
 */
final class ErrorReplies {
  private ErrorReplies() {}

  static void write(HttpServletResponse response, ApiException e) throws IOException {
    byte[] body = Json.write(ErrorHandler.body(e.type(), e.code(), e.getMessage(), e.param())).getBytes(StandardCharsets.UTF_8);
    response.setStatus(e.status());
    if (e.retryAfterSeconds() != null) response.setHeader("Retry-After", e.retryAfterSeconds().toString());
    response.setHeader("Connection", "close");
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    response.flushBuffer();
  }
}
