package io.vigil.server.api;

import org.apache.tomcat.util.http.InvalidParameterException;

/**
 * The errors Tomcat and Spring MVC raise before Vigil's code runs, in the API's error shape: a path
 * Tomcat will not map, a method it does not serve, a request line or header it cannot parse, a query
 * string it cannot decode. They are the client's mistake, a 4xx, and never logged with a stack trace.
 */
final class FrameworkErrors {
  private FrameworkErrors() {
  }

  /** The error for a status the framework chose; a 5xx stays an {@code internal_error}. */
  static ApiException forStatus(int status) {
    return switch (status) {
      case 400 -> ApiException.invalid("malformed_request",
          "The request line, a header, the path or the query string is malformed (bad percent-encoding, an encoded slash, "
              + "a control character or NUL). Nothing was done", null);
      case 404 -> ApiException.notFound("no_such_path", "No such path", null);
      case 405 -> new ApiException(405, "invalid_request_error", "method_not_allowed",
          "The path exists, but not for this HTTP method", null);
      case 406 -> new ApiException(406, "invalid_request_error", "not_acceptable",
          "This route cannot answer in a media type the Accept header admits; send one that admits application/json, or none. "
              + "Nothing was done", "Accept");
      case 413 -> ApiException.invalid("body_too_large", "The body is larger than this route takes. Nothing was done", null);
      case 415 -> new ApiException(415, "invalid_request_error", "unsupported_media_type", "Send Content-Type: application/json", null);
      default -> status >= 400 && status < 500
          ? new ApiException(status, "invalid_request_error", "malformed_request", "The request is malformed. Nothing was done", null)
          : new ApiException(500, "api_error", "internal_error", internalMessage(false), null);
    };
  }

  /**
   * The error for a request Tomcat refused before any servlet ran. Its {@code 501} (a {@code CONNECT},
   * or a {@code Transfer-Encoding} it does not implement) and {@code 505} (an HTTP version it does not
   * speak) are the client's mistakes, so a 4xx.
   */
  static ApiException refusedByTomcat(int status, String method) {
    if (status == 501 && "CONNECT".equals(method)) return forStatus(405);
    if (status == 501 || status == 505) return forStatus(400);
    return forStatus(status);
  }

  /**
   * A query string (or form body) Tomcat cannot decode (its failure carries the decoding error as the
   * cause), or one with more parameters than it takes (no cause).
   */
  static ApiException parameters(InvalidParameterException e) {
    if (e.getCause() == null) {
      return ApiException.invalid("too_many_parameters", "The query string has more parameters than the server takes. Nothing was done",
          null);
    }
    return ApiException.invalid("invalid_encoding",
        "The query string is not valid percent-encoded UTF-8 (e.g. %ZZ, or bytes that are not UTF-8). Nothing was done", null);
  }

  /** The message of a {@code 500}: true to whether the handler had already carried out the request. */
  static String internalMessage(boolean handlerCompleted) {
    return handlerCompleted
        ? "An internal error occurred while writing the answer; the request itself was carried out. Read the resource to see its state"
        : "An internal error occurred; nothing was stored";
  }
}
