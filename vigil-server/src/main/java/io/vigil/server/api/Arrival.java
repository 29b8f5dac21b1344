package io.vigil.server.api;

import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * When a request arrived: the {@link System#nanoTime()} at which the connector read its first
 * byte, stamped on the request before any filter runs. Admission by deadline counts a request's
 * wait from here, so the time spent reading its headers and body and waiting for a permit counts.
 * (A connection that waits for a free request thread before its first byte is read is not seen;
 * the bounded lanes keep that wait short.)
 */
public final class Arrival {
  static final String ATTRIBUTE = "io.vigil.arrivalNanos";

  private Arrival() {}

  /** The arrival stamp of {@code request}, or now when it has none. */
  public static long nanos(ServletRequest request) {
    return request.getAttribute(ATTRIBUTE) instanceof Long stamp ? stamp : System.nanoTime();
  }

  /** The Tomcat valve that stamps every request with the connector's own start time. */
  public static final class Stamp extends ValveBase {
    public Stamp() {
      super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
      long started = request.getCoyoteRequest().getStartTimeNanos();
      request.setAttribute(ATTRIBUTE, started != -1 ? started : System.nanoTime());
      getNext().invoke(request, response);
    }
  }
}
