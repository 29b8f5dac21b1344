package io.vigil.server.transport;

import io.vigil.server.security.VigilPrincipal;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;

/**
 * The per-address budgets, ahead of the security chain. A request that ends without an authenticated
 * caller (no credentials on a public route, or credentials the chain refused) costs its address one
 * request afterwards; a request the chain authenticated costs nothing here, so a payment gateway that
 * signs thousands of requests a second from one address never spends this budget. Once an address
 * has spent it, every request from it is refused until the bucket refills, whatever it carries.
 * Sign-in attempts each cost one request of the tighter sign-in budget up front, whatever their outcome.
 * Runs once per request (not again on its later asynchronous dispatches).
 */
final class AddressRateLimitFilter implements Filter {
  static final Set<String> SIGN_IN_PATHS = Set.of(
      "/v1/auth/login", "/v1/auth/login/totp", "/v1/auth/login/recovery-code", "/v1/auth/step-up");
  private static final String SEEN_ATTRIBUTE = "io.vigil.rateLimits.address";
  private final RateLimits limits;

  AddressRateLimitFilter(RateLimits limits) {
    this.limits = limits;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request.getAttribute(SEEN_ATTRIBUTE) != null) {
      chain.doFilter(request, response);
      return;
    }
    request.setAttribute(SEEN_ATTRIBUTE, Boolean.TRUE);
    HttpServletRequest http = (HttpServletRequest) request;
    String address = ClientAddresses.key(request.getRemoteAddr());
    long wait = limits.perAddress.waitIfSpent(address);
    if (wait > 0) {
      limits.refuseAddress((HttpServletResponse) response, wait);
      return;
    }
    if (isSignIn(http)) {
      wait = limits.signInPerAddress.take(address);
      if (wait > 0) {
        limits.refuseSignIn((HttpServletResponse) response, wait);
        return;
      }
    }
    try {
      chain.doFilter(request, response);
    } finally {
      if (request.getAttribute(VigilPrincipal.REQUEST_ATTRIBUTE) == null) limits.perAddress.spend(address);
    }
  }

  /** A sign-in attempt, by its path as the container mapped it (decoded, without path parameters). */
  static boolean isSignIn(HttpServletRequest request) {
    if (!"POST".equals(request.getMethod())) return false;
    String path = request.getServletPath();
    if (request.getPathInfo() != null) path = path + request.getPathInfo();
    return SIGN_IN_PATHS.contains(path);
  }
}
