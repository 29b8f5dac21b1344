package io.vigil.server.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.server.api.SharedServerBase;
import io.vigil.server.security.RoutePermissions.Access;
import io.vigil.server.security.RoutePermissions.Route;
import io.vigil.server.support.ApiClient;
import io.vigil.server.support.TestAuth;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The permission matrix, generated from the tables: every route of {@link RoutePermissions} is
 * called with a key of each {@link ApiScope} alone (403 {@code permission_denied} naming the
 * permission when the scope lacks it, anything but 401/403 when it holds it) and with no
 * credentials at all (401 {@code authentication_required} unless the route is public).
 */
class RouteMatrixApiTest extends SharedServerBase {
  private static final Map<ApiScope, ApiKeys.Issued> KEYS = new EnumMap<>(ApiScope.class);

  @Autowired
  ApiKeys keys;

  @BeforeEach
  void oneKeyPerScope() {
    synchronized (KEYS) {
      if (!KEYS.isEmpty()) return;
      for (ApiScope scope : ApiScope.values()) KEYS.put(scope, keys.issue("matrix-" + scope.code(), EnumSet.of(scope), null, "test"));
    }
  }

  /** The routes to call: every row but the error page, with its path variables filled in. */
  private static List<Route> rows() {
    List<Route> rows = new ArrayList<>();
    for (Route r : RoutePermissions.routes()) {
      if (!r.pattern().equals("/error")) rows.add(r);
    }
    return rows;
  }

  /** A console page that needs a signed-in operator (the sign-in page and the assets are public). */
  private static boolean isConsolePage(Route r) {
    return r.pattern().startsWith("/console") && r.access() != Access.PUBLIC;
  }

  private static String concrete(String pattern) {
    String unique = "m" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    return pattern.replaceAll("\\{[A-Za-z]+}", unique).replace("**", "x");
  }

  private static byte[] bodyFor(String method) {
    return method.equals("POST") || method.equals("PUT") ? "{}".getBytes(StandardCharsets.UTF_8) : null;
  }

  @Test
  void everyRouteWithEveryScope() {
    List<String> wrong = new ArrayList<>();
    for (Route r : rows()) {
      for (ApiScope scope : ApiScope.values()) {
        String path = concrete(r.pattern());
        byte[] body = bodyFor(r.method());
        ApiKeys.Issued key = KEYS.get(scope);
        ApiClient.Reply reply = send(r.method(), path, body, TestAuth.signature(key.row().keyId(), key.secret(), r.method(), path, body));
        boolean allowed = switch (r.access().kind()) {
          // A public route may still answer 401 on its own terms (a sign-in step with no sign-in in progress).
          case PUBLIC -> true;
          case AUTHENTICATED -> true;
          case OPERATOR -> false; // a signed-in operator's own session routes: never a key's
          case PERMISSION -> scope.permissions().contains(r.access().permission());
        };
        String seen = r.method() + " " + r.pattern() + " with scope " + scope.code() + ": " + reply.status() + " " + reply.body();
        if (isConsolePage(r)) {
          // a console page is an operator's, whatever the key's scopes: the console's refusal page
          if (reply.status() != 403 || !reply.body().contains("id=\"refusal-operator\"")) wrong.add("should be the console's 403: " + seen);
        } else if (r.access().kind() == Access.Kind.OPERATOR) {
          if (reply.status() != 403 || !"operator_required".equals(reply.error().get("code"))) {
            wrong.add("should be 403 operator_required: " + seen);
          }
        } else if (allowed) {
          boolean refused = reply.status() == 403 || reply.status() == 401 && r.access().kind() != Access.Kind.PUBLIC;
          if (refused) wrong.add("should pass: " + seen);
        } else if (reply.status() != 403 || !"permission_denied".equals(reply.error().get("code"))
            || !r.access().permission().code().equals(reply.error().get("param"))
            || !"permission_error".equals(reply.error().get("type"))) {
          wrong.add("should be 403 permission_denied: " + seen);
        }
      }
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void everyRouteButThePublicOnesNeedsACaller() {
    List<String> wrong = new ArrayList<>();
    for (Route r : rows()) {
      String path = concrete(r.pattern());
      ApiClient.Reply reply = send(r.method(), path, bodyFor(r.method()), List.of());
      String seen = r.method() + " " + r.pattern() + ": " + reply.status() + " " + reply.body();
      if (isConsolePage(r)) {
        // a console page without a session: to the sign-in page
        if (reply.status() != 302 || !reply.headers().firstValue("location").orElse("").endsWith("/console/sign-in")) {
          wrong.add("should go to the sign-in page: " + seen);
        }
      } else if (r.access() == Access.PUBLIC) {
        // A public route may still answer 401 on its own terms (a sign-in step with no sign-in in
        // progress), never the chain's refusal of a missing caller.
        boolean refusedByTheChain = reply.status() == 401 && "authentication_required".equals(reply.error().get("code"));
        if (refusedByTheChain || reply.status() == 403) wrong.add("should be public: " + seen);
      } else if (reply.status() != 401 || !"authentication_required".equals(reply.error().get("code"))
          || !"authentication_error".equals(reply.error().get("type"))) {
        wrong.add("should be 401 authentication_required: " + seen);
      }
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void anUnknownRouteAsksForACallerFirstThenIsNotFound() {
    ApiClient.Reply anonymous = send("GET", "/v1/no-such-route", null, List.of());
    assertEquals(401, anonymous.status(), anonymous.body());
    ApiClient.Reply signed = api.get("/v1/no-such-route");
    assertEquals(404, signed.status(), signed.body());
    assertTrue(signed.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
  }

  private ApiClient.Reply send(String method, String path, byte[] body, List<String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    if (!headers.isEmpty()) b.headers(headers.toArray(String[]::new));
    if (body != null) b.header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    return api.sendAsIs(b);
  }
}
