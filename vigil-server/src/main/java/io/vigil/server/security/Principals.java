package io.vigil.server.security;

import io.vigil.server.api.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Who is calling: the principal the security chain authenticated for this request. */
public final class Principals {
  private Principals() {}

  /** The authenticated principal; the 401 {@code authentication_required} when there is none. */
  public static VigilPrincipal current(HttpServletRequest request) {
    return find(request).orElseThrow(Principals::required);
  }

  /** The authenticated principal, if any. */
  public static Optional<VigilPrincipal> find(HttpServletRequest request) {
    if (request.getAttribute(VigilPrincipal.REQUEST_ATTRIBUTE) instanceof VigilPrincipal p) return Optional.of(p);
    Authentication a = SecurityContextHolder.getContext().getAuthentication();
    if (a != null && a.isAuthenticated() && a.getPrincipal() instanceof VigilPrincipal p) return Optional.of(p);
    return Optional.empty();
  }

  public static ApiException required() {
    return ApiException.unauthenticated("authentication_required",
        "Sign the request with an API key (Vigil-Key-Id, Vigil-Signature) or sign in as an operator", null);
  }
}
