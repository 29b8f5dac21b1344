package io.vigil.server.api;

/**
 * An error the API reports as {@code {"error": {type, code, message, param}}}. {@code type} is one of
 * a closed set (invalid_request_error, idempotency_error, not_found_error, api_error,
 * overloaded_error, authentication_error, permission_error); {@code code} is stable and documented in docs/api.md.
 */
public final class ApiException extends RuntimeException {
  /** The request attribute holding the code of the error a request was answered with (for the audit trail). */
  public static final String CODE_ATTRIBUTE = "io.vigil.error.code";
  private final int status;
  private final String type;
  private final String code;
  private final String param;
  private final Integer retryAfterSeconds;

  public ApiException(int status, String type, String code, String message, String param) {
    this(status, type, code, message, param, null);
  }

  public ApiException(int status, String type, String code, String message, String param, Integer retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static ApiException invalid(String code, String message, String param) {
    return new ApiException(400, "invalid_request_error", code, message, param);
  }

  public static ApiException notFound(String code, String message, String param) {
    return new ApiException(404, "not_found_error", code, message, param);
  }

  public static ApiException conflict(String type, String code, String message, String param) {
    return new ApiException(409, type, code, message, param);
  }

  /** Well-formed, but the server cannot act on it (a broken reference file, a model that does not load). */
  public static ApiException unprocessable(String code, String message, String param) {
    return new ApiException(422, "invalid_request_error", code, message, param);
  }

  /** 401: the caller is not authenticated (no credentials, or credentials that do not hold). */
  public static ApiException unauthenticated(String code, String message, String param) {
    return new ApiException(401, "authentication_error", code, message, param);
  }

  /** 403: the caller is authenticated but may not do this. */
  public static ApiException forbidden(String code, String message, String param) {
    return new ApiException(403, "permission_error", code, message, param);
  }

  public static ApiException unavailable(String code, String message) {
    return new ApiException(503, "overloaded_error", code, message, null, 1);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String code() {
    return code;
  }

  public String param() {
    return param;
  }

  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
