package io.vigil.server.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * Bounded HTTP concurrency in two lanes. {@code POST /v1/decisions} takes a permit from the
 * decision lane, every other request (except {@code /actuator}) from the smaller administrative
 * lane, before anything reads its body. A request that cannot get a permit within the permit wait
 * is answered {@code 503 overloaded} with {@code Retry-After} at once, and nothing is stored.
 * So the excess is shed instead of queueing in front of the pipeline, and administrative requests,
 * however large or slow, hold at most their own lane's threads and never the ones decisions need.
 * A decision request comes here only once {@link BodyPrefetch} has its whole body, on its
 * asynchronous dispatch, so a body that trickles in never holds a decision place.
 */
public final class RequestLanes implements Filter {
  public static final String DECISIONS_PATH = "/v1/decisions";
  /** Set on a request this filter refused, for {@link DropRefusedBody}. */
  static final String REFUSED_ATTRIBUTE = "io.vigil.refused";
  private static final String ACTUATOR_PATH = "/actuator";

  /** One lane: its permits and what it answers when they are all taken. */
  private record Lane(Semaphore permits, Counter refused, ApiException refusal) {}

  private final Lane decisions;
  private final Lane admin;
  private final long permitWaitNanos;

  /**
   * @param decisionRefusal the 503 a decision request gets when its lane is full (with the fallback advice)
   */
  public RequestLanes(int decisionPermits, int adminPermits, long permitWaitMillis, ApiException decisionRefusal,
      MeterRegistry registry) {
    this.permitWaitNanos = TimeUnit.MILLISECONDS.toNanos(permitWaitMillis);
    this.decisions = lane("decisions", decisionPermits, decisionRefusal, registry);
    this.admin = lane("admin", adminPermits, ApiException.unavailable("overloaded",
        "Too many administrative requests are in progress; nothing was changed. Retry shortly"), registry);
  }

  /** The refusal of a decision request that found its lane full, before the fallback advice is added. */
  public static ApiException decisionsBusy() {
    return ApiException.unavailable("overloaded", "Too many decisions are in progress; nothing was stored. Retry shortly");
  }

  private static Lane lane(String name, int permits, ApiException refusal, MeterRegistry registry) {
    Semaphore semaphore = new Semaphore(permits, true);
    Gauge.builder("vigil.http.in.flight", semaphore, s -> permits - s.availablePermits()).tag("lane", name)
        .description("Requests holding a permit of the lane").register(registry);
    Counter refused = Counter.builder("vigil.http.rejected").tag("lane", name)
        .description("Requests refused with 503 because every permit of the lane was taken").register(registry);
    return new Lane(semaphore, refused, refusal);
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    Lane lane = laneOf((HttpServletRequest) request);
    if (lane == null || !firstPass(request)) {
      chain.doFilter(request, response);
      return;
    }
    if (!acquire(lane.permits())) {
      lane.refused().increment();
      // A decision body taken in already has nothing left to drop (and dropping it would mark the request failed).
      if (request.getDispatcherType() == DispatcherType.REQUEST) request.setAttribute(REFUSED_ATTRIBUTE, Boolean.TRUE);
      ErrorReplies.writeAndClose((HttpServletResponse) response, lane.refusal());
      return;
    }
    try {
      chain.doFilter(request, response);
    } finally {
      lane.permits().release();
    }
  }

  /** The lane of a request, or null for the actuator (health probes and metrics are never refused here). */
  private Lane laneOf(HttpServletRequest request) {
    String path = request.getRequestURI();
    if (path.equals(ACTUATOR_PATH) || path.startsWith(ACTUATOR_PATH + "/")) return null;
    return isDecision(request) ? decisions : admin;
  }

  public static boolean isDecision(HttpServletRequest request) {
    return "POST".equals(request.getMethod()) && request.getRequestURI().equals(DECISIONS_PATH);
  }

  /** The request's own pass: its first dispatch, or the dispatch after its body was taken in; not an error page. */
  private static boolean firstPass(ServletRequest request) {
    return switch (request.getDispatcherType()) {
      case REQUEST -> true;
      case ASYNC -> request.getAttribute(BodyPrefetch.BODY_ATTRIBUTE) != null;
      default -> false;
    };
  }

  private boolean acquire(Semaphore permits) {
    try {
      return permits.tryAcquire(permitWaitNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * After a refusal the connector would read the rest of the request body to keep the connection
   * open: for a large or slow upload that holds a request thread for as long as the client likes.
   * This valve tells it not to; the connection is closed after the 503 instead. It belongs on the
   * engine, so that it runs after the request, error handling included, is complete.
   */
  public static final class DropRefusedBody extends ValveBase {
    public DropRefusedBody() {
      super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
      getNext().invoke(request, response);
      if (request.getAttribute(REFUSED_ATTRIBUTE) != null) {
        request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
      }
    }
  }
}
