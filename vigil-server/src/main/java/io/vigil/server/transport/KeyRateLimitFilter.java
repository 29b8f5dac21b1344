package io.vigil.server.transport;

import io.vigil.server.security.VigilPrincipal;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The per-key budget, after the security chain: a request the chain authenticated as an API key takes
 * one request from that key's bucket, or is refused. Operators (sessions) have no per-principal bucket.
 * Runs once per request (not again on its later asynchronous dispatches).
 */
final class KeyRateLimitFilter implements Filter {
  private static final String SEEN_ATTRIBUTE = "io.vigil.rateLimits.key";
  private final RateLimits limits;

  KeyRateLimitFilter(RateLimits limits) {
    this.limits = limits;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request.getAttribute(SEEN_ATTRIBUTE) == null
        && request.getAttribute(VigilPrincipal.REQUEST_ATTRIBUTE) instanceof VigilPrincipal principal
        && principal.kind() == VigilPrincipal.Kind.API_KEY) {
      request.setAttribute(SEEN_ATTRIBUTE, Boolean.TRUE);
      long wait = limits.perKey.take(principal.id());
      if (wait > 0) {
        limits.refuseKey((HttpServletResponse) response, wait);
        return;
      }
    }
    chain.doFilter(request, response);
  }
}
