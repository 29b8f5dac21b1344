package io.vigil.server.security;

import io.vigil.server.api.ApiException;
import io.vigil.server.api.BodyPrefetch;
import io.vigil.server.api.ErrorReplies;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

/**
 * Establishes who is calling, inside the security chain and ahead of CSRF and authorization. A
 * request with {@code Vigil-Key-Id} or {@code Vigil-Signature} is authenticated by its signature
 * alone (a session cookie on it is ignored); a decision body taken in ahead of the chain
 * ({@link BodyPrefetch}) is checked against its {@code Content-Digest} here. Any other request is
 * the operator of its session, if any. The principal is left as the security context's
 * authentication and as the request attribute {@link VigilPrincipal#REQUEST_ATTRIBUTE}; a later
 * dispatch of the same request (asynchronous, error page) finds it there and is not verified again
 * (a second verification would look like a replay).
 */
public final class CallerAuthentication implements Filter {
  private final RequestSignature signature;
  private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

  CallerAuthentication(RequestSignature signature) {
    this.signature = signature;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    if (request.getAttribute(VigilPrincipal.REQUEST_ATTRIBUTE) instanceof VigilPrincipal known) {
      if (!(contexts.getContext().getAuthentication() != null && contexts.getContext().getAuthentication().getPrincipal() == known)) {
        establish(known);
      }
      chain.doFilter(req, res);
      return;
    }
    if (!isOwnPass(request)) {
      // An error page (or include) for a request the container refused before any filter ran (a
      // TRACE, a bad header): its path is the error page's, so a signature cannot be checked, and it needs none.
      chain.doFilter(req, res);
      return;
    }
    String keyId = request.getHeader(RequestSignature.KEY_ID_HEADER);
    String signatureHeader = request.getHeader(RequestSignature.SIGNATURE_HEADER);
    if (keyId != null || signatureHeader != null) {
      try {
        VigilPrincipal principal = signature.verify(request.getMethod(), pathWithQuery(request), keyId, signatureHeader,
            request.getHeader(ContentDigest.HEADER), hasBody(request));
        request.setAttribute(RequestSignature.SIGNED_ATTRIBUTE, Boolean.TRUE);
        if (request.getAttribute(BodyPrefetch.BODY_ATTRIBUTE) instanceof byte[] body) ContentDigest.check(request, body);
        request.setAttribute(VigilPrincipal.REQUEST_ATTRIBUTE, principal);
        establish(principal);
      } catch (ApiException refused) {
        ErrorReplies.refuseBeforeRoute(request, (HttpServletResponse) res, refused);
        return;
      }
      chain.doFilter(req, res);
      return;
    }
    Authentication session = contexts.getContext().getAuthentication();
    if (session != null && session.isAuthenticated() && session.getPrincipal() instanceof VigilPrincipal operator) {
      request.setAttribute(VigilPrincipal.REQUEST_ATTRIBUTE, operator);
    }
    chain.doFilter(req, res);
  }

  /** The request's own pass (its first dispatch, or an asynchronous one), not an error page, include or forward. */
  static boolean isOwnPass(HttpServletRequest request) {
    DispatcherType type = request.getDispatcherType();
    return type == DispatcherType.REQUEST || type == DispatcherType.ASYNC;
  }

  private void establish(VigilPrincipal principal) {
    SecurityContext context = contexts.createEmptyContext();
    context.setAuthentication(authentication(principal));
    contexts.setContext(context);
  }

  /** The principal as the framework's authentication: its permissions as authorities. */
  public static Authentication authentication(VigilPrincipal principal) {
    List<GrantedAuthority> authorities = new ArrayList<>(principal.permissions().size());
    for (Permission p : principal.permissions()) authorities.add(new SimpleGrantedAuthority(p.code()));
    return UsernamePasswordAuthenticationToken.authenticated(principal, null, authorities);
  }

  /** The path and query exactly as sent (not decoded), as the client signed them. */
  static String pathWithQuery(HttpServletRequest request) {
    String query = request.getQueryString();
    return query == null ? request.getRequestURI() : request.getRequestURI() + "?" + query;
  }

  private static boolean hasBody(HttpServletRequest request) {
    return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
  }
}
