package io.vigil.server.api;

import io.vigil.engine.event.ValidationException;
import io.vigil.engine.rule.RuleCompileException;
import io.vigil.server.journal.StorageException;
import io.vigil.server.logging.RedactedFailure;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Turns every failure into the API's one error shape. Never echoes input values. */
@RestControllerAdvice
public class ErrorHandler {
  private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);

  @ExceptionHandler(ApiException.class)
  public ResponseEntity<Map<String, Object>> api(ApiException e) {
    mark(e.code());
    ResponseEntity.BodyBuilder builder = ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON);
    if (e.retryAfterSeconds() != null) builder.header("Retry-After", e.retryAfterSeconds().toString());
    return builder.body(body(e.type(), e.code(), e.getMessage(), e.param()));
  }

  @ExceptionHandler(ValidationException.class)
  public ResponseEntity<Map<String, Object>> validation(ValidationException e) {
    return api(ApiException.invalid(e.code(), e.getMessage(), e.param()));
  }

  @ExceptionHandler(RuleCompileException.class)
  public ResponseEntity<Map<String, Object>> rule(RuleCompileException e) {
    mark("rule_compile_error");
    Map<String, Object> body = body("invalid_request_error", "rule_compile_error", e.getMessage(), e.param());
    @SuppressWarnings("unchecked")
    Map<String, Object> error = (Map<String, Object>) body.get("error");
    error.put("issues", e.issues());
    return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_JSON).body(body);
  }

  @ExceptionHandler(StorageException.class)
  public ResponseEntity<Map<String, Object>> storage(StorageException e) {
    log.error("storage failure: {}", e.getMessage(), RedactedFailure.of(e.getCause()));
    return api(ApiException.unavailable("storage_unavailable", "The database is not answering; nothing was changed. Retry shortly"));
  }

  @ExceptionHandler(MissingServletRequestParameterException.class)
  public ResponseEntity<Map<String, Object>> missing(MissingServletRequestParameterException e) {
    return api(ApiException.invalid("missing_parameter", e.getParameterName() + " is required", e.getParameterName()));
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  public ResponseEntity<Map<String, Object>> mismatch(MethodArgumentTypeMismatchException e) {
    return api(ApiException.invalid("invalid_parameter", e.getName() + " has the wrong format", e.getName()));
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  public ResponseEntity<Map<String, Object>> method(HttpRequestMethodNotSupportedException e) {
    return api(FrameworkErrors.forStatus(405)); // the method as sent is not repeated
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  public ResponseEntity<Map<String, Object>> media(HttpMediaTypeNotSupportedException e) {
    return api(new ApiException(415, "invalid_request_error", "unsupported_media_type", "Send Content-Type: application/json", null));
  }

  /** An Accept header the route cannot answer (the mapping's own check, as on the actuator routes). */
  /**
   * A multipart body that cannot be parsed (Vigil takes JSON; a sign-in body already read ahead
   * for the audit trail leaves nothing for the multipart parser): the same 415 as any other type.
   */
  @ExceptionHandler(MultipartException.class)
  public ResponseEntity<Map<String, Object>> multipart(MultipartException e) {
    return api(new ApiException(415, "invalid_request_error", "unsupported_media_type", "Send Content-Type: application/json", null));
  }

  @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
  public ResponseEntity<Map<String, Object>> notAcceptable(HttpMediaTypeNotAcceptableException e) {
    return api(FrameworkErrors.forStatus(406));
  }

  /** A query string (or form body) Tomcat cannot decode: bad percent-encoding, not UTF-8, too many parameters. */
  @ExceptionHandler(InvalidParameterException.class)
  public ResponseEntity<Map<String, Object>> badParameters(InvalidParameterException e) {
    return api(FrameworkErrors.parameters(e));
  }

  @ExceptionHandler(NoResourceFoundException.class)
  public ResponseEntity<Map<String, Object>> noResource(NoResourceFoundException e) {
    return api(ApiException.notFound("no_such_path", "No such path", null));
  }

  /**
   * A failure Vigil did not foresee. While the handler runs, a write route changes state in one
   * transaction that this failure rolls back, so "nothing was stored" holds. Once the handler has
   * returned (its change committed) only writing the answer can fail, and the message says so.
   */
  @ExceptionHandler(Exception.class)
  public ResponseEntity<Map<String, Object>> unexpected(Exception e, HttpServletRequest request) {
    if (e instanceof ErrorResponse refusal && refusal.getStatusCode().is4xxClientError()) {
      return api(FrameworkErrors.forStatus(refusal.getStatusCode().value())); // any other refusal Spring MVC makes
    }
    log.error("unexpected error: {}", e.getClass().getName(), RedactedFailure.of(e));
    mark("internal_error");
    return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType(MediaType.APPLICATION_JSON)
        .body(body("api_error", "internal_error", FrameworkErrors.internalMessage(HandlerCompletion.completed(request)), null));
  }

  /** Leaves the error's code on the request for the audit trail. */
  private static void mark(String code) {
    if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes r) {
      r.getRequest().setAttribute(ApiException.CODE_ATTRIBUTE, code);
    }
  }

  static Map<String, Object> body(String type, String code, String message, String param) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("type", type);
    error.put("code", code);
    error.put("message", message);
    error.put("param", param);
    error.put("doc_url", "https://github.com/vigil-risk/vigil/blob/main/docs/api.md#error-codes");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    return body;
  }
}
