package io.vigil.server.api;

import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * The read deadlines of a request, counted from its first byte ({@link Arrival}). A request whose
 * request line and headers took longer than the header deadline is answered {@code 408
 * header_timeout} before any filter runs, and its connection is closed. Every other request is
 * stamped with the instants by which its body must have arrived, which {@link Bodies} and
 * {@link BodyPrefetch} enforce. Runs after {@link Arrival.Stamp}.
 */
public final class Deadlines extends ValveBase {
  private static final String BODY_ATTRIBUTE = "io.vigil.bodyDeadlineNanos";
  private static final String UPLOAD_ATTRIBUTE = "io.vigil.uploadDeadlineNanos";
  private final long headerDeadlineNanos;
  private final long bodyDeadlineNanos;
  private final long uploadDeadlineNanos;

  /**
   * @param headerDeadlineMillis time from the first byte to the end of the headers
   * @param bodyDeadlineMillis time from the first byte to the end of a JSON body
   * @param uploadDeadlineMillis the same for the large bodies (list imports, model files)
   */
  public Deadlines(long headerDeadlineMillis, long bodyDeadlineMillis, long uploadDeadlineMillis) {
    super(true);
    this.headerDeadlineNanos = TimeUnit.MILLISECONDS.toNanos(headerDeadlineMillis);
    this.bodyDeadlineNanos = TimeUnit.MILLISECONDS.toNanos(bodyDeadlineMillis);
    this.uploadDeadlineNanos = TimeUnit.MILLISECONDS.toNanos(uploadDeadlineMillis);
  }

  @Override
  public void invoke(Request request, Response response) throws IOException, ServletException {
    // An asynchronous dispatch runs the pipeline again: the request was checked and stamped on its way in.
    if (request.getAttribute(BODY_ATTRIBUTE) == null) {
      long arrived = Arrival.nanos(request);
      if (System.nanoTime() - arrived > headerDeadlineNanos) {
        request.setAttribute(RequestLanes.REFUSED_ATTRIBUTE, Boolean.TRUE); // no body is read after the 408
        ErrorReplies.writeAndClose(response, new ApiException(408, "invalid_request_error", "header_timeout",
            "The request line and headers did not arrive within " + TimeUnit.NANOSECONDS.toMillis(headerDeadlineNanos) + " ms",
            null));
        return;
      }
      request.setAttribute(BODY_ATTRIBUTE, arrived + bodyDeadlineNanos);
      request.setAttribute(UPLOAD_ATTRIBUTE, arrived + uploadDeadlineNanos);
    }
    getNext().invoke(request, response);
  }

  /** Nanoseconds left until the body of {@code request} must have arrived (not positive once past; unbounded when unstamped). */
  static long bodyNanosLeft(ServletRequest request, boolean upload) {
    Object deadline = request.getAttribute(upload ? UPLOAD_ATTRIBUTE : BODY_ATTRIBUTE);
    return deadline instanceof Long nanos ? nanos - System.nanoTime() : Long.MAX_VALUE;
  }

  /** The refusal of a body that did not arrive in time; the connection is closed after it. */
  static ApiException bodyTimeout() {
    return new ApiException(408, "invalid_request_error", "body_timeout",
        "The request body did not arrive in time; nothing was stored", null);
  }
}
