package io.vigil.server.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * At most {@code requestsMax} requests in progress per client address, from the moment its
 * headers are read until its answer is complete (a decision body that is still arriving counts).
 * One more is answered {@code 429 client_busy} at once, its body unread and its connection closed.
 * The map holds only addresses with a request in progress, so its size is bounded by the open
 * connections. Behind a proxy that presents one address for every client, the address is the
 * client's only when the proxy's forwarded headers are trusted ({@code server.forward-headers-strategy}).
 */
public final class ClientLimit implements Filter {
  private final int requestsMax;
  private final ConcurrentHashMap<String, Integer> inProgress = new ConcurrentHashMap<>();
  private final Counter refused;

  public ClientLimit(int requestsMax, MeterRegistry registry) {
    this.requestsMax = requestsMax;
    this.refused = Counter.builder("vigil.http.client.rejected")
        .description("Requests refused with 429 because their client address had too many in progress").register(registry);
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String client = request.getRemoteAddr();
    if (!take(client)) {
      refused.increment();
      request.setAttribute(RequestLanes.REFUSED_ATTRIBUTE, Boolean.TRUE);
      ErrorReplies.writeAndClose((HttpServletResponse) response, new ApiException(429, "overloaded_error", "client_busy",
          "Too many requests from this client are in progress; nothing was stored. Retry shortly", null, 1));
      return;
    }
    Runnable release = once(() -> give(client));
    try {
      chain.doFilter(request, response);
    } finally {
      if (request.isAsyncStarted()) request.getAsyncContext().addListener(new ReleaseAtEnd(release));
      else release.run();
    }
  }

  private boolean take(String client) {
    AtomicBoolean taken = new AtomicBoolean();
    inProgress.compute(client, (key, count) -> {
      int now = count == null ? 0 : count;
      if (now >= requestsMax) return count;
      taken.set(true);
      return now + 1;
    });
    return taken.get();
  }

  private void give(String client) {
    inProgress.computeIfPresent(client, (key, count) -> count <= 1 ? null : count - 1);
  }

  private static Runnable once(Runnable action) {
    AtomicBoolean done = new AtomicBoolean();
    return () -> {
      if (done.compareAndSet(false, true)) action.run();
    };
  }

  /** Gives the place back when an asynchronous request ends, however it ends. */
  private record ReleaseAtEnd(Runnable release) implements AsyncListener {
    @Override
    public void onComplete(AsyncEvent event) {
      release.run();
    }

    @Override
    public void onTimeout(AsyncEvent event) {}

    @Override
    public void onError(AsyncEvent event) {}

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }
}
