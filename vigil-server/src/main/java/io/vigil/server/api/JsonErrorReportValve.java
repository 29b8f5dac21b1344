package io.vigil.server.api;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's last word on a request nothing else answered, in the API's error shape instead of its HTML
 * page: a request line or path Tomcat refuses before any servlet runs (an encoded slash, a NUL, a bad
 * percent-encoding, {@code CONNECT}), or a status no one wrote a body for. Never a stack trace, never
 * the request's values, and a 5xx only when the server failed: a method Tomcat does not implement is
 * the client's {@code 405}.
 */
public final class JsonErrorReportValve extends ErrorReportValve {
  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) return;
    AtomicBoolean ioAllowed = new AtomicBoolean(false);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) return;
    ApiException error = FrameworkErrors.refusedByTomcat(status, request.getMethod());
    try {
      response.setStatus(error.status());
      response.setContentType("application/json");
      response.setCharacterEncoding(StandardCharsets.UTF_8.name());
      Writer writer = response.getReporter();
      if (writer == null) return;
      writer.write(ErrorReplies.json(error));
      response.finishResponse();
    } catch (IOException | IllegalStateException e) {
      // The connection is gone or the response was committed meanwhile: nothing more to say.
    }
  }
}
