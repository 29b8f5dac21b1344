package io.vigil.server.api;

import jakarta.servlet.http.HttpServletRequest;
import java.util.regex.Pattern;

/**
 * Who makes a configuration change, for the audit trail: the {@code Vigil-Actor} header, or
 * "api" without one. Operator authentication (P6) will replace the header with the signed-in
 * user; until then the header is trusted as given.
 */
public final class Actor {
  private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_.@:\\-]{1,128}");

  private Actor() {}

  public static String of(HttpServletRequest request) {
    String actor = request.getHeader("Vigil-Actor");
    if (actor == null) return "api";
    if (!SHAPE.matcher(actor).matches()) {
      throw ApiException.invalid("invalid_header", "Vigil-Actor is 1-128 letters, digits and _ . @ : -", "Vigil-Actor");
    }
    return actor;
  }
}
