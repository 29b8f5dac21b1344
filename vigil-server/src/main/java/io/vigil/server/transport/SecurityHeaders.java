package io.vigil.server.transport;

import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * The security headers of every answer, set in one place: a valve on Tomcat's engine, so that it acts
 * before every filter and also covers the answers no route writes (a filter's 429 or 503, the error
 * page, Tomcat's own error report). Set before the request goes on, and set again afterwards on an
 * answer not yet sent, in case something reset the response.
 * <ul>
 *   <li>{@code Strict-Transport-Security} on answers over HTTPS only (a browser ignores it over HTTP);</li>
 *   <li>{@code Content-Security-Policy}: same-origin content only, never framed, no plugins, no {@code <base>};</li>
 *   <li>{@code X-Content-Type-Options: nosniff}, {@code Referrer-Policy: no-referrer}, {@code X-Frame-Options: DENY};</li>
 *   <li>{@code Cache-Control: no-store}: answers carry payment and account data that no cache may keep.</li>
 * </ul>
 */
public final class SecurityHeaders extends ValveBase {
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'self'";
  private final String strictTransportSecurity;

  /** {@code hstsMaxAgeSeconds} 0: no {@code Strict-Transport-Security} header. */
  public SecurityHeaders(long hstsMaxAgeSeconds, boolean hstsIncludeSubdomains) {
    super(true);
    this.strictTransportSecurity = hstsMaxAgeSeconds <= 0 ? null
        : "max-age=" + hstsMaxAgeSeconds + (hstsIncludeSubdomains ? "; includeSubDomains" : "");
  }

  @Override
  public void invoke(Request request, Response response) throws IOException, ServletException {
    apply(request, response);
    try {
      getNext().invoke(request, response);
    } finally {
      if (!response.isCommitted()) apply(request, response);
    }
  }

  private void apply(Request request, Response response) {
    if (strictTransportSecurity != null && request.isSecure()) {
      response.setHeader("Strict-Transport-Security", strictTransportSecurity);
    }
    response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("Cache-Control", "no-store");
  }
}
