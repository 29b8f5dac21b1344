package io.vigil.server.api;

import io.vigil.engine.event.CardNumbers;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.Set;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * The card-number check for what a change takes outside its body: path variables (an account id,
 * a model or scorecard id that becomes a stored key) and query parameters. JSON bodies are checked where they
 * are parsed ({@link Json#parseObject}), list import files row by row. Reads change nothing and are
 * not checked: a phone number may be looked up by its digits.
 */
public final class CardNumberCheck implements HandlerInterceptor {
  /** The param of a card number in a query parameter's name (the name itself is not repeated). */
  static final String QUERY_NAME = "(query parameter name)";
  private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (!(handler instanceof HandlerMethod) || READS.contains(request.getMethod())) return true;
    if (request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables) {
      for (Map.Entry<?, ?> v : variables.entrySet()) {
        if (CardNumbers.in(String.valueOf(v.getValue()))) throw CardNumbers.detected(snakeCase(String.valueOf(v.getKey())));
      }
    }
    // The query string itself: getParameterMap would read a form-encoded body, which the route reads.
    String query = request.getQueryString();
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String name = QueryParameterCheck.decode(eq < 0 ? pair : pair.substring(0, eq));
        if (CardNumbers.in(name)) throw CardNumbers.detected(QUERY_NAME);
        if (eq >= 0 && CardNumbers.in(QueryParameterCheck.decode(pair.substring(eq + 1)))) throw CardNumbers.detected(name);
      }
    }
    return true;
  }

  /** A path variable as the API reference names it: {@code accountId} is {@code account_id}. */
  static String snakeCase(String name) {
    StringBuilder out = new StringBuilder(name.length() + 4);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c)) out.append('_').append(Character.toLowerCase(c));
      else out.append(c);
    }
    return out.toString();
  }
}
