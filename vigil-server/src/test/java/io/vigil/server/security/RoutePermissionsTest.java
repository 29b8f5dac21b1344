package io.vigil.server.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.server.api.SharedServerBase;
import io.vigil.server.security.RoutePermissions.Access;
import io.vigil.server.security.RoutePermissions.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every route the running server maps (its controllers and its actuator endpoints) has its row in
 * {@link RoutePermissions}: a route added without deciding who may call it fails here.
 */
class RoutePermissionsTest extends SharedServerBase {
  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  @Autowired
  PathMappedEndpoints endpoints;

  /** "METHOD pattern" of every route the server maps. */
  static List<String> mappedRoutes(RequestMappingHandlerMapping mappings, PathMappedEndpoints endpoints) {
    List<String> routes = new ArrayList<>();
    for (var e : mappings.getHandlerMethods().entrySet()) {
      RequestMappingInfo info = e.getKey();
      Set<String> patterns = info.getPatternValues();
      Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
      for (String pattern : patterns) {
        if (methods.isEmpty()) {
          for (String m : List.of("GET", "POST", "PUT", "DELETE")) routes.add(m + " " + pattern);
        } else {
          for (RequestMethod m : methods) routes.add(m.name() + " " + pattern);
        }
      }
    }
    for (String path : endpoints.getAllPaths()) routes.add("GET " + path);
    return routes;
  }

  @Test
  void everyMappedRouteHasARowInTheTable() {
    Set<String> table = new TreeSet<>();
    for (Route r : RoutePermissions.routes()) table.add(r.method() + " " + r.pattern());
    List<String> mapped = mappedRoutes(mappings, endpoints);
    assertTrue(mapped.size() > 60, "the server maps its routes: " + mapped);
    List<String> missing = new ArrayList<>();
    for (String route : mapped) {
      if (!table.contains(route)) missing.add(route);
    }
    assertEquals(List.of(), missing, "routes without a row in RoutePermissions");
  }

  @Test
  void lookUpFindsTheRowOfAConcretePath() {
    assertEquals(Access.of(Permission.DECISIONS_CREATE), RoutePermissions.lookup("POST", "/v1/decisions"));
    assertEquals(Access.of(Permission.DECISIONS_READ), RoutePermissions.lookup("GET", "/v1/decisions.csv"));
    assertEquals(Access.of(Permission.DECISIONS_READ), RoutePermissions.lookup("GET", "/v1/decisions/dec_1"));
    assertEquals(Access.of(Permission.DECISIONS_READ), RoutePermissions.lookup("HEAD", "/v1/decisions/dec_1"));
    assertEquals(Access.of(Permission.HOLDS_APPROVE), RoutePermissions.lookup("POST", "/v1/decisions/dec_1/approvals"));
    assertEquals(Access.of(Permission.ACCOUNTS_UNLOCK), RoutePermissions.lookup("POST", "/v1/accounts/a/unlock"));
    assertEquals(Access.PUBLIC, RoutePermissions.lookup("GET", "/actuator/health/readiness"));
    assertEquals(Access.of(Permission.METRICS_READ), RoutePermissions.lookup("GET", "/actuator/prometheus"));
    assertEquals(Access.AUTHENTICATED, RoutePermissions.lookup("GET", "/v1/no-such-route"));
    assertEquals(Access.AUTHENTICATED, RoutePermissions.lookup("PATCH", "/v1/rules/r1"), "a method the route does not take");
    assertNotEquals(Access.PUBLIC, RoutePermissions.lookup("POST", "/actuator/health"));
  }
}
