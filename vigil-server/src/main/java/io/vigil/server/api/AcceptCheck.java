package io.vigil.server.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses an {@code Accept} header the route cannot answer with {@code 406 not_acceptable}, before
 * its handler runs: a request that is refused never changes anything. A route produces what its
 * mapping's {@code produces} names, and JSON when it names nothing (every other Vigil route answers
 * JSON). An absent header, and one that admits {@code *}{@code /*}, accept anything.
 */
public final class AcceptCheck implements HandlerInterceptor {
  /** Longer {@code Accept} headers are refused rather than parsed. */
  static final int ACCEPT_CHARS_MAX = 1_024;
  private static final List<MediaType> JSON_ONLY = List.of(MediaType.APPLICATION_JSON);
  private final Map<Method, List<MediaType>> producible = new ConcurrentHashMap<>();

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (!(handler instanceof HandlerMethod method)) return true;
    List<String> headers = Collections.list(request.getHeaders(HttpHeaders.ACCEPT));
    if (headers.isEmpty()) return true;
    List<MediaType> accepted = parse(String.join(",", headers));
    List<MediaType> produced = producible.computeIfAbsent(method.getMethod(), AcceptCheck::produces);
    for (MediaType offer : produced) {
      for (MediaType wanted : accepted) {
        if (wanted.isCompatibleWith(offer)) return true;
      }
    }
    throw refused(produced);
  }

  /** What a handler's mapping declares it produces; JSON when it declares nothing. */
  static List<MediaType> produces(Method method) {
    RequestMapping mapping = AnnotatedElementUtils.findMergedAnnotation(method, RequestMapping.class);
    if (mapping == null || mapping.produces().length == 0) return JSON_ONLY;
    return Arrays.stream(mapping.produces()).map(MediaType::parseMediaType).toList();
  }

  private static List<MediaType> parse(String accept) {
    if (accept.length() > ACCEPT_CHARS_MAX) throw unreadable();
    try {
      return MediaType.parseMediaTypes(accept);
    } catch (InvalidMediaTypeException e) {
      throw unreadable();
    }
  }

  private static ApiException refused(List<MediaType> produced) {
    String types = String.join(", ", produced.stream().map(t -> t.getType() + "/" + t.getSubtype()).toList());
    return new ApiException(406, "invalid_request_error", "not_acceptable",
        "This route answers " + types + "; send an Accept header that admits it, or none. Nothing was done", "Accept");
  }

  private static ApiException unreadable() {
    return new ApiException(406, "invalid_request_error", "not_acceptable",
        "The Accept header is not a list of media types; send one that admits application/json, or none. Nothing was done",
        "Accept");
  }
}
