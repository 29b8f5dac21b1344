package io.vigil.server.transport;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** The server would serve plain HTTP on an address other hosts can reach ({@link BindCheck}). */
public final class PlainHttpRefused extends IllegalStateException {
  static final String ACTION = "Turn TLS on (server.ssl.bundle with a certificate, see docs/operations.md), or bind "
      + "127.0.0.1 (the default: remove server.address) behind a TLS proxy on this host, or, only when a proxy in front "
      + "terminates TLS on a private network, set vigil.http.allow-plain-http-on-public-address=true.";

  PlainHttpRefused(String what) {
    super(what + ": other hosts could read API request signatures, session cookies and payment data on the wire, "
        + "so Vigil does not start. " + ACTION);
  }

  /** Says so in Spring Boot's "APPLICATION FAILED TO START" report instead of a stack trace. */
  public static final class Analyzer extends AbstractFailureAnalyzer<PlainHttpRefused> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PlainHttpRefused cause) {
      return new FailureAnalysis(cause.getMessage(), ACTION, cause);
    }
  }
}
