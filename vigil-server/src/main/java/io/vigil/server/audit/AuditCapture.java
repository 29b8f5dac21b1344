package io.vigil.server.audit;

import io.vigil.engine.event.CardNumbers;
import io.vigil.server.api.ApiException;
import io.vigil.server.api.Json;
import io.vigil.server.security.VigilPrincipal;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.springframework.core.Ordered;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.util.ContentCachingRequestWrapper;

/**
 * Records requests in the audit trail once they are answered. It runs ahead of the security chain,
 * so it also sees the 401 and 403 the chain answers itself, and reads the authenticated principal
 * the chain leaves in {@link VigilPrincipal#REQUEST_ATTRIBUTE} on the way back. Recorded:
 *
 * <ul>
 *   <li>every request by an operator, reads included;</li>
 *   <li>every other request that is not a GET, HEAD or OPTIONS: an API key's changes and key
 *       administration, logins and logouts ({@code /v1/auth/**}), with the claimed username;</li>
 *   <li>every 401, 403 and 429, from anyone, with the key id or username claimed;</li>
 *   <li>not a {@code POST /v1/decisions} that was let through: the journal holds decisions. For
 *       those the filter only reads the status after the chain, and records a refusal.</li>
 * </ul>
 *
 * What: the method, the route pattern (never the raw path of a matched route), the entity its first
 * path variable names (all of them in {@code path_params}), before and after as the route filled
 * them ({@link AuditContext}), else the request body as "after" with secrets removed
 * ({@link AuditRedaction}); for an operator's read, its query parameters. Actions are waited for
 * ({@link AuditRecorder#record}), denials and failed logins are not.
 */
public final class AuditCapture implements Filter {
  /** The filter's order: after the connection-level bounds (per-client and lane limits), before any security filter. */
  public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 3;
  private static final String DECISIONS_PATH = "/v1/decisions";
  private static final String AUTH_PREFIX = "/v1/auth/";
  private static final String DONE_ATTRIBUTE = "io.vigil.audit.done";
  private static final int QUERY_CHARS_MAX = 2048;

  private final AuditRecorder recorder;
  private final Clock clock;
  private final int bodyBytesMax;
  private final Function<HttpServletRequest, Object> routeLookup;

  /**
   * @param routeLookup finds the handler of a request the security chain refused before any route ran
   *     (it leaves the route pattern and path variables as request attributes), or returns null
   */
  public AuditCapture(AuditRecorder recorder, Clock clock, int bodyBytesMax, Function<HttpServletRequest, Object> routeLookup) {
    this.recorder = recorder;
    this.clock = clock;
    this.bodyBytesMax = bodyBytesMax;
    this.routeLookup = routeLookup;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    HttpServletResponse out = (HttpServletResponse) response;
    if (isDecision(http)) { // the decision path: a status read, nothing more, unless refused
      chain.doFilter(request, response);
      if (isDenied(out.getStatus()) && request.getAttribute(DONE_ATTRIBUTE) == null) capture(http, null, out, null);
      return;
    }
    if (request.getDispatcherType() != DispatcherType.REQUEST) {
      chain.doFilter(request, response);
      return;
    }
    Body body = null;
    if (!isRead(http.getMethod())) {
      // A sign-in's body is read ahead (bounded), so its claimed username is known even when no route reads it.
      HttpServletRequest source = http.getRequestURI().startsWith(AUTH_PREFIX) ? ReadAhead.of(http, bodyBytesMax) : http;
      body = new Body(source, bodyBytesMax);
      if (source != http) body.readAll();
    }
    Throwable failure = null;
    try {
      chain.doFilter(body == null ? request : body, response);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      if (failure == null && http.isAsyncStarted()) {
        http.getAsyncContext().addListener(new AtCompletion(http, body, out));
      } else {
        capture(http, body, out, failure);
      }
    }
  }

  /** Records an asynchronous request once its answer is complete. */
  private final class AtCompletion implements AsyncListener {
    private final HttpServletRequest request;
    private final Body body;
    private final HttpServletResponse response;

    AtCompletion(HttpServletRequest request, Body body, HttpServletResponse response) {
      this.request = request;
      this.body = body;
      this.response = response;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      capture(request, body, response, null);
    }

    @Override
    public void onTimeout(AsyncEvent event) {}

    @Override
    public void onError(AsyncEvent event) {}

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this);
    }
  }

  private void capture(HttpServletRequest request, Body body, HttpServletResponse response, Throwable failure) {
    if (request.getAttribute(DONE_ATTRIBUTE) != null) return;
    request.setAttribute(DONE_ATTRIBUTE, Boolean.TRUE);
    int status = failure != null && response.getStatus() < 400 ? 500 : response.getStatus();
    VigilPrincipal principal = request.getAttribute(VigilPrincipal.REQUEST_ATTRIBUTE) instanceof VigilPrincipal p ? p : null;
    String path = request.getRequestURI();
    boolean auth = path.startsWith(AUTH_PREFIX);
    boolean denied = isDenied(status);
    boolean operator = principal != null && principal.isOperator();
    if (!denied && !operator && isRead(request.getMethod())) return;
    if (!denied && isDecision(request)) return;
    try {
      AuditEntry entry = entry(request, body, status, principal, auth);
      if (denied || (auth && status >= 400)) recorder.recordDenied(entry);
      else recorder.record(entry);
    } catch (RuntimeException e) {
      recorder.recordDenied(fallback(request, status, principal)); // never fail the answer for the trail
    }
  }

  private AuditEntry entry(HttpServletRequest request, Body body, int status, VigilPrincipal principal, boolean auth) {
    if (request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) == null && routeLookup != null) {
      try {
        routeLookup.apply(request);
      } catch (RuntimeException unmatched) {
        // no route: the raw path is recorded
      }
    }
    String route = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) instanceof String pattern
        ? pattern : rawPath(request.getRequestURI());
    Map<String, String> variables = pathVariables(request);
    String entityType = null;
    String entityId = null;
    if (!variables.isEmpty()) {
      Map.Entry<String, String> first = variables.entrySet().iterator().next();
      entityType = entityType(route, first.getKey());
      entityId = CardNumbers.in(first.getValue()) ? AuditRedaction.CARD_NUMBER : first.getValue();
    }
    AuditRecord record = AuditContext.find(request);
    if (record != null && record.entityId() != null) {
      entityType = record.entityType();
      entityId = record.entityId();
    }
    String action = record != null && record.action() != null ? record.action() : action(request, status);
    String before = record == null ? null : AuditRedaction.value(record.before());
    String after;
    if (record != null && record.afterSet()) after = AuditRedaction.value(record.after());
    else if (body != null) after = body.redacted(request.getContentType());
    else after = query(request);
    String actorKind;
    String actorId;
    String claimed = null;
    if (principal != null) {
      actorKind = principal.isOperator() ? AuditEntry.OPERATOR : AuditEntry.API_KEY;
      actorId = principal.id();
    } else {
      actorKind = AuditEntry.ANONYMOUS;
      actorId = AuditEntry.ANONYMOUS;
      claimed = claimed(request, body, auth);
    }
    String userAgent = request.getHeader("User-Agent");
    if (CardNumbers.in(userAgent)) userAgent = AuditRedaction.CARD_NUMBER;
    return AuditEntry.of(clock.millis(), actorKind, actorId, claimed, request.getRemoteAddr(), userAgent,
        request.getMethod(), route, entityType, entityId, variables.isEmpty() ? null : AuditRedaction.value(variables), action,
        before, after, status, request.getAttribute(ApiException.CODE_ATTRIBUTE) instanceof String code ? code : null);
  }

  /** The least that can be recorded when building the entry failed. */
  private AuditEntry fallback(HttpServletRequest request, int status, VigilPrincipal principal) {
    return AuditEntry.of(clock.millis(), principal == null ? AuditEntry.ANONYMOUS : principal.isOperator() ? AuditEntry.OPERATOR
        : AuditEntry.API_KEY, principal == null ? AuditEntry.ANONYMOUS : principal.id(), null, request.getRemoteAddr(), null,
        request.getMethod(), rawPath(request.getRequestURI()), null, null, null, "unrecorded_detail", null, null, status, null);
  }

  /** The key id a request named, or on a login route the username its body named; never a password. */
  private static String claimed(HttpServletRequest request, Body body, boolean auth) {
    String keyId = request.getHeader("Vigil-Key-Id");
    if (keyId != null && !keyId.isBlank()) return CardNumbers.in(keyId) ? AuditRedaction.CARD_NUMBER : keyId;
    if (!auth || body == null) return null;
    Object username = body.field("username");
    return username instanceof String s && !CardNumbers.in(s) ? s : null;
  }

  /** The route's controller and method: {@code RuleController.update} is {@code rule.update}; else what the status says. */
  private static String action(HttpServletRequest request, int status) {
    if (request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE) instanceof HandlerMethod h) {
      String type = h.getBeanType().getSimpleName().replace("Controller", "");
      return snake(type) + "." + snake(h.getMethod().getName());
    }
    return switch (status) {
      case 401 -> "authentication_failed";
      case 403 -> "permission_denied";
      case 429 -> "rate_limited";
      default -> "unmatched";
    };
  }

  /** The entity a path variable names: the path segment before it, singular ({@code /v1/rules/{id}}: rule). */
  static String entityType(String route, String variable) {
    int at = route.indexOf("{" + variable);
    if (at > 1) {
      String before = route.substring(0, at - 1);
      String segment = before.substring(before.lastIndexOf('/') + 1);
      if (!segment.isEmpty() && !segment.startsWith("{")) {
        segment = segment.replace('-', '_');
        if (segment.endsWith("ies")) return segment.substring(0, segment.length() - 3) + "y";
        if (segment.endsWith("s")) return segment.substring(0, segment.length() - 1);
        return segment;
      }
    }
    String name = variable.endsWith("Id") ? variable.substring(0, variable.length() - 2) : variable;
    return snake(name);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> pathVariables(HttpServletRequest request) {
    if (request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> m && !m.isEmpty()) {
      return new LinkedHashMap<>((Map<String, String>) m);
    }
    return Map.of();
  }

  /** An operator's read: its query parameters, secrets removed; null without any. */
  private static String query(HttpServletRequest request) {
    String q = request.getQueryString();
    if (q == null || q.isEmpty() || q.length() > QUERY_CHARS_MAX) return q == null || q.isEmpty() ? null : "{\"query_chars\":" + q.length() + "}";
    Map<String, Object> params = new LinkedHashMap<>();
    for (Map.Entry<String, String[]> e : request.getParameterMap().entrySet()) {
      params.put(e.getKey(), e.getValue().length == 1 ? e.getValue()[0] : List.of(e.getValue()));
    }
    return AuditRedaction.value(Map.of("query", params));
  }

  /** The path of a request no route matched: cut, with a card number in it removed. */
  private static String rawPath(String path) {
    String cut = path.length() > AuditEntry.ROUTE_CHARS_MAX ? path.substring(0, AuditEntry.ROUTE_CHARS_MAX) : path;
    return CardNumbers.in(cut) ? AuditRedaction.CARD_NUMBER : cut;
  }

  private static String snake(String name) {
    StringBuilder s = new StringBuilder(name.length() + 4);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c)) {
        if (i > 0) s.append('_');
        s.append(Character.toLowerCase(c));
      } else {
        s.append(c);
      }
    }
    return s.toString().toLowerCase(Locale.ROOT);
  }

  static boolean isDecision(HttpServletRequest request) {
    return "POST".equals(request.getMethod()) && DECISIONS_PATH.equals(request.getRequestURI());
  }

  private static boolean isRead(String method) {
    return "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method);
  }

  private static boolean isDenied(int status) {
    return status == 401 || status == 403 || status == 429;
  }

  /** The request body as the route read it, kept up to a bound for the record. */
  private static final class Body extends ContentCachingRequestWrapper {
    private boolean overflow;
    private boolean readAgain;

    Body(HttpServletRequest request, int bytesMax) {
      super(request, bytesMax);
    }

    @Override
    protected void handleContentOverflow(int contentCacheLimit) {
      overflow = true;
    }

    /** Reads the (read-ahead) body through the cache, so the record holds it whether or not the route reads it. */
    void readAll() throws IOException {
      getInputStream().readAllBytes();
      readAgain = true;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (!readAgain) return super.getInputStream();
      return getRequest().getInputStream(); // the read-ahead bytes again, for the route
    }

    String redacted(String contentType) {
      byte[] raw = getContentAsByteArray();
      if (raw.length == 0) return null;
      if (overflow) return "{\"body_truncated\":true}"; // a large upload (a list import): its entries are not kept
      return AuditRedaction.body(raw, contentType);
    }

    Object field(String name) {
      byte[] raw = getContentAsByteArray();
      if (raw.length == 0 || overflow) return null;
      try {
        return Json.MAPPER.readValue(raw, Map.class).get(name);
      } catch (RuntimeException notAnObject) {
        return null;
      }
    }
  }
}
