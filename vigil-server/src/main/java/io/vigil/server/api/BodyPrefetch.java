package io.vigil.server.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.engine.Limits;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Takes in the body of {@code POST /v1/decisions} with non-blocking reads before the request asks
 * for a place in the decision lane: while the body arrives the request holds neither a request
 * thread nor a lane place. Once the whole body is in, the request is dispatched again and goes on
 * through {@link RequestLanes} to the route, which finds the body read ({@link Bodies#read}). A
 * body still incomplete at its deadline ({@link Deadlines}) is answered {@code 408 body_timeout}, a
 * body over the size limit {@code 400 body_too_large}; both close the connection, and nothing is
 * decided or stored.
 *
 * <p>Most bodies arrive with their headers. What the connector has already buffered is read at once
 * (a read that cannot wait), and a body that is then whole goes on in the same dispatch: no
 * asynchronous intake, no second pass through the filters and the dispatcher (the second dispatch
 * was 13 % of the server's allocation under load, docs/performance.md#throughput-side-by-side).
 */
public final class BodyPrefetch implements Filter {
  public static final String BODY_ATTRIBUTE = "io.vigil.body";
  /** Set once the intake has answered the request itself (a refusal). */
  static final String ANSWERED_ATTRIBUTE = "io.vigil.bodyRefused";
  private static final int CHUNK_BYTES = 8_192;
  private static final byte[] EMPTY = new byte[0];
  private final Counter timedOut;

  public BodyPrefetch(MeterRegistry registry) {
    this.timedOut = Counter.builder("vigil.http.body.timeouts")
        .description("Decision requests refused because their body did not arrive within the body deadline").register(registry);
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    if (request.getDispatcherType() != DispatcherType.REQUEST || !RequestLanes.isDecision(http)
        || request.getContentLengthLong() > Limits.REQUEST_BODY_BYTES_MAX) {
      chain.doFilter(request, response); // an oversized body is refused by the route before it reads a byte
      return;
    }
    long nanosLeft = Deadlines.bodyNanosLeft(request, false);
    if (nanosLeft <= 0) {
      request.setAttribute(RequestLanes.REFUSED_ATTRIBUTE, Boolean.TRUE);
      timedOut.increment();
      ErrorReplies.writeAndClose((HttpServletResponse) response, Deadlines.bodyTimeout());
      return;
    }
    ServletInputStream in = request.getInputStream();
    long length = request.getContentLengthLong();
    byte[] arrived = EMPTY;
    if (length > 0 && in.available() > 0) {
      // Bytes are buffered, so one read does not wait: it returns what came with the headers.
      byte[] buffer = new byte[(int) length];
      int n = in.read(buffer, 0, buffer.length);
      arrived = n == buffer.length ? buffer : Arrays.copyOf(buffer, Math.max(0, n));
    }
    if (length >= 0 && arrived.length == length) {
      request.setAttribute(BODY_ATTRIBUTE, arrived);
      chain.doFilter(request, response);
      return;
    }
    AsyncContext async = request.startAsync();
    async.setTimeout(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(nanosLeft, TimeUnit.DAYS.toNanos(1)))));
    Intake intake = new Intake(async, in, (HttpServletResponse) response, arrived);
    async.addListener(intake);
    request.getInputStream().setReadListener(intake);
  }

  /** One body arriving: its bytes so far, and the one way it ends (read, refused, failed). */
  private final class Intake implements ReadListener, AsyncListener {
    private final AsyncContext async;
    private final ServletInputStream in;
    private final HttpServletResponse response;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final byte[] chunk = new byte[CHUNK_BYTES];
    private final AtomicBoolean ended = new AtomicBoolean();

    /** {@code arrived}: the body's first bytes, read before the intake began. */
    Intake(AsyncContext async, ServletInputStream in, HttpServletResponse response, byte[] arrived) {
      this.async = async;
      this.in = in;
      this.response = response;
      body.write(arrived, 0, arrived.length);
    }

    @Override
    public void onDataAvailable() throws IOException {
      while (!ended.get() && in.isReady()) {
        int n = in.read(chunk);
        if (n < 0) return; // onAllDataRead follows
        body.write(chunk, 0, n);
        if (body.size() > Limits.REQUEST_BODY_BYTES_MAX) {
          refuse(Bodies.tooLarge(Limits.REQUEST_BODY_BYTES_MAX));
          return;
        }
      }
    }

    @Override
    public void onAllDataRead() {
      if (!ended.compareAndSet(false, true)) return;
      async.getRequest().setAttribute(BODY_ATTRIBUTE, body.toByteArray());
      async.dispatch();
    }

    /**
     * The connection fell silent past the read timeout (a 408), or the body broke off or is
     * malformed, such as a bad chunk (a 400); answered if the client is still there to read it.
     */
    @Override
    public void onError(Throwable failure) {
      if (Bodies.causedByTimeout(failure)) timedOut.increment();
      try {
        refuse(Bodies.causedByTimeout(failure) ? Deadlines.bodyTimeout() : FrameworkErrors.forStatus(400));
      } catch (IOException gone) {
        // The client went away: there is no one to answer.
      }
    }

    @Override
    public void onTimeout(AsyncEvent event) throws IOException {
      if (ended.get()) return;
      timedOut.increment();
      refuse(Deadlines.bodyTimeout());
    }

    private void refuse(ApiException e) throws IOException {
      if (!ended.compareAndSet(false, true)) return;
      // Non-blocking: after the answer the connector drains only what has already arrived, then closes.
      async.getRequest().setAttribute(ANSWERED_ATTRIBUTE, Boolean.TRUE);
      try {
        ErrorReplies.writeAndClose(response, e);
      } finally {
        async.complete();
      }
    }

    @Override
    public void onComplete(AsyncEvent event) {}

    @Override
    public void onError(AsyncEvent event) {
      if (ended.compareAndSet(false, true)) async.complete();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }
}
