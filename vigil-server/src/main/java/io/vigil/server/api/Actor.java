package io.vigil.server.api;

import io.vigil.server.security.Principals;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Who makes a change, for the records and the audit trail: the authenticated caller's id (an
 * operator's username or an API key's id).
 */
public final class Actor {
  private Actor() {}

  public static String of(HttpServletRequest request) {
    return Principals.current(request).id();
  }
}
