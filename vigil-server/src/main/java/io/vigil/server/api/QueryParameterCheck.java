package io.vigil.server.api;

import io.vigil.engine.event.CardNumbers;
import io.vigil.engine.policy.PolicyMaps;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses a query parameter the route does not declare, as a body field it does not know is
 * refused: {@code 400 unknown_parameter} naming it. A misspelt or unsupported filter must not
 * silently return unfiltered rows. A route's parameters are its handler's {@link RequestParam}s,
 * read once per handler method.
 */
public final class QueryParameterCheck implements HandlerInterceptor {
  private final ParameterNameDiscoverer names = new DefaultParameterNameDiscoverer();
  private final Map<Method, Set<String>> declared = new ConcurrentHashMap<>();

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (!(handler instanceof HandlerMethod method)) return true;
    String query = request.getQueryString();
    if (query == null || query.isEmpty()) return true;
    Set<String> allowed = declared.computeIfAbsent(method.getMethod(), m -> requestParams(method));
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      if (!allowed.contains(name)) throw unknown(name, allowed);
    }
    return true;
  }

  /** The route's parameter names, sorted (the error lists them). */
  private Set<String> requestParams(HandlerMethod method) {
    SortedSet<String> out = new TreeSet<>();
    String[] compiledNames = names.getParameterNames(method.getMethod()); // the build compiles with -parameters
    for (MethodParameter p : method.getMethodParameters()) {
      RequestParam param = p.getParameterAnnotation(RequestParam.class);
      if (param == null) continue;
      if (!param.name().isEmpty()) out.add(param.name());
      else if (!param.value().isEmpty()) out.add(param.value());
      else if (compiledNames != null) out.add(compiledNames[p.getParameterIndex()]);
    }
    return Collections.unmodifiableSortedSet(out);
  }

  /** A query string part, decoded; as sent when its escapes are malformed. */
  static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return raw;
    }
  }

  /** The name goes in param only (cut as an unknown body field's name is), and not at all when it holds a card number. */
  private static RuntimeException unknown(String name, Set<String> allowed) {
    if (CardNumbers.in(name)) return CardNumbers.detected(CardNumberCheck.QUERY_NAME);
    String takes = allowed.isEmpty() ? "this route takes no query parameters"
        : "this route takes " + String.join(", ", allowed);
    return ApiException.invalid("unknown_parameter", "The request has a query parameter this route does not take (param names it); "
        + takes, PolicyMaps.truncate(name));
  }
}
